namespace Funnel.Core.Rules;

/// <summary>Options of <see cref="AutoAdvanceRule"/>.</summary>
/// <remarks>Set once with an object initializer; read-only afterwards and thread-safe.</remarks>
public sealed class AutoAdvanceOptions : RuleOptions
{
    /// <summary>Creates the options with the defaults.</summary>
    public AutoAdvanceOptions()
        : base(BuiltInRuleTypes.AutoAdvance)
    {
    }

    /// <summary>Creates the options from a <see cref="RuleDescriptor"/>'s parameters (named on each property); an absent parameter keeps the default.</summary>
    /// <param name="parameters">The parameters.</param>
    internal AutoAdvanceOptions(RuleParameters parameters)
        : base(BuiltInRuleTypes.AutoAdvance, parameters)
    {
        Signal = parameters.GetRequiredString("signal");
        From = parameters.GetRequiredString("from");
        To = parameters.GetRequiredString("to");
        TaskTitle = parameters.GetOptionalString("taskTitle");
        TaskDueAfter = parameters.GetTimeSpan("taskDueAfter", TaskDueAfter);
        AssigneeAttribute = parameters.GetString("assigneeAttribute", AssigneeAttribute);
    }

    /// <summary>Gets the name of the external signal, such as <c>email.opened</c> (ordinal). Parameter <c>signal</c>; required.</summary>
    /// <value>Default empty, which is invalid.</value>
    public string Signal { get; init; } = "";

    /// <summary>Gets the stage the lead must be in, such as <c>proposal-sent</c>. Parameter <c>from</c>; required.</summary>
    /// <value>Default: the default key, which is invalid.</value>
    public StageKey From { get; init; }

    /// <summary>Gets the stage to move the lead to, such as <c>proposal-read</c>. Parameter <c>to</c>; required.</summary>
    /// <value>Default: the default key, which is invalid.</value>
    public StageKey To { get; init; }

    /// <summary>Gets the title of a task to schedule with the move, such as <c>Call the client</c>, or <see langword="null"/> for none. Parameter <c>taskTitle</c>.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? TaskTitle { get; init; }

    /// <summary>Gets how long after the signal the task is due. Parameter <c>taskDueAfter</c>.</summary>
    /// <value>Default 1 hour.</value>
    public TimeSpan TaskDueAfter { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Gets the journey attribute naming the task's assignee; when absent, the owner of <see cref="To"/>. Parameter <c>assigneeAttribute</c>.</summary>
    /// <value>Default <c>owner</c>.</value>
    public string AssigneeAttribute { get; init; } = "owner";
}
