using System.Collections.Immutable;
using System.Globalization;

namespace Funnel.Core.Rules;

/// <summary>
/// An automation on <see cref="SignalKinds.AttemptRecorded"/>: once an open lead has had
/// <see cref="MaxAttemptsOptions.MaxAttempts"/> attempts (calls, e-mails) in its stage, it emits a
/// <see cref="MarkLostCommand"/> with the configured reason.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class MaxAttemptsRule : IAutomation, IDefinitionCheck
{
    /// <summary>Creates the rule.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MaxAttemptsOptions.MaxAttempts"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The loss reason is the default key.</exception>
    public MaxAttemptsRule(MaxAttemptsOptions options)
    {
        Guard.Against.Null(options);
        if (options.MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxAttempts, "MaxAttempts must be at least 1.");
        }
        Guard.Against.InvalidLossReasonKey(options.LossReason, parameterName: nameof(options));

        Options = options;
    }

    /// <summary>Gets the options.</summary>
    public MaxAttemptsOptions Options { get; }

    /// <inheritdoc />
    public ImmutableArray<RuleCommand> React(in AutomationArguments arguments)
    {
        var journey = arguments.Journey;
        var stage = journey.CurrentStage.Key;
        if (arguments.Signal.Kind != SignalKinds.AttemptRecorded
            || journey.Status != JourneyStatus.Open
            || (!Options.Stages.IsDefaultOrEmpty && !Options.Stages.Contains(stage)))
        {
            return [];
        }

        var attempts = journey.GetAttempts(stage);
        if (attempts < Options.MaxAttempts)
        {
            return [];
        }

        return [arguments.MarkLost(Options.LossReason, string.Create(CultureInfo.InvariantCulture, $"{attempts} attempts at '{stage}' without result"))];
    }

    void IDefinitionCheck.Check(FunnelDefinition definition, ProblemCollector problems)
    {
        problems.Reasons([Options.LossReason], "The loss reason");
        problems.Stages(Options.Stages.IsDefault ? [] : Options.Stages, "The stage");
    }
}
