using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>Options of <see cref="IdleLimitRule"/>.</summary>
/// <remarks>Set once with an object initializer; read-only afterwards and thread-safe.</remarks>
public sealed class IdleLimitOptions : RuleOptions
{
    /// <summary>Creates the options with the defaults.</summary>
    public IdleLimitOptions()
        : base(BuiltInRuleTypes.IdleLimit)
    {
    }

    /// <summary>Creates the options from a <see cref="RuleDescriptor"/>'s parameters (named on each property); an absent parameter keeps the default.</summary>
    /// <param name="parameters">The parameters.</param>
    internal IdleLimitOptions(RuleParameters parameters)
        : base(BuiltInRuleTypes.IdleLimit, parameters)
    {
        Action = ParseAction(parameters, Action);
        LossReason = parameters.GetString("lossReason", LossReason.Value);
        Limits = parameters.GetPrefixed("limit").ToImmutableDictionary(pair => new StageKey(pair.Key), pair => parameters.ParseTimeSpan("limit." + pair.Key, pair.Value));
        Stages = [.. parameters.GetList("stages").Select(s => new StageKey(s))];
        TaskTitle = parameters.GetString("taskTitle", TaskTitle);
        AssigneeAttribute = parameters.GetString("assigneeAttribute", AssigneeAttribute);
    }

    /// <summary>Gets what to do with an idle lead. Parameter <c>action</c>: <c>Remind</c> or <c>MarkLost</c>.</summary>
    /// <value>Default <see cref="IdleAction.Remind"/>.</value>
    public IdleAction Action { get; init; } = IdleAction.Remind;

    /// <summary>Gets the loss reason for <see cref="IdleAction.MarkLost"/>. Parameter <c>lossReason</c>.</summary>
    /// <value>Default <c>slow-response</c> (<see cref="LossReasonCatalog.SlowResponse"/>).</value>
    public LossReasonKey LossReason { get; init; } = LossReasonCatalog.SlowResponse.Key;

    /// <summary>Gets limits per stage that replace the stages' own <see cref="Stage.IdleLimit"/>. Parameters <c>limit.&lt;stage&gt; = 3.00:00:00</c>.</summary>
    /// <value>Default empty: each stage's own idle limit; stages without one are never idle.</value>
    public ImmutableDictionary<StageKey, TimeSpan> Limits { get; init; } = ImmutableDictionary<StageKey, TimeSpan>.Empty;

    /// <summary>Gets the stages the rule applies to. Parameter <c>stages</c>: comma-separated keys.</summary>
    /// <value>Default empty: every stage.</value>
    public ImmutableArray<StageKey> Stages { get; init; } = [];

    /// <summary>Gets the reminder's title; <c>{stage}</c> is replaced by the stage's display name. Parameter <c>taskTitle</c>.</summary>
    /// <value>Default <c>Follow up: idle in {stage}</c>.</value>
    public string TaskTitle { get; init; } = "Follow up: idle in {stage}";

    /// <summary>Gets the journey attribute naming the reminder's assignee; when absent, the stage's owner. Parameter <c>assigneeAttribute</c>.</summary>
    /// <value>Default <c>owner</c>.</value>
    public string AssigneeAttribute { get; init; } = "owner";

    private static IdleAction ParseAction(RuleParameters parameters, IdleAction defaultAction)
    {
        if (parameters.GetOptionalString("action") is not { } text)
        {
            return defaultAction;
        }

        return Enum.TryParse<IdleAction>(text, ignoreCase: true, out var action) && Enum.IsDefined(action)
            ? action
            : throw parameters.Problem("action", text, $"is not one of {string.Join(", ", Enum.GetNames<IdleAction>())}");
    }
}
