using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>An automation's move, win, loss or reopen command that the guards (or the built-in checks) rejected during <see cref="RuleSet.Run(Journey, MoveRequest)"/>.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class RejectedCommand
{
    internal RejectedCommand(RuleCommand command, ImmutableArray<MoveViolation> violations)
    {
        Command = command;
        Violations = violations;
    }

    /// <summary>Gets the command.</summary>
    public RuleCommand Command { get; }

    /// <summary>Gets every reason it was rejected.</summary>
    public ImmutableArray<MoveViolation> Violations { get; }

    /// <summary>Returns the command and the reasons.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Command} rejected: {string.Join("; ", Violations)}";
}
