namespace Funnel.Core.Rules;

/// <summary>
/// Something an automation asks for: <see cref="MoveCommand"/>, <see cref="MarkWonCommand"/>,
/// <see cref="MarkLostCommand"/>, <see cref="ReopenCommand"/> (which <see cref="RuleSet.Run(Journey, MoveRequest)"/>
/// applies through the same guards), <see cref="ScheduleTaskCommand"/> and <see cref="NotifyCommand"/> (which the
/// caller carries out).
/// </summary>
/// <remarks>
/// The set of command types is closed so that every consumer can handle all of them. Instances are immutable and
/// thread-safe. Two commands are equal when they have the same type and the same text (<c>ToString()</c> shows
/// every field).
/// </remarks>
public abstract class RuleCommand : IEquatable<RuleCommand>
{
    private string? _text;

    private protected RuleCommand(string ruleId, string journeyId)
    {
        Guard.Against.NullOrBlank(ruleId);
        Guard.Against.NullOrBlank(journeyId);
        RuleId = ruleId;
        JourneyId = journeyId;
    }

    /// <summary>Gets the id of the rule that emitted the command.</summary>
    public string RuleId { get; }

    /// <summary>Gets the id of the journey the command is about.</summary>
    public string JourneyId { get; }

    // The text that equality compares, made once: the command types are closed and immutable.
    private string Text => _text ??= ToString() ?? "";

    /// <inheritdoc />
    public bool Equals(RuleCommand? other) =>
        other is not null && (ReferenceEquals(this, other) || (other.GetType() == GetType() && string.Equals(Text, other.Text, StringComparison.Ordinal)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RuleCommand);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);
}
