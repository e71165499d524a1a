namespace Funnel.Core.Rules;

/// <summary>A command to mark the lead lost with a reason (for example after too many unanswered calls).</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class MarkLostCommand : RuleCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="ruleId">The emitting rule's id; not blank.</param>
    /// <param name="journeyId">The journey's id; not blank.</param>
    /// <param name="reason">The loss reason; not the default key.</param>
    /// <param name="comment">A comment for the history, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An id is blank or <paramref name="reason"/> is the default key.</exception>
    public MarkLostCommand(string ruleId, string journeyId, LossReasonKey reason, string? comment = null)
        : base(ruleId, journeyId)
    {
        Guard.Against.InvalidLossReasonKey(reason);

        Reason = reason;
        Comment = comment;
    }

    /// <summary>Gets the loss reason.</summary>
    public LossReasonKey Reason { get; }

    /// <summary>Gets the comment for the history, or <see langword="null"/>.</summary>
    public string? Comment { get; }

    /// <summary>Returns the command as text.</summary>
    /// <returns>A text such as <c>mark lead-1 lost (unreachable) (max-attempts)</c>.</returns>
    public override string ToString() => $"mark {JourneyId} lost ({Reason}){(Comment is null ? "" : ": " + Comment)} ({RuleId})";
}
