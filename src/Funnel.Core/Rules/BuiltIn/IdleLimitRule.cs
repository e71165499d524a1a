using System.Collections.Immutable;
using System.Globalization;

namespace Funnel.Core.Rules;

/// <summary>
/// An automation on <see cref="SignalKinds.Idle"/> sweeps: when an open lead has had no timed change
/// (<see cref="Journey.LastChangedAt"/>: a move, an attempt, ...) for at least its stage's limit as of the sweep time,
/// it emits a reminder <see cref="ScheduleTaskCommand"/> (due at the sweep time) or a <see cref="MarkLostCommand"/>.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. A sweep made with <see cref="FunnelSignal.Idle(DateTimeOffset, DateTimeOffset)"/> (which
/// says when the previous sweep ran) reminds once per idle stay: only when the limit was crossed since that sweep.
/// A sweep made with <see cref="FunnelSignal.Idle(DateTimeOffset)"/> reminds on every sweep while the lead stays idle.
/// </remarks>
public sealed class IdleLimitRule : IAutomation, IDefinitionCheck
{
    /// <summary>Creates the rule.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A limit is not positive, a key is the default key, or a text option is blank.</exception>
    public IdleLimitRule(IdleLimitOptions options)
    {
        Guard.Against.Null(options);
        if (options.Limits.Any(pair => pair.Key.IsDefault || pair.Value <= TimeSpan.Zero))
        {
            throw new ArgumentException("Every idle limit needs a stage and a positive duration.", nameof(options));
        }

        if (options.Action == IdleAction.MarkLost && options.LossReason.IsDefault)
        {
            throw new ArgumentException("Marking idle leads lost needs a loss reason.", nameof(options));
        }

        if (!Enum.IsDefined(options.Action))
        {
            throw new ArgumentException($"Unknown idle action '{options.Action}'.", nameof(options));
        }

        Guard.Against.NullOrBlank(options.TaskTitle, nameof(options));
        Guard.Against.NullOrBlank(options.AssigneeAttribute, nameof(options));
        Options = options;
    }

    /// <summary>Gets the options.</summary>
    public IdleLimitOptions Options { get; }

    /// <summary>Gets the idle limit that applies to a stage, or <see langword="null"/> when the stage has none or is not covered.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>The limit.</returns>
    public TimeSpan? GetLimit(Stage stage)
    {
        Guard.Against.Null(stage);
        if (!Options.Stages.IsDefaultOrEmpty && !Options.Stages.Contains(stage.Key))
        {
            return null;
        }

        return Options.Limits.TryGetValue(stage.Key, out var limit) ? limit : stage.IdleLimit;
    }

    /// <inheritdoc />
    public ImmutableArray<RuleCommand> React(in AutomationArguments arguments)
    {
        var journey = arguments.Journey;
        if (arguments.Signal.Kind != SignalKinds.Idle || journey.Status != JourneyStatus.Open)
        {
            return [];
        }

        var stage = journey.CurrentStage;
        var limit = GetLimit(stage);
        if (limit is null)
        {
            return [];
        }

        var idle = arguments.At - journey.LastChangedAt;
        if (idle < limit.Value)
        {
            return [];
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"idle in '{stage.Key}' for {idle:c} (limit {limit.Value:c})");
        if (Options.Action == IdleAction.MarkLost)
        {
            return [arguments.MarkLost(Options.LossReason, text)];
        }

        // A reminder is due once per idle stay: when the sweep says when it last ran and the limit was already crossed
        // then, that sweep sent it. (A loss is not de-duplicated: a lead still open after it was due is still idle.)
        if (arguments.Signal.PreviousSweep is { } previous && previous - journey.LastChangedAt >= limit.Value)
        {
            return [];
        }

        var assignee = journey.Attributes.TryGetValue(Options.AssigneeAttribute, out var named) ? named : stage.Owner;
        return [arguments.ScheduleTask(Options.TaskTitle.Replace("{stage}", stage.DisplayName, StringComparison.Ordinal), arguments.At, assignee)];
    }

    void IDefinitionCheck.Check(FunnelDefinition definition, ProblemCollector problems)
    {
        if (Options.Action == IdleAction.MarkLost)
        {
            problems.Reasons([Options.LossReason], "The loss reason");
        }

        problems.Stages(Options.Limits.Keys.OrderBy(k => k), "The stage with a limit");
        problems.Stages(Options.Stages.IsDefault ? [] : Options.Stages, "The stage");
    }
}
