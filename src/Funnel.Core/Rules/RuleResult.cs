using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>
/// The outcome of <see cref="RuleSet.Evaluate(Journey, MoveRequest)"/>: the new journey and the commands the
/// automations emitted, or the unchanged journey with every violation (built-in checks first, then guards in rule
/// order). Nothing is carried out: the caller (or <see cref="RuleSet.Run(Journey, MoveRequest)"/>) applies the commands.
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class RuleResult
{
    internal RuleResult(MoveKind kind, Journey journey, ImmutableArray<MoveViolation> violations, ImmutableArray<RuleCommand> commands, MoveOverride? bypass)
    {
        Kind = kind;
        Journey = journey;
        Violations = violations;
        Commands = commands;
        Override = bypass;
    }

    /// <summary>Gets the kind of change that was proposed.</summary>
    public MoveKind Kind { get; }

    /// <summary>Gets a value indicating whether the change was accepted.</summary>
    public bool Succeeded => Violations.IsEmpty;

    /// <summary>Gets the journey after the change when accepted; otherwise the unchanged journey.</summary>
    public Journey Journey { get; }

    /// <summary>Gets every reason the change was rejected, in a deterministic order; empty when accepted.</summary>
    public ImmutableArray<MoveViolation> Violations { get; }

    /// <summary>Gets the commands the automations emitted after the accepted change, in rule order; empty when rejected or when nothing fired.</summary>
    public ImmutableArray<RuleCommand> Commands { get; }

    /// <summary>Gets the audit record of an accepted forced change (also kept in the journey's history), or <see langword="null"/>.</summary>
    public MoveOverride? Override { get; }

    /// <summary>Converts to the plain journey result (without the commands).</summary>
    /// <returns>The result.</returns>
    public JourneyResult ToJourneyResult() => Succeeded ? JourneyResult.Accepted(Kind, Journey) : JourneyResult.Rejected(Kind, Journey, Violations);

    /// <summary>Gets the new journey, or throws when the change was rejected.</summary>
    /// <returns>The journey after the change.</returns>
    /// <exception cref="MoveRejectedException">The change was rejected; the exception lists every violation.</exception>
    public Journey GetJourneyOrThrow() => Succeeded ? Journey : throw new MoveRejectedException(Journey.Id, Kind, Violations);

    /// <summary>Returns whether the change was accepted and, if not, why.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        Succeeded ? $"{Kind} accepted, {Commands.Length} command(s)" : $"{Kind} rejected: {string.Join("; ", Violations)}";
}
