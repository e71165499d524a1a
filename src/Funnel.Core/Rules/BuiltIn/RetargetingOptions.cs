using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>Options of <see cref="RetargetingRule"/>.</summary>
/// <remarks>Set once with an object initializer; read-only afterwards and thread-safe.</remarks>
public sealed class RetargetingOptions : RuleOptions
{
    /// <summary>Creates the options with the defaults.</summary>
    public RetargetingOptions()
        : base(BuiltInRuleTypes.Retargeting)
    {
    }

    /// <summary>Creates the options from a <see cref="RuleDescriptor"/>'s parameters (named on each property); an absent parameter keeps the default.</summary>
    /// <param name="parameters">The parameters.</param>
    internal RetargetingOptions(RuleParameters parameters)
        : base(BuiltInRuleTypes.Retargeting, parameters)
    {
        Reasons = [.. parameters.GetList("reasons").Select(r => new LossReasonKey(r))];
        TaskTitle = parameters.GetString("taskTitle", TaskTitle);
        Delay = parameters.GetTimeSpan("delay", Delay);
        Assignee = parameters.GetString("assignee", Assignee);
    }

    /// <summary>Gets the reasons that trigger the task. Parameter <c>reasons</c>: comma-separated keys.</summary>
    /// <value>Default empty: every reason marked <see cref="LossReason.IsRecoverable"/>.</value>
    public ImmutableArray<LossReasonKey> Reasons { get; init; } = [];

    /// <summary>Gets the task's title; <c>{reason}</c> is replaced by the reason's display name. Parameter <c>taskTitle</c>.</summary>
    /// <value>Default <c>Win back: {reason}</c>.</value>
    public string TaskTitle { get; init; } = "Win back: {reason}";

    /// <summary>Gets how long after the loss the task is due (an abandoned-cart e-mail after a day). Parameter <c>delay</c>.</summary>
    /// <value>Default 1 day.</value>
    public TimeSpan Delay { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Gets who gets the task. Parameter <c>assignee</c>.</summary>
    /// <value>Default <c>Marketing</c>.</value>
    public string Assignee { get; init; } = "Marketing";
}
