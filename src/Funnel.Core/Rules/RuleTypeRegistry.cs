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
        ArgumentException.ThrowIfNullOrWhiteSpace(typeName);
        ArgumentNullException.ThrowIfNull(factory);
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
        ArgumentNullException.ThrowIfNull(descriptor);
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

    private static RuleTypeRegistry CreateDefault() => new RuleTypeRegistry(ImmutableSortedDictionary.Create<string, Func<RuleParameters, RuleRegistration>>(StringComparer.Ordinal))
        .With(BuiltInRuleTypes.AllowedTransitions, p => Registrations.Guard(
            new AllowedTransitionsOptions
            {
                Id = p.GetString("id", BuiltInRuleTypes.AllowedTransitions),
                Priority = p.GetInt32("priority", 0),
                Enabled = p.GetBoolean("enabled", true),
                Transitions = p.GetStagePairs("transitions"),
            },
            GuardScope.OfKind(MoveKind.Move),
            o => new AllowedTransitionsRule(o)))
        .With(BuiltInRuleTypes.RequiredAttributes, p => Registrations.Guard(
            new RequiredAttributesOptions
            {
                Id = p.GetString("id", BuiltInRuleTypes.RequiredAttributes),
                Priority = p.GetInt32("priority", 0),
                Enabled = p.GetBoolean("enabled", true),
                Requirements = p.GetPrefixed("required").ToImmutableDictionary(
                    pair => new StageKey(pair.Key),
                    pair => ImmutableArray.Create(pair.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))),
                RejectBlankValues = p.GetBoolean("rejectBlankValues", true),
            },
            GuardScope.Funnel,
            o => new RequiredAttributesRule(o)))
        .With(BuiltInRuleTypes.LossReason, p => Registrations.Guard(
            new LossReasonOptions
            {
                Id = p.GetString("id", BuiltInRuleTypes.LossReason),
                Priority = p.GetInt32("priority", 0),
                Enabled = p.GetBoolean("enabled", true),
                AllowedReasons = [.. p.GetList("allowedReasons").Select(r => new LossReasonKey(r))],
                RequireComment = p.GetBoolean("requireComment", false),
                CommentRequiredFor = [.. p.GetList("commentRequiredFor").Select(r => new LossReasonKey(r))],
                MinimumCommentLength = p.GetInt32("minimumCommentLength", 1),
            },
            GuardScope.OfKind(MoveKind.Lost),
            o => new LossReasonRule(o)))
        .With(BuiltInRuleTypes.NoSkippingKeyStages, p => Registrations.Guard(
            new NoSkippingKeyStagesOptions
            {
                Id = p.GetString("id", BuiltInRuleTypes.NoSkippingKeyStages),
                Priority = p.GetInt32("priority", 0),
                Enabled = p.GetBoolean("enabled", true),
                Stages = [.. p.GetList("stages").Select(s => new StageKey(s))],
                IncludeWins = p.GetBoolean("includeWins", true),
            },
            GuardScope.Funnel,
            o => new NoSkippingKeyStagesRule(o)))
        .With(BuiltInRuleTypes.MaxAttempts, p => Registrations.Automation(
            new MaxAttemptsOptions
            {
                Id = p.GetString("id", BuiltInRuleTypes.MaxAttempts),
                Priority = p.GetInt32("priority", 0),
                Enabled = p.GetBoolean("enabled", true),
                MaxAttempts = p.GetInt32("maxAttempts", 3),
                LossReason = p.GetString("lossReason", LossReasonCatalog.Unreachable.Key.Value),
                Stages = [.. p.GetList("stages").Select(s => new StageKey(s))],
            },
            SignalKinds.AttemptRecorded,
            o => new MaxAttemptsRule(o)))
        .With(BuiltInRuleTypes.IdleLimit, p => Registrations.Automation(
            new IdleLimitOptions
            {
                Id = p.GetString("id", BuiltInRuleTypes.IdleLimit),
                Priority = p.GetInt32("priority", 0),
                Enabled = p.GetBoolean("enabled", true),
                Action = ParseIdleAction(p),
                LossReason = p.GetString("lossReason", LossReasonCatalog.SlowResponse.Key.Value),
                Limits = p.GetPrefixed("limit").ToImmutableDictionary(pair => new StageKey(pair.Key), pair => p.ParseTimeSpan("limit." + pair.Key, pair.Value)),
                Stages = [.. p.GetList("stages").Select(s => new StageKey(s))],
                TaskTitle = p.GetString("taskTitle", "Follow up: idle in {stage}"),
                AssigneeAttribute = p.GetString("assigneeAttribute", "owner"),
            },
            SignalKinds.Idle,
            o => new IdleLimitRule(o)))
        .With(BuiltInRuleTypes.AutoAdvance, p => Registrations.Automation(
            new AutoAdvanceOptions
            {
                Id = p.GetString("id", BuiltInRuleTypes.AutoAdvance),
                Priority = p.GetInt32("priority", 0),
                Enabled = p.GetBoolean("enabled", true),
                Signal = p.GetRequiredString("signal"),
                From = p.GetRequiredString("from"),
                To = p.GetRequiredString("to"),
                TaskTitle = p.GetOptionalString("taskTitle"),
                TaskDueAfter = p.GetTimeSpan("taskDueAfter", TimeSpan.FromHours(1)),
                AssigneeAttribute = p.GetString("assigneeAttribute", "owner"),
            },
            SignalKinds.External,
            o => new AutoAdvanceRule(o)))
        .With(BuiltInRuleTypes.Retargeting, p => Registrations.Automation(
            new RetargetingOptions
            {
                Id = p.GetString("id", BuiltInRuleTypes.Retargeting),
                Priority = p.GetInt32("priority", 0),
                Enabled = p.GetBoolean("enabled", true),
                Reasons = [.. p.GetList("reasons").Select(r => new LossReasonKey(r))],
                TaskTitle = p.GetString("taskTitle", "Win back: {reason}"),
                Delay = p.GetTimeSpan("delay", TimeSpan.FromDays(1)),
                Assignee = p.GetString("assignee", "Marketing"),
            },
            SignalKinds.Lost,
            o => new RetargetingRule(o)));

    private static IdleAction ParseIdleAction(RuleParameters parameters)
    {
        var text = parameters.GetString("action", nameof(IdleAction.Remind));
        return Enum.TryParse<IdleAction>(text, ignoreCase: true, out var action) && Enum.IsDefined(action)
            ? action
            : throw parameters.Problem("action", text, $"is not one of {string.Join(", ", Enum.GetNames<IdleAction>())}");
    }
}
