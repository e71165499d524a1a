using Funnel.Core;
using Funnel.Core.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Funnel.Extensions.DependencyInjection;

/// <summary>
/// Starts and moves journeys of the registered funnels under their rule sets, stamping every change with the
/// container's <see cref="TimeProvider"/> and logging rejected changes. Registered by
/// <see cref="FunnelServiceCollectionExtensions.AddFunnel"/> as a singleton.
/// </summary>
/// <remarks>This type is thread-safe: it keeps no state beyond its dependencies; journeys and rule sets are immutable.</remarks>
public sealed partial class FunnelJourneyService
{
    private readonly IFunnelRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    /// <param name="registry">The funnels.</param>
    /// <param name="timeProvider">The clock for every change.</param>
    /// <param name="loggerFactory">Logs rejected changes; when <see langword="null"/>, nothing is logged.</param>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public FunnelJourneyService(IFunnelRegistry registry, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _registry = registry;
        _time = timeProvider;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Funnel.Journeys");
    }

    /// <summary>Gets the current time of the container's clock.</summary>
    /// <returns>The current time.</returns>
    public DateTimeOffset Now() => _time.GetUtcNow();

    /// <summary>Starts a journey of a registered definition now.</summary>
    /// <param name="definitionKey">The definition key.</param>
    /// <param name="id">The lead's id; not blank.</param>
    /// <param name="actor">Who started it, or <see langword="null"/>.</param>
    /// <param name="attributes">Initial attributes; optional.</param>
    /// <returns>The new journey.</returns>
    /// <exception cref="ArgumentException">No definition has that key, <paramref name="id"/> is blank, or required attributes are missing.</exception>
    public Journey Start(string definitionKey, string id, string? actor = null, IEnumerable<KeyValuePair<string, string>>? attributes = null) =>
        Journey.Start(_registry.GetDefinition(definitionKey), id, _time.GetUtcNow(), actor, attributes);

    /// <summary>Moves a journey to a stage now, under its funnel's rules (guards, then automations).</summary>
    /// <param name="journey">The journey.</param>
    /// <param name="stage">The target stage.</param>
    /// <param name="actor">Who moved it, or <see langword="null"/>.</param>
    /// <param name="note">A note, or <see langword="null"/>.</param>
    /// <returns>The run: the new journey and the commands applied, or the rejection with every reason (also logged).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The journey's definition is not registered.</exception>
    public RuleRun MoveTo(Journey journey, StageKey stage, string? actor = null, string? note = null) =>
        Run(journey, MoveRequest.MoveTo(stage, _time.GetUtcNow(), actor, note));

    /// <summary>Marks a journey won now, under its funnel's rules.</summary>
    /// <param name="journey">The journey.</param>
    /// <param name="actor">Who marked it, or <see langword="null"/>.</param>
    /// <returns>The run: the new journey, or the rejection with every reason (also logged).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The journey's definition is not registered.</exception>
    public RuleRun MarkWon(Journey journey, string? actor = null) => Run(journey, MoveRequest.Won(_time.GetUtcNow(), actor));

    /// <summary>Marks a journey lost now, under its funnel's rules.</summary>
    /// <param name="journey">The journey.</param>
    /// <param name="reason">The loss reason.</param>
    /// <param name="actor">Who marked it, or <see langword="null"/>.</param>
    /// <param name="comment">A comment on the loss, or <see langword="null"/>.</param>
    /// <returns>The run: the new journey, or the rejection with every reason (also logged).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The journey's definition is not registered.</exception>
    public RuleRun MarkLost(Journey journey, LossReasonKey reason, string? actor = null, string? comment = null) =>
        Run(journey, MoveRequest.Lost(reason, _time.GetUtcNow(), actor, comment));

    /// <summary>Records an attempt (a call, an e-mail) now; automations such as <c>max-attempts</c> may react.</summary>
    /// <param name="journey">The journey.</param>
    /// <param name="actor">Who made the attempt, or <see langword="null"/>.</param>
    /// <returns>The run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The journey's definition is not registered.</exception>
    public RuleRun RecordAttempt(Journey journey, string? actor = null) => Run(journey, MoveRequest.Attempt(_time.GetUtcNow(), actor));

    /// <summary>Applies any request (also forced ones, see <see cref="MoveRequest.ForcedBy"/>) under the journey's funnel rules.</summary>
    /// <param name="journey">The journey.</param>
    /// <param name="request">The request, with its own time.</param>
    /// <returns>The run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The journey's definition is not registered.</exception>
    public RuleRun Run(Journey journey, MoveRequest request)
    {
        ArgumentNullException.ThrowIfNull(journey);
        return Logged(journey.Id, request.Kind.ToString(), _registry.GetRuleSet(journey.Definition.Key).Run(journey, request));
    }

    /// <summary>Delivers a signal now, such as an external event (<c>email.opened</c>) or an idle check, to the journey's automations.</summary>
    /// <param name="journey">The journey.</param>
    /// <param name="signal">The signal.</param>
    /// <returns>The run: the commands the automations emitted and applied.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The journey's definition is not registered.</exception>
    public RuleRun Signal(Journey journey, FunnelSignal signal)
    {
        ArgumentNullException.ThrowIfNull(journey);
        return Logged(journey.Id, "Signal " + signal, _registry.GetRuleSet(journey.Definition.Key).Run(journey, signal));
    }

    private RuleRun Logged(string journeyId, string what, RuleRun run)
    {
        if (!run.Succeeded && _logger.IsEnabled(LogLevel.Information))
        {
            var violations = string.Join("; ", run.Violations);
            LogRejected(_logger, what, journeyId, violations);
        }

        return run;
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{What} of journey {JourneyId} rejected: {Violations}")]
    private static partial void LogRejected(ILogger logger, string what, string journeyId, string violations);
}
