namespace Funnel.Core.Rules;

/// <summary>
/// A command to reopen a won or lost lead at its current stage (for example a shopper who comes back to an abandoned
/// cart). <see cref="RuleSet.Run(Journey, MoveRequest)"/> applies it as <see cref="MoveRequest.Reopen"/> through the
/// same guards; on a journey that is still open it is rejected by <see cref="BuiltInChecks.JourneyClosed"/>.
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class ReopenCommand : RuleCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="ruleId">The emitting rule's id; not blank.</param>
    /// <param name="journeyId">The journey's id; not blank.</param>
    /// <param name="note">A note for the history, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An id is blank.</exception>
    public ReopenCommand(string ruleId, string journeyId, string? note = null)
        : base(ruleId, journeyId)
    {
        Note = note;
    }

    /// <summary>Gets the note for the history, or <see langword="null"/>.</summary>
    public string? Note { get; }

    /// <summary>Returns the command as text.</summary>
    /// <returns>A text such as <c>reopen lead-1: came back (win-back)</c>.</returns>
    public override string ToString() => $"reopen {JourneyId}{(Note is null ? "" : ": " + Note)} ({RuleId})";
}
