using System.Diagnostics.Metrics;

namespace Funnel.Core.Rules;

/// <summary>
/// Collects rules for a <see cref="RuleSet"/>. Built-in rules are added with the <c>Add…</c> extension methods
/// (<see cref="RuleSetBuilderExtensions"/>), custom ones with <see cref="AddGuard(string, ITransitionGuard, GuardScope, int)"/>
/// and <see cref="AddAutomation(string, IAutomation, SignalKinds, int)"/>, declared ones with <see cref="Add(RuleDescriptor, RuleTypeRegistry?)"/>.
/// </summary>
/// <remarks>A builder is mutable and not thread-safe; use it from one thread, then share the built <see cref="RuleSet"/>.</remarks>
public sealed class RuleSetBuilder
{
    private readonly List<RuleRegistration> _rules = [];
    private readonly List<string> _disabled = [];
    private int _maxCascadeDepth = RuleSet.DefaultMaxCascadeDepth;
    private IMeterFactory? _meterFactory;

    /// <summary>Creates an empty builder.</summary>
    public RuleSetBuilder()
    {
    }

    internal RuleSetBuilder(RuleSet ruleSet)
    {
        _rules.AddRange(ruleSet.Rules);
        _maxCascadeDepth = ruleSet.MaxCascadeDepth;
        _meterFactory = ruleSet.MeterFactory;
    }

    /// <summary>Adds a rule.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rule"/> is <see langword="null"/>.</exception>
    public RuleSetBuilder Add(RuleRegistration rule)
    {
        Guard.Against.Null(rule);
        _rules.Add(rule);
        return this;
    }

    /// <summary>Adds a custom guard.</summary>
    /// <param name="id">The rule id; not blank, unique in the set.</param>
    /// <param name="guard">The guard.</param>
    /// <param name="scope">Which changes it is asked about; default the whole funnel.</param>
    /// <param name="priority">Higher runs first; default 0.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="guard"/> is <see langword="null"/>.</exception>
    public RuleSetBuilder AddGuard(string id, ITransitionGuard guard, GuardScope scope = default, int priority = 0) =>
        Add(RuleRegistration.ForGuard(id, guard, scope, priority));

    /// <summary>Adds a custom automation.</summary>
    /// <param name="id">The rule id; not blank, unique in the set.</param>
    /// <param name="automation">The automation.</param>
    /// <param name="signals">The signal kinds it reacts to.</param>
    /// <param name="priority">Higher runs first; default 0.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="automation"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="signals"/> is none.</exception>
    public RuleSetBuilder AddAutomation(string id, IAutomation automation, SignalKinds signals, int priority = 0) =>
        Add(RuleRegistration.ForAutomation(id, automation, signals, priority));

    /// <summary>Adds a rule described as data (a type name and parameters), created by a registry's factory.</summary>
    /// <param name="descriptor">The description.</param>
    /// <param name="registry">The registry of rule types; default <see cref="RuleTypeRegistry.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is <see langword="null"/>.</exception>
    /// <exception cref="RuleConfigurationException">The type name is unknown (the message lists the known ones) or a parameter is missing, unknown or malformed.</exception>
    public RuleSetBuilder Add(RuleDescriptor descriptor, RuleTypeRegistry? registry = null)
    {
        Guard.Against.Null(descriptor);
        return Add((registry ?? RuleTypeRegistry.Default).Create(descriptor));
    }

    /// <summary>Disables a rule by id (it stays in the set and can be enabled with <see cref="RuleSet.WithEnabled(string, bool)"/>).</summary>
    /// <param name="id">The rule id; checked when the set is built.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is blank.</exception>
    public RuleSetBuilder Disable(string id)
    {
        Guard.Against.NullOrBlank(id);
        _disabled.Add(id);
        return this;
    }

    /// <summary>Sets how many move, win, loss and reopen commands one <see cref="RuleSet.Run(Journey, MoveRequest)"/> may apply.</summary>
    /// <param name="depth">At least 1.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="depth"/> is less than 1.</exception>
    public RuleSetBuilder WithMaxCascadeDepth(int depth)
    {
        Guard.Against.LessThan(depth, 1);
        _maxCascadeDepth = depth;
        return this;
    }

    /// <summary>
    /// Sets the factory of the <c>Funnel</c> meter the rule set records on (see <see cref="RuleSet.WithMeterFactory(IMeterFactory?)"/>);
    /// Funnel.Extensions.DependencyInjection passes the container's <see cref="IMeterFactory"/> when one is registered.
    /// </summary>
    /// <param name="meterFactory">The factory; <see langword="null"/> for the process-wide static meter (the default).</param>
    /// <returns>This builder.</returns>
    public RuleSetBuilder WithMeterFactory(IMeterFactory? meterFactory)
    {
        _meterFactory = meterFactory;
        return this;
    }

    /// <summary>Builds the immutable rule set.</summary>
    /// <returns>The rule set.</returns>
    /// <exception cref="RuleConfigurationException">Rule ids repeat, or a disabled id names no rule; the message lists every problem.</exception>
    public RuleSet Build()
    {
        var problems = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in _rules)
        {
            if (!ids.Add(rule.Id))
            {
                problems.Add($"The rule id '{rule.Id}' is used more than once.");
            }
        }

        foreach (var id in _disabled)
        {
            if (!ids.Contains(id))
            {
                problems.Add($"Cannot disable '{id}': no rule has that id (known: {string.Join(", ", _rules.Select(r => r.Id))}).");
            }
        }

        if (problems.Count > 0)
        {
            throw new RuleConfigurationException("The rule set is invalid: " + string.Join(" ", problems));
        }

        var disabled = new HashSet<string>(_disabled, StringComparer.Ordinal);
        return new RuleSet([.. _rules.Select(r => disabled.Contains(r.Id) ? r.WithEnabled(false) : r)], _maxCascadeDepth, RuleSetTelemetry.For(_meterFactory));
    }
}
