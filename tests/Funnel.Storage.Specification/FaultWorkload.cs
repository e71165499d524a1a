using System.Globalization;
using Funnel.Core;
using Funnel.Core.Storage;

namespace Funnel.Storage.Specification;

/// <summary>
/// The deterministic workload of the fault tests (a SQLite writer killed with SIGKILL, PostgreSQL backends terminated,
/// a server restarted): every journey goes through the same sequence of states, so the state a store holds at any
/// version can be recomputed and compared whole. A save that is half-written (journey row without its history,
/// attribute, attempt or outbox rows, or the reverse) cannot equal the recomputed state of its version.
/// </summary>
/// <remarks>
/// One save is one move, one attribute change and one attempt (three versions) plus one outbox message whose payload
/// names the journey and the saved version. The writer that applies it acknowledges the journey id and the version
/// only after <see cref="JourneyStore.SaveAsync"/> returned <see cref="SaveOutcome.Saved"/>.
/// </remarks>
public static class FaultWorkload
{
    /// <summary>The versions one save adds: a move, an attribute change and an attempt.</summary>
    public const int VersionsPerSave = 3;

    /// <summary>The outbox message type of every save.</summary>
    public const string MessageType = "fault.saved";

    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 8, 0, 0, TimeSpan.FromHours(2));

    private static readonly string[] Stages = ["new", "contacted", "qualified", "proposal"];

    /// <summary>Gets the funnel every journey of the workload follows (free-form moves between four stages).</summary>
    public static FunnelDefinition Definition { get; } = new FunnelDefinitionBuilder("fault")
        .AddStage(Stages[0]).AddStage(Stages[1]).AddStage(Stages[2]).AddStage(Stages[3]).AddStage("won")
        .WonAt("won")
        .AddLossReason("no-answer")
        .WithTransitionOptions(TransitionOptions.FreeForm)
        .Build();

    /// <summary>Gets store options that resolve <see cref="Definition"/>.</summary>
    public static JourneyStoreOptions Options { get; } = JourneyStoreOptions.For(Definition);

    /// <summary>The id of journey number <paramref name="n"/>.</summary>
    public static string JourneyId(int n) => "lead-" + n.ToString("D3", CultureInfo.InvariantCulture);

    /// <summary>The state every journey starts in (version 0).</summary>
    public static Journey Start(string id) =>
        Journey.Start(Definition, id, T0, "fault-writer", [KeyValuePair.Create("step", "0"), KeyValuePair.Create("source", "crash-test")]);

    /// <summary>The next state after <paramref name="current"/>: one move, one attribute change, one attempt.</summary>
    public static Journey Next(Journey current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var step = current.Version / VersionsPerSave + 1;
        var at = T0.AddMinutes(step);
        var stage = Stages[(int)(step % Stages.Length)];
        return current.MoveTo(stage, at, "fault-writer", "save " + step.ToString(CultureInfo.InvariantCulture)).GetJourneyOrThrow()
            .SetAttribute("step", step.ToString(CultureInfo.InvariantCulture)).GetJourneyOrThrow()
            .RecordAttempt(at).GetJourneyOrThrow();
    }

    /// <summary>The outbox message written with the save (or insert) that produced <paramref name="saved"/>.</summary>
    public static OutboxMessage Message(Journey saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        return new OutboxMessage(MessageType, Payload(saved.Id, saved.Version), saved.LastChangedAt);
    }

    /// <summary>The payload of the message for version <paramref name="version"/> of journey <paramref name="id"/>.</summary>
    public static string Payload(string id, long version) => id + "@" + version.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// One step of a writer: loads journey <paramref name="id"/> and inserts its start, or saves its next state with
    /// the loaded version as the expected one; either way with its outbox message, in one transaction.
    /// </summary>
    /// <returns>The store's answer; on success <see cref="JourneySaveResult.StoredVersion"/> is the version to acknowledge.</returns>
    public static async Task<JourneySaveResult> SaveNextAsync(JourneyStore store, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var current = await store.LoadAsync(id, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            var start = Start(id);
            return await store.InsertAsync(start, [Message(start)], cancellationToken).ConfigureAwait(false);
        }

        var next = Next(current);
        return await store.SaveAsync(next, current.Version, [Message(next)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The state of journey <paramref name="id"/> at <paramref name="version"/>, recomputed from the start; <see langword="null"/>
    /// when no sequence of whole saves reaches that version (a version a half-written save would leave).
    /// </summary>
    public static Journey? Expected(string id, long version)
    {
        var journey = Start(id);
        while (journey.Version < version)
        {
            journey = Next(journey);
        }

        return journey.Version == version ? journey : null;
    }
}
