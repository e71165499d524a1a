using System.Collections.Immutable;
using System.Diagnostics;
using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Core.Storage;
using Funnel.Extensions.DependencyInjection;
using Funnel.Extensions.Hosting.Outbox;
using Funnel.Extensions.Hosting.Telemetry;
using Funnel.Serialization.Json;

namespace Funnel.Extensions.Hosting.Journeys;

/// <summary>
/// One call from a requested change to a durable result: loads the journey, runs its funnel's rules, and saves the
/// new journey, its history and the run's pending commands (tasks, notifications) as outbox messages in one
/// transaction. A rejection, a version conflict or an unknown journey comes back as a <see cref="JourneyChange"/>,
/// not an exception. Registered as a singleton by <c>AddStore</c>.
/// </summary>
/// <remarks>Thread-safe: it keeps no state; concurrent changes of one journey meet at the store's version check.</remarks>
public sealed class FunnelJourneyWorkflow
{
    private readonly JourneyStore _store;
    private readonly FunnelJourneyService _journeys;
    private readonly FunnelOutboxSignal _signal;
    private readonly FunnelHostingInstruments _instruments;

    /// <summary>Creates the workflow.</summary>
    /// <param name="store">The journey store.</param>
    /// <param name="journeys">Runs the rules at the container's time.</param>
    /// <param name="signal">Wakes the outbox dispatcher after a save with messages.</param>
    /// <param name="instruments">The metrics.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public FunnelJourneyWorkflow(JourneyStore store, FunnelJourneyService journeys, FunnelOutboxSignal signal, FunnelHostingInstruments instruments)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(journeys);
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(instruments);
        _store = store;
        _journeys = journeys;
        _signal = signal;
        _instruments = instruments;
    }

    /// <summary>Gets the store the workflow saves to.</summary>
    public JourneyStore Store => _store;

    /// <summary>Starts a journey of a registered funnel now and inserts it.</summary>
    /// <param name="definitionKey">The funnel's definition key.</param>
    /// <param name="journeyId">The lead's id; not blank.</param>
    /// <param name="actor">Who started it, or <see langword="null"/>.</param>
    /// <param name="attributes">Initial attributes; optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Saved with the journey, or <see cref="JourneyChangeOutcome.AlreadyExists"/>.</returns>
    /// <exception cref="ArgumentException">No funnel has that key, the id is blank, or required attributes are missing.</exception>
    public async Task<JourneyChange> StartAsync(string definitionKey, string journeyId, string? actor = null, IEnumerable<KeyValuePair<string, string>>? attributes = null, CancellationToken cancellationToken = default)
    {
        var journey = _journeys.Start(definitionKey, journeyId, actor, attributes);
        using var activity = StartActivity(journey, "Start");
        var result = await _store.InsertAsync(journey, null, cancellationToken).ConfigureAwait(false);
        var change = result.Succeeded
            ? new JourneyChange(JourneyChangeOutcome.Saved, journeyId, journey, null, [], journey.Version)
            : new JourneyChange(JourneyChangeOutcome.AlreadyExists, journeyId, null, null, [], result.StoredVersion);
        return Finish(activity, journey.Definition.Key, change);
    }

    /// <summary>Moves a journey to a stage now, under its funnel's rules, and saves it with its outbox messages.</summary>
    /// <param name="journeyId">The journey id.</param>
    /// <param name="stage">The target stage.</param>
    /// <param name="expectedVersion">The version the caller last saw, or <see langword="null"/> to change whatever is stored.</param>
    /// <param name="actor">Who moved it, or <see langword="null"/>.</param>
    /// <param name="note">A note, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public Task<JourneyChange> MoveAsync(string journeyId, StageKey stage, long? expectedVersion = null, string? actor = null, string? note = null, CancellationToken cancellationToken = default) =>
        RunAsync(journeyId, at => MoveRequest.MoveTo(stage, at, actor, note), expectedVersion, cancellationToken);

    /// <summary>Marks a journey won now, under its funnel's rules, and saves it.</summary>
    /// <param name="journeyId">The journey id.</param>
    /// <param name="expectedVersion">The version the caller last saw, or <see langword="null"/>.</param>
    /// <param name="actor">Who marked it, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public Task<JourneyChange> MarkWonAsync(string journeyId, long? expectedVersion = null, string? actor = null, CancellationToken cancellationToken = default) =>
        RunAsync(journeyId, at => MoveRequest.Won(at, actor), expectedVersion, cancellationToken);

    /// <summary>Marks a journey lost now, under its funnel's rules, and saves it.</summary>
    /// <param name="journeyId">The journey id.</param>
    /// <param name="reason">The loss reason.</param>
    /// <param name="expectedVersion">The version the caller last saw, or <see langword="null"/>.</param>
    /// <param name="actor">Who marked it, or <see langword="null"/>.</param>
    /// <param name="comment">A comment, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public Task<JourneyChange> MarkLostAsync(string journeyId, LossReasonKey reason, long? expectedVersion = null, string? actor = null, string? comment = null, CancellationToken cancellationToken = default) =>
        RunAsync(journeyId, at => MoveRequest.Lost(reason, at, actor, comment), expectedVersion, cancellationToken);

    /// <summary>Applies any request (made at the container's time) under the journey's funnel rules, and saves the result.</summary>
    /// <param name="journeyId">The journey id.</param>
    /// <param name="request">Makes the request for the current time.</param>
    /// <param name="expectedVersion">The version the caller last saw, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    public async Task<JourneyChange> RunAsync(string journeyId, Func<DateTimeOffset, MoveRequest> request, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(journeyId);
        ArgumentNullException.ThrowIfNull(request);
        var stored = await _store.LoadAsync(journeyId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return Count(null, new JourneyChange(JourneyChangeOutcome.NotFound, journeyId, null, null, [], null));
        }

        var made = request(_journeys.Now());
        using var activity = StartActivity(stored, made.Kind.ToString());
        if (expectedVersion is { } expected && expected != stored.Version)
        {
            return Finish(activity, stored.Definition.Key, new JourneyChange(JourneyChangeOutcome.VersionConflict, journeyId, null, null, [], stored.Version));
        }

        var run = _journeys.Run(stored, made);
        if (!run.Succeeded)
        {
            return Finish(activity, stored.Definition.Key, new JourneyChange(JourneyChangeOutcome.Rejected, journeyId, stored, run, [], stored.Version));
        }

        var at = _journeys.Now();
        var outbox = run.Pending.Select(command => FunnelJson.WriteOutboxMessage(command, at)).ToImmutableArray();
        JourneySaveResult saved;
        using (var save = FunnelHostingInstruments.Source.StartActivity(FunnelHostingTelemetry.SaveActivity))
        {
            if (save is { IsAllDataRequested: true })
            {
                save.SetTag("funnel", stored.Definition.Key);
                save.SetTag("funnel.journey", journeyId);
                save.SetTag("funnel.outbox.count", outbox.Length);
            }

            saved = await _store.SaveAsync(run.Journey, stored.Version, outbox, cancellationToken).ConfigureAwait(false);
            save?.SetTag("funnel.outcome", saved.Outcome.ToString());
        }

        if (!saved.Succeeded)
        {
            var outcome = saved.Outcome == SaveOutcome.NotFound ? JourneyChangeOutcome.NotFound : JourneyChangeOutcome.VersionConflict;
            return Finish(activity, stored.Definition.Key, new JourneyChange(outcome, journeyId, null, run, [], saved.StoredVersion));
        }

        if (!outbox.IsEmpty)
        {
            _signal.Notify();
            if (_instruments.OutboxWritten.Enabled)
            {
                foreach (var message in outbox)
                {
                    _instruments.OutboxWritten.Add(1, new KeyValuePair<string, object?>("funnel", stored.Definition.Key), new KeyValuePair<string, object?>("type", message.Type));
                }
            }
        }

        return Finish(activity, stored.Definition.Key, new JourneyChange(JourneyChangeOutcome.Saved, journeyId, run.Journey, run, outbox, run.Journey.Version));
    }

    private static Activity? StartActivity(Journey journey, string kind)
    {
        var activity = FunnelHostingInstruments.Source.StartActivity(FunnelHostingTelemetry.MoveActivity);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("funnel", journey.Definition.Key);
            activity.SetTag("funnel.journey", journey.Id);
            activity.SetTag("funnel.kind", kind);
        }

        return activity;
    }

    private JourneyChange Finish(Activity? activity, string funnel, JourneyChange change)
    {
        activity?.SetTag("funnel.outcome", OutcomeTag(change.Outcome));
        if (change.Outcome is JourneyChangeOutcome.Rejected or JourneyChangeOutcome.VersionConflict)
        {
            activity?.SetStatus(ActivityStatusCode.Error, change.Outcome.ToString());
        }

        return Count(funnel, change);
    }

    private JourneyChange Count(string? funnel, JourneyChange change)
    {
        if (_instruments.Saves.Enabled)
        {
            _instruments.Saves.Add(1, new KeyValuePair<string, object?>("funnel", funnel), new KeyValuePair<string, object?>("outcome", OutcomeTag(change.Outcome)));
        }

        return change;
    }

    private static string OutcomeTag(JourneyChangeOutcome outcome) => outcome switch
    {
        JourneyChangeOutcome.Saved => "saved",
        JourneyChangeOutcome.Rejected => "rejected",
        JourneyChangeOutcome.VersionConflict => "conflict",
        JourneyChangeOutcome.NotFound => "not-found",
        _ => "already-exists",
    };
}
