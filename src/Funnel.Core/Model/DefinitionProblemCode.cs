namespace Funnel.Core;

/// <summary>
/// The stable code of a problem found while validating a funnel definition. Codes never change meaning; new
/// codes may be added.
/// </summary>
public enum DefinitionProblemCode
{
    /// <summary>The definition key is blank.</summary>
    BlankDefinitionKey = 1,

    /// <summary>The definition has no stages.</summary>
    NoStages = 2,

    /// <summary>A stage key is blank.</summary>
    BlankStageKey = 3,

    /// <summary>Two stages share a key.</summary>
    DuplicateStageKey = 4,

    /// <summary>A loss reason key is blank.</summary>
    BlankLossReasonKey = 5,

    /// <summary>Two loss reasons share a key.</summary>
    DuplicateLossReasonKey = 6,

    /// <summary>A transition names a stage that the definition does not have.</summary>
    UnknownTransitionStage = 7,

    /// <summary>A stage's win probability is outside 0..1 (or not a number).</summary>
    ProbabilityOutOfRange = 8,

    /// <summary>A stage's idle limit is zero or negative.</summary>
    NonPositiveIdleLimit = 9,

    /// <summary>A stage cannot be reached from the first stage through the allowed transitions.</summary>
    UnreachableStage = 10,

    /// <summary>The definition does not name the stage at which a lead counts as won.</summary>
    GoalStageMissing = 11,

    /// <summary>The goal (won) stage names a stage that the definition does not have.</summary>
    GoalStageUnknown = 12,

    /// <summary>A required attribute name of a stage is blank.</summary>
    BlankRequiredAttribute = 13,

    /// <summary>A channel tag of a stage is blank.</summary>
    BlankChannel = 14,

    /// <summary>The definition has more than <see cref="FunnelDefinition.MaxStageCount"/> (32,767) stages.</summary>
    TooManyStages = 15,

    /// <summary>A stage's step window is negative, not whole seconds, or set on the first stage.</summary>
    InvalidStepWindow = 16,
}
