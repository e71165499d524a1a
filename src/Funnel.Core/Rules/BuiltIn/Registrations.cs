namespace Funnel.Core.Rules;

/// <summary>Turns a built-in rule and its options into a registration.</summary>
internal static class Registrations
{
    public static RuleRegistration Guard(RuleOptions options, ITransitionGuard guard, GuardScope scope) =>
        RuleRegistration.ForGuard(options.Id, guard, scope, options.Priority, options.Enabled);

    public static RuleRegistration Automation(RuleOptions options, IAutomation automation, SignalKinds signals) =>
        RuleRegistration.ForAutomation(options.Id, automation, signals, options.Priority, options.Enabled);

    public static RuleRegistration Guard<TOptions>(TOptions options, GuardScope scope, Func<TOptions, ITransitionGuard> create)
        where TOptions : RuleOptions => Guard(options, create(options), scope);

    public static RuleRegistration Automation<TOptions>(TOptions options, SignalKinds signals, Func<TOptions, IAutomation> create)
        where TOptions : RuleOptions => Automation(options, create(options), signals);
}
