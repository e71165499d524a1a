using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>The <c>Add…</c> methods for the built-in rules and for lambda rules.</summary>
public static class RuleSetBuilderExtensions
{
    /// <summary>Adds <see cref="AllowedTransitionsRule"/>: only the listed moves between stages are allowed.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static RuleSetBuilder AddAllowedTransitions(this RuleSetBuilder builder, AllowedTransitionsOptions options)
    {
        Guard.Against.Null(builder);
        Guard.Against.Null(options);
        return builder.Add(Registrations.Guard(options, new AllowedTransitionsRule(options), GuardScope.OfKind(MoveKind.Move)));
    }

    /// <summary>Adds <see cref="RequiredAttributesRule"/>: attributes required before entering stages.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static RuleSetBuilder AddRequiredAttributes(this RuleSetBuilder builder, RequiredAttributesOptions options)
    {
        Guard.Against.Null(builder);
        Guard.Against.Null(options);
        return builder.Add(Registrations.Guard(options, new RequiredAttributesRule(options), GuardScope.Funnel));
    }

    /// <summary>Adds <see cref="LossReasonRule"/>: a loss needs an allowed reason and, if configured, a comment.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options; default <see langword="null"/> for the defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static RuleSetBuilder AddLossReasonRequired(this RuleSetBuilder builder, LossReasonOptions? options = null)
    {
        Guard.Against.Null(builder);
        options ??= new LossReasonOptions();
        return builder.Add(Registrations.Guard(options, new LossReasonRule(options), GuardScope.OfKind(MoveKind.Lost)));
    }

    /// <summary>Adds <see cref="NoSkippingKeyStagesRule"/>: key stages may not be skipped.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options; default <see langword="null"/> for the defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static RuleSetBuilder AddNoSkippingKeyStages(this RuleSetBuilder builder, NoSkippingKeyStagesOptions? options = null)
    {
        Guard.Against.Null(builder);
        options ??= new NoSkippingKeyStagesOptions();
        return builder.Add(Registrations.Guard(options, new NoSkippingKeyStagesRule(options), GuardScope.Funnel));
    }

    /// <summary>Adds <see cref="MaxAttemptsRule"/>: too many attempts in a stage lose the lead.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options; default <see langword="null"/> for the defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static RuleSetBuilder AddMaxAttempts(this RuleSetBuilder builder, MaxAttemptsOptions? options = null)
    {
        Guard.Against.Null(builder);
        options ??= new MaxAttemptsOptions();
        return builder.Add(Registrations.Automation(options, new MaxAttemptsRule(options), SignalKinds.AttemptRecorded));
    }

    /// <summary>Adds <see cref="IdleLimitRule"/>: idle leads get a reminder or are lost, on <see cref="SignalKinds.Idle"/> sweeps.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options; default <see langword="null"/> for the defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static RuleSetBuilder AddIdleLimit(this RuleSetBuilder builder, IdleLimitOptions? options = null)
    {
        Guard.Against.Null(builder);
        options ??= new IdleLimitOptions();
        return builder.Add(Registrations.Automation(options, new IdleLimitRule(options), SignalKinds.Idle));
    }

    /// <summary>Adds <see cref="AutoAdvanceRule"/>: a named signal moves the lead on, with an optional task.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static RuleSetBuilder AddAutoAdvance(this RuleSetBuilder builder, AutoAdvanceOptions options)
    {
        Guard.Against.Null(builder);
        Guard.Against.Null(options);
        return builder.Add(Registrations.Automation(options, new AutoAdvanceRule(options), SignalKinds.External));
    }

    /// <summary>Adds <see cref="RetargetingRule"/>: a recoverable loss schedules a retargeting task.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options; default <see langword="null"/> for the defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static RuleSetBuilder AddRetargeting(this RuleSetBuilder builder, RetargetingOptions? options = null)
    {
        Guard.Against.Null(builder);
        options ??= new RetargetingOptions();
        return builder.Add(Registrations.Automation(options, new RetargetingRule(options), SignalKinds.Lost));
    }

    /// <summary>Adds a lambda guard, for quick custom logic.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="id">The rule id; not blank, unique in the set.</param>
    /// <param name="check">The decision.</param>
    /// <param name="scope">Which changes it is asked about; default the whole funnel.</param>
    /// <param name="priority">Higher runs first; default 0.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is blank.</exception>
    public static RuleSetBuilder AddGuard(this RuleSetBuilder builder, string id, Func<GuardArguments, GuardVerdict> check, GuardScope scope = default, int priority = 0)
    {
        Guard.Against.Null(builder);
        return builder.AddGuard(id, new LambdaGuard(check), scope, priority);
    }

    /// <summary>Adds a lambda automation, for quick custom logic.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="id">The rule id; not blank, unique in the set.</param>
    /// <param name="signals">The signal kinds it reacts to.</param>
    /// <param name="react">The reaction; return <c>[]</c> when nothing is to be done.</param>
    /// <param name="priority">Higher runs first; default 0.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="signals"/> is none.</exception>
    public static RuleSetBuilder AddAutomation(this RuleSetBuilder builder, string id, SignalKinds signals, Func<AutomationArguments, ImmutableArray<RuleCommand>> react, int priority = 0)
    {
        Guard.Against.Null(builder);
        return builder.AddAutomation(id, new LambdaAutomation(react), signals, priority);
    }
}
