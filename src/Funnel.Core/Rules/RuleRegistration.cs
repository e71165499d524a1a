namespace Funnel.Core.Rules;

/// <summary>
/// One rule in a <see cref="RuleSet"/>: its id, priority, whether it is enabled, and either a guard with its
/// <see cref="GuardScope"/> or an automation with the <see cref="SignalKinds"/> it reacts to.
/// </summary>
/// <remarks>Instances are immutable and thread-safe (provided the guard or automation is).</remarks>
public sealed class RuleRegistration
{
    private RuleRegistration(string id, int priority, bool isEnabled, ITransitionGuard? guard, GuardScope scope, IAutomation? automation, SignalKinds signals)
    {
        Id = id;
        Priority = priority;
        IsEnabled = isEnabled;
        Guard = guard;
        Scope = scope;
        Automation = automation;
        Signals = signals;
    }

    /// <summary>Gets the rule id; unique within a rule set, compared ordinally. Violations and commands carry it.</summary>
    public string Id { get; }

    /// <summary>Gets the priority: rules with a higher priority run first; equal priorities keep registration order.</summary>
    /// <value>Default 0.</value>
    public int Priority { get; }

    /// <summary>Gets a value indicating whether the rule runs.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool IsEnabled { get; }

    /// <summary>Gets the guard, or <see langword="null"/> for an automation.</summary>
    public ITransitionGuard? Guard { get; }

    /// <summary>Gets which changes the guard is asked about; <see cref="GuardScope.Funnel"/> for an automation.</summary>
    public GuardScope Scope { get; }

    /// <summary>Gets the automation, or <see langword="null"/> for a guard.</summary>
    public IAutomation? Automation { get; }

    /// <summary>Gets the signal kinds the automation reacts to; <see cref="SignalKinds.None"/> for a guard.</summary>
    public SignalKinds Signals { get; }

    /// <summary>Creates a guard registration.</summary>
    /// <param name="id">The rule id; not blank.</param>
    /// <param name="guard">The guard.</param>
    /// <param name="scope">Which changes it is asked about; default the whole funnel.</param>
    /// <param name="priority">Higher runs first; default 0.</param>
    /// <param name="enabled">Whether it runs; default <see langword="true"/>.</param>
    /// <returns>The registration.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="guard"/> is <see langword="null"/>.</exception>
    public static RuleRegistration ForGuard(string id, ITransitionGuard guard, GuardScope scope = default, int priority = 0, bool enabled = true)
    {
        Ardalis.GuardClauses.Guard.Against.NullOrBlank(id);
        Ardalis.GuardClauses.Guard.Against.Null(guard);
        return new(id, priority, enabled, guard, scope, null, SignalKinds.None);
    }

    /// <summary>Creates an automation registration.</summary>
    /// <param name="id">The rule id; not blank.</param>
    /// <param name="automation">The automation.</param>
    /// <param name="signals">The signal kinds it reacts to; not <see cref="SignalKinds.None"/>.</param>
    /// <param name="priority">Higher runs first; default 0.</param>
    /// <param name="enabled">Whether it runs; default <see langword="true"/>.</param>
    /// <returns>The registration.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="automation"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="signals"/> is none or has unknown flags.</exception>
    public static RuleRegistration ForAutomation(string id, IAutomation automation, SignalKinds signals, int priority = 0, bool enabled = true)
    {
        Ardalis.GuardClauses.Guard.Against.NullOrBlank(id);
        Ardalis.GuardClauses.Guard.Against.Null(automation);
        if (signals == SignalKinds.None || (signals & ~SignalKinds.All) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(signals), signals, "An automation reacts to at least one known signal kind.");
        }

        return new(id, priority, enabled, null, default, automation, signals);
    }

    /// <summary>Returns a copy enabled or disabled.</summary>
    /// <param name="enabled">Whether it runs.</param>
    /// <returns>The registration (this one when unchanged).</returns>
    public RuleRegistration WithEnabled(bool enabled) =>
        enabled == IsEnabled ? this : new(Id, Priority, enabled, Guard, Scope, Automation, Signals);

    /// <summary>Returns the id, the kind and the scope or signals.</summary>
    /// <returns>A text such as <c>loss-reason: guard (kind Lost)</c>.</returns>
    public override string ToString() =>
        Guard is not null ? $"{Id}: guard ({Scope}){(IsEnabled ? "" : " disabled")}" : $"{Id}: automation ({Signals}){(IsEnabled ? "" : " disabled")}";
}
