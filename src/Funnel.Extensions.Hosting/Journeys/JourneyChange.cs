using System.Collections.Immutable;
using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Core.Storage;

namespace Funnel.Extensions.Hosting.Journeys;

/// <summary>
/// The result of a change through <see cref="FunnelJourneyWorkflow"/>: saved (with the new journey and the outbox
/// messages written with it), rejected (with every violation), a version conflict, or an unknown journey. Expected
/// outcomes are results, never exceptions.
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class JourneyChange
{
    internal JourneyChange(JourneyChangeOutcome outcome, string journeyId, Journey? journey, RuleRun? run, ImmutableArray<OutboxMessage> outbox, long? storedVersion)
    {
        Outcome = outcome;
        JourneyId = journeyId;
        Journey = journey;
        Run = run;
        OutboxMessages = outbox;
        StoredVersion = storedVersion;
    }

    /// <summary>Gets what became of the change.</summary>
    public JourneyChangeOutcome Outcome { get; }

    /// <summary>Gets a value indicating whether the change was saved.</summary>
    public bool Succeeded => Outcome == JourneyChangeOutcome.Saved;

    /// <summary>Gets the journey id.</summary>
    public string JourneyId { get; }

    /// <summary>Gets the saved journey when <see cref="Succeeded"/>; the stored journey, unchanged, when the rules rejected the change; otherwise <see langword="null"/>.</summary>
    public Journey? Journey { get; }

    /// <summary>Gets the rule run (applied, rejected and pending commands), or <see langword="null"/> when the rules did not run.</summary>
    public RuleRun? Run { get; }

    /// <summary>Gets every violation that rejected the change; empty unless <see cref="Outcome"/> is <see cref="JourneyChangeOutcome.Rejected"/>.</summary>
    public ImmutableArray<MoveViolation> Violations => Outcome == JourneyChangeOutcome.Rejected && Run is not null ? Run.Violations : [];

    /// <summary>Gets the outbox messages saved with the change (the run's pending commands), in order; empty unless saved.</summary>
    public ImmutableArray<OutboxMessage> OutboxMessages { get; }

    /// <summary>Gets the stored version after the change, or the version found on a conflict; <see langword="null"/> when no journey is stored.</summary>
    public long? StoredVersion { get; }

    /// <summary>Returns the outcome and the id.</summary>
    /// <returns>A text such as <c>lead-1: Saved (version 3, 1 outbox message)</c>.</returns>
    public override string ToString() => Outcome switch
    {
        JourneyChangeOutcome.Saved => $"{JourneyId}: Saved (version {StoredVersion}, {OutboxMessages.Length} outbox messages)",
        JourneyChangeOutcome.Rejected => $"{JourneyId}: Rejected ({string.Join("; ", Violations)})",
        _ => $"{JourneyId}: {Outcome}",
    };
}
