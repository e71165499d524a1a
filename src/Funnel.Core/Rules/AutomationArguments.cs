namespace Funnel.Core.Rules;

/// <summary>
/// What an automation sees: the journey (after the change that raised the signal), the signal, and the id it is
/// registered under; plus helpers that create commands carrying that id. A <see langword="readonly struct"/> so
/// that new fields are not breaking changes.
/// </summary>
/// <remarks>The <see langword="default"/> value has no journey and is never passed to an automation. This type is an immutable value and is thread-safe.</remarks>
public readonly struct AutomationArguments
{
    /// <summary>Creates the arguments (the engine does this; tests of custom automations may too).</summary>
    /// <param name="journey">The journey as it is when the signal arrives.</param>
    /// <param name="signal">The signal.</param>
    /// <param name="ruleId">The id the automation is registered under.</param>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> or <paramref name="ruleId"/> is <see langword="null"/>.</exception>
    public AutomationArguments(Journey journey, FunnelSignal signal, string ruleId)
    {
        Guard.Against.Null(journey);
        Guard.Against.Null(ruleId);
        Journey = journey;
        Signal = signal;
        RuleId = ruleId;
    }

    /// <summary>Gets the journey as it is when the signal arrives.</summary>
    public Journey Journey { get; }

    /// <summary>Gets the definition the journey follows.</summary>
    public FunnelDefinition Definition => Journey.Definition;

    /// <summary>Gets the signal.</summary>
    public FunnelSignal Signal { get; }

    /// <summary>Gets the signal's time; use it (never the clock) for due times.</summary>
    public DateTimeOffset At => Signal.At;

    /// <summary>Gets the id the automation is registered under; commands made with the helpers below carry it.</summary>
    public string RuleId { get; }

    /// <summary>Creates a command to move the lead.</summary>
    /// <param name="stage">The target stage.</param>
    /// <param name="note">A note for the history, or <see langword="null"/>.</param>
    /// <returns>The command.</returns>
    public MoveCommand Move(StageKey stage, string? note = null) => new(RuleId, Journey.Id, stage, note);

    /// <summary>Creates a command to mark the lead won.</summary>
    /// <param name="note">A note for the history, or <see langword="null"/>.</param>
    /// <returns>The command.</returns>
    public MarkWonCommand MarkWon(string? note = null) => new(RuleId, Journey.Id, note);

    /// <summary>Creates a command to mark the lead lost.</summary>
    /// <param name="reason">The loss reason.</param>
    /// <param name="comment">A comment for the history, or <see langword="null"/>.</param>
    /// <returns>The command.</returns>
    public MarkLostCommand MarkLost(LossReasonKey reason, string? comment = null) => new(RuleId, Journey.Id, reason, comment);

    /// <summary>Creates a command to reopen the lead when it is won or lost (a recovered loss, a reverted win).</summary>
    /// <param name="note">A note for the history, or <see langword="null"/>.</param>
    /// <returns>The command.</returns>
    public ReopenCommand Reopen(string? note = null) => new(RuleId, Journey.Id, note);

    /// <summary>Creates a command to schedule a task for a person or team.</summary>
    /// <param name="title">What to do, such as "Call the client".</param>
    /// <param name="due">When it is due.</param>
    /// <param name="assignee">Who should do it, or <see langword="null"/> for the caller to decide.</param>
    /// <returns>The command.</returns>
    public ScheduleTaskCommand ScheduleTask(string title, DateTimeOffset due, string? assignee) => new(RuleId, Journey.Id, title, due, assignee);

    /// <summary>Creates a command to notify someone.</summary>
    /// <param name="recipient">Who to notify.</param>
    /// <param name="message">The message.</param>
    /// <returns>The command.</returns>
    public NotifyCommand Notify(string recipient, string message) => new(RuleId, Journey.Id, recipient, message);
}
