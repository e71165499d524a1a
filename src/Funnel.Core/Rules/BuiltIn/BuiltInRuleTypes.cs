namespace Funnel.Core.Rules;

/// <summary>
/// The type names of the built-in rules, used in <see cref="RuleDescriptor.TypeName"/> and as each rule's default
/// id. See docs/rules.md for their parameters.
/// </summary>
public static class BuiltInRuleTypes
{
    /// <summary>Only listed stage changes are allowed (<see cref="AllowedTransitionsRule"/>).</summary>
    public const string AllowedTransitions = "allowed-transitions";

    /// <summary>Attributes required before entering a stage (<see cref="RequiredAttributesRule"/>).</summary>
    public const string RequiredAttributes = "required-attributes";

    /// <summary>A loss needs a reason from the catalog, optionally a comment (<see cref="LossReasonRule"/>).</summary>
    public const string LossReason = "loss-reason";

    /// <summary>Key stages may not be skipped (<see cref="NoSkippingKeyStagesRule"/>).</summary>
    public const string NoSkippingKeyStages = "no-skipping-key-stages";

    /// <summary>Too many attempts in a stage lose the lead (<see cref="MaxAttemptsRule"/>).</summary>
    public const string MaxAttempts = "max-attempts";

    /// <summary>A lead idle past a stage's limit is lost or gets a reminder task (<see cref="IdleLimitRule"/>).</summary>
    public const string IdleLimit = "idle-limit";

    /// <summary>A named signal moves the lead on, with an optional task (<see cref="AutoAdvanceRule"/>).</summary>
    public const string AutoAdvance = "auto-advance";

    /// <summary>A recoverable loss schedules a retargeting task (<see cref="RetargetingRule"/>).</summary>
    public const string Retargeting = "retargeting";
}
