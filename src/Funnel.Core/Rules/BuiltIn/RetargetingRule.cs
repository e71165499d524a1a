using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>
/// An automation on <see cref="SignalKinds.Lost"/>: a lead lost for a recoverable reason (or one of the listed
/// reasons) gets a retargeting <see cref="ScheduleTaskCommand"/> (an abandoned-cart e-mail, a discount offer).
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class RetargetingRule : IAutomation, IDefinitionCheck
{
    /// <summary>Creates the rule.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A text option is blank or the delay is negative.</exception>
    public RetargetingRule(RetargetingOptions options)
    {
        Guard.Against.Null(options);
        Guard.Against.NullOrBlank(options.TaskTitle, nameof(options));
        Guard.Against.NullOrBlank(options.Assignee, nameof(options));
        if (options.Delay < TimeSpan.Zero)
        {
            throw new ArgumentException("The delay must not be negative.", nameof(options));
        }

        Options = options;
    }

    /// <summary>Gets the options.</summary>
    public RetargetingOptions Options { get; }

    /// <inheritdoc />
    public ImmutableArray<RuleCommand> React(in AutomationArguments arguments)
    {
        var reason = arguments.Journey.LossReason;
        if (arguments.Signal.Kind != SignalKinds.Lost || reason is null)
        {
            return [];
        }

        var applies = Options.Reasons.IsDefaultOrEmpty ? reason.IsRecoverable : Options.Reasons.Contains(reason.Key);
        if (!applies)
        {
            return [];
        }

        var title = Options.TaskTitle.Replace("{reason}", reason.DisplayName, StringComparison.Ordinal);
        return [arguments.ScheduleTask(title, arguments.At + Options.Delay, Options.Assignee)];
    }

    void IDefinitionCheck.Check(FunnelDefinition definition, ProblemCollector problems)
    {
        problems.Reasons(Options.Reasons.IsDefault ? [] : Options.Reasons, "The reason");
    }
}
