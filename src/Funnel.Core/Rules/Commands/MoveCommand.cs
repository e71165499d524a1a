namespace Funnel.Core.Rules;

/// <summary>A command to move the lead to a stage (for example a technical stage that advances by itself).</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class MoveCommand : RuleCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="ruleId">The emitting rule's id; not blank.</param>
    /// <param name="journeyId">The journey's id; not blank.</param>
    /// <param name="stage">The target stage; not the default key.</param>
    /// <param name="note">A note for the history, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An id is blank or <paramref name="stage"/> is the default key.</exception>
    public MoveCommand(string ruleId, string journeyId, StageKey stage, string? note = null)
        : base(ruleId, journeyId)
    {
        Guard.Against.InvalidStageKey(stage);

        Stage = stage;
        Note = note;
    }

    /// <summary>Gets the target stage.</summary>
    public StageKey Stage { get; }

    /// <summary>Gets the note for the history, or <see langword="null"/>.</summary>
    public string? Note { get; }

    /// <summary>Returns the command as text.</summary>
    /// <returns>A text such as <c>move lead-1 to proposal-read (auto-advance)</c>.</returns>
    public override string ToString() => $"move {JourneyId} to {Stage}{(Note is null ? "" : ": " + Note)} ({RuleId})";
}
