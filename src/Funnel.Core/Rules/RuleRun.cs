using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>
/// The outcome of <see cref="RuleSet.Run(Journey, MoveRequest)"/> or <see cref="RuleSet.Run(Journey, FunnelSignal)"/>:
/// the journey after the change and every move, win, loss and reopen command the automations emitted (applied
/// through the same guards, cascading), plus the commands left for the caller (tasks, notifications).
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class RuleRun
{
    internal RuleRun(
        Journey journey,
        ImmutableArray<MoveViolation> violations,
        ImmutableArray<RuleCommand> applied,
        ImmutableArray<RejectedCommand> rejected,
        ImmutableArray<RuleCommand> pending)
    {
        Journey = journey;
        Violations = violations;
        Applied = applied;
        Rejected = rejected;
        Pending = pending;
    }

    /// <summary>Gets a value indicating whether the requested change was accepted (always <see langword="true"/> for a signal).</summary>
    public bool Succeeded => Violations.IsEmpty;

    /// <summary>Gets the journey after the change and every applied command; the unchanged journey when the change was rejected.</summary>
    public Journey Journey { get; }

    /// <summary>Gets every reason the requested change was rejected; empty when it was accepted.</summary>
    public ImmutableArray<MoveViolation> Violations { get; }

    /// <summary>Gets the move, win, loss and reopen commands that were applied, in order.</summary>
    public ImmutableArray<RuleCommand> Applied { get; }

    /// <summary>Gets the move, win, loss and reopen commands that were rejected, with the reasons, in order.</summary>
    public ImmutableArray<RejectedCommand> Rejected { get; }

    /// <summary>Gets the commands for the caller to carry out (tasks, notifications), in the order they were emitted.</summary>
    public ImmutableArray<RuleCommand> Pending { get; }

    /// <summary>Returns a summary.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        Succeeded
            ? $"{Journey}: {Applied.Length} applied, {Rejected.Length} rejected, {Pending.Length} pending"
            : $"rejected: {string.Join("; ", Violations)}";
}
