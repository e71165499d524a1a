namespace Funnel.Core.Rules;

/// <summary>A command to mark the lead won (for example when an invoice is paid).</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class MarkWonCommand : RuleCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="ruleId">The emitting rule's id; not blank.</param>
    /// <param name="journeyId">The journey's id; not blank.</param>
    /// <param name="note">A note for the history, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An id is blank.</exception>
    public MarkWonCommand(string ruleId, string journeyId, string? note = null)
        : base(ruleId, journeyId)
    {
        Note = note;
    }

    /// <summary>Gets the note for the history, or <see langword="null"/>.</summary>
    public string? Note { get; }

    /// <summary>Returns the command as text.</summary>
    /// <returns>A text such as <c>mark lead-1 won (invoice-paid)</c>.</returns>
    public override string ToString() => $"mark {JourneyId} won{(Note is null ? "" : ": " + Note)} ({RuleId})";
}
