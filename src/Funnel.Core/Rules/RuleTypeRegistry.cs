using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>
/// Maps rule type names to factories that create a rule from a <see cref="RuleDescriptor"/>'s parameters.
/// <see cref="Default"/> knows every built-in rule (<see cref="BuiltInRuleTypes"/>); add your own types with
/// <see cref="With"/>. Nothing is compiled or evaluated: a factory reads typed parameters and builds a rule.
/// </summary>
/// <remarks>Instances are immutable and thread-safe; <see cref="With"/> returns a new registry.</remarks>
public sealed class RuleTypeRegistry
{
    private readonly ImmutableSortedDictionary<string, Func<RuleParameters, RuleRegistration>> _factories;

    private RuleTypeRegistry(ImmutableSortedDictionary<string, Func<RuleParameters, RuleRegistration>> factories)
    {
        _factories = factories;
    }

    /// <summary>Gets the registry of the built-in rule types.</summary>
    public static RuleTypeRegistry Default { get; } = CreateDefault();

    /// <summary>Gets the known type names, in ordinal order.</summary>
    public IEnumerable<string> TypeNames => _factories.Keys;

    /// <summary>Returns a registry that also knows a rule type.</summary>
    /// <param name="typeName">The type name; not blank, not yet registered.</param>
    /// <param name="factory">Creates the rule from the parameters; read them with the typed getters so that unknown parameters can be reported.</param>
    /// <returns>The new registry.</returns>
    /// <exception cref="ArgumentException"><paramref name="typeName"/> is blank or already registered.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public RuleTypeRegistry With(string typeName, Func<RuleParameters, RuleRegistration> factory)
    {
        Guard.Against.NullOrBlank(typeName);
        Guard.Against.Null(factory);
        if (_factories.ContainsKey(typeName))
        {
            throw new ArgumentException($"The rule type '{typeName}' is already registered.", nameof(typeName));
        }

        return new RuleTypeRegistry(_factories.Add(typeName, factory));
    }

    /// <summary>Creates the rule a descriptor describes.</summary>
    /// <param name="descriptor">The descriptor.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is <see langword="null"/>.</exception>
    /// <exception cref="RuleConfigurationException">The type name is unknown (the message lists the known ones), or a parameter is missing, unknown, malformed or invalid.</exception>
    public RuleRegistration Create(RuleDescriptor descriptor)
    {
        Guard.Against.Null(descriptor);
        if (!_factories.TryGetValue(descriptor.TypeName, out var factory))
        {
            throw new RuleConfigurationException(
                $"Unknown rule type '{descriptor.TypeName}'. Known rule types: {string.Join(", ", _factories.Keys)}.");
        }

        var parameters = new RuleParameters(descriptor.TypeName, descriptor.Parameters);
        RuleRegistration rule;
        try
        {
            rule = factory(parameters);
        }
        catch (ArgumentException ex)
        {
            throw new RuleConfigurationException($"Rule type '{descriptor.TypeName}': {ex.Message}", ex);
        }

        parameters.ThrowIfUnknown();
        return rule;
    }

    // Each options type reads its own parameters, with the defaults written once on its properties.
    private static RuleTypeRegistry CreateDefault() => new RuleTypeRegistry(ImmutableSortedDictionary.Create<string, Func<RuleParameters, RuleRegistration>>(StringComparer.Ordinal))
        .With(BuiltInRuleTypes.AllowedTransitions, p => Registrations.Guard(new AllowedTransitionsOptions(p), GuardScope.OfKind(MoveKind.Move), o => new AllowedTransitionsRule(o)))
        .With(BuiltInRuleTypes.RequiredAttributes, p => Registrations.Guard(new RequiredAttributesOptions(p), GuardScope.Funnel, o => new RequiredAttributesRule(o)))
        .With(BuiltInRuleTypes.LossReason, p => Registrations.Guard(new LossReasonOptions(p), GuardScope.OfKind(MoveKind.Lost), o => new LossReasonRule(o)))
        .With(BuiltInRuleTypes.NoSkippingKeyStages, p => Registrations.Guard(new NoSkippingKeyStagesOptions(p), GuardScope.Funnel, o => new NoSkippingKeyStagesRule(o)))
        .With(BuiltInRuleTypes.MaxAttempts, p => Registrations.Automation(new MaxAttemptsOptions(p), SignalKinds.AttemptRecorded, o => new MaxAttemptsRule(o)))
        .With(BuiltInRuleTypes.IdleLimit, p => Registrations.Automation(new IdleLimitOptions(p), SignalKinds.Idle, o => new IdleLimitRule(o)))
        .With(BuiltInRuleTypes.AutoAdvance, p => Registrations.Automation(new AutoAdvanceOptions(p), SignalKinds.External, o => new AutoAdvanceRule(o)))
        .With(BuiltInRuleTypes.Retargeting, p => Registrations.Automation(new RetargetingOptions(p), SignalKinds.Lost, o => new RetargetingRule(o)));
}
