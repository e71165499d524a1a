namespace Funnel.Core.Bulk;

/// <summary>
/// A funnel as the bulk engine sees it: how many stages and loss reasons the ordinals of a <see cref="TransitionLog"/>
/// range over, and which stage ordinal is the goal. Validated once, so that the engine's constructors take one checked
/// value instead of three bare integers.
/// </summary>
/// <remarks>
/// Build it from a definition with <see cref="Of"/> (stage orders and loss-reason indexes are the log's ordinals), or
/// from plain ordinals with the constructor. Instances are immutable and compare by value.
/// </remarks>
/// <example>
/// <code>
/// var analyzer = new TransitionAnalyzer(FunnelShape.Of(definition), TimeSpan.FromDays(30));
/// var sameShape = new TransitionAnalyzer(new FunnelShape(stageCount: 4, goalStage: 3, lossReasonCount: 2), TimeSpan.FromDays(30));
/// </code>
/// </example>
public sealed class FunnelShape : IEquatable<FunnelShape>
{
    /// <summary>The largest number of stages, and of loss reasons, the bulk engine supports (ordinals are 16-bit).</summary>
    public const int MaxCount = short.MaxValue;

    /// <summary>Creates a shape from plain ordinals.</summary>
    /// <param name="stageCount">The number of stages (ordinals 0..stageCount − 1); 1..<see cref="MaxCount"/>.</param>
    /// <param name="goalStage">The ordinal of the goal stage: a lead whose last event is an entry into it or a later stage is won; 0..stageCount − 1.</param>
    /// <param name="lossReasonCount">The number of loss reasons (ordinals 0..lossReasonCount − 1); 0..<see cref="MaxCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count or the goal is out of range.</exception>
    public FunnelShape(int stageCount, int goalStage, int lossReasonCount)
    {
        Guard.Against.NotBetween(stageCount, 1, MaxCount);
        Guard.Against.IndexOutOfRange(goalStage, stageCount);
        Guard.Against.NegativeNumber(lossReasonCount);
        Guard.Against.GreaterThan(lossReasonCount, MaxCount);
        StageCount = stageCount;
        GoalStage = goalStage;
        LossReasonCount = lossReasonCount;
    }

    /// <summary>Gets the number of stages.</summary>
    public int StageCount { get; }

    /// <summary>Gets the ordinal of the goal stage.</summary>
    public int GoalStage { get; }

    /// <summary>Gets the number of loss reasons.</summary>
    public int LossReasonCount { get; }

    /// <summary>Gets the shape of a definition: its stages (by <see cref="Stage.Order"/>), its goal stage and its loss reasons (by index).</summary>
    /// <param name="definition">The definition.</param>
    /// <returns>The shape.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The definition has more than <see cref="MaxCount"/> stages or loss reasons.</exception>
    /// <exception cref="ArgumentException">
    /// The definition's <see cref="FunnelDefinition.Outcome"/> is <see cref="OutcomeRule.Reached"/>: the bulk engine
    /// judges outcomes by each entity's last event only (<see cref="OutcomeRule.LastStatus"/>), so it refuses rather than
    /// give other won, lost and open counts than the metrics. Its other outputs do not depend on the rule: build the
    /// shape with the constructor to get them, knowing that its outcomes are last-status.
    /// </exception>
    public static FunnelShape Of(FunnelDefinition definition)
    {
        Guard.Against.Null(definition);
        if (definition.Outcome == OutcomeRule.Reached)
        {
            throw new ArgumentException(
                $"Funnel '{definition.Key}' counts a lead won once it reaches the goal (Outcome = OutcomeRule.Reached, JSON \"outcome\": \"reached\"), but the bulk engine judges won, lost and open by each entity's last event only (outcome \"last-status\"). Use FunnelReport for this definition, or build a FunnelShape with its constructor for the outputs that do not depend on the outcome.",
                nameof(definition));
        }

        return new FunnelShape(definition.Stages.Length, definition.GoalStage.Order, definition.LossReasons.Length);
    }

    /// <inheritdoc/>
    public bool Equals(FunnelShape? other) =>
        other is not null && other.StageCount == StageCount && other.GoalStage == GoalStage && other.LossReasonCount == LossReasonCount;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as FunnelShape);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(StageCount, GoalStage, LossReasonCount);

    /// <summary>Returns a short description.</summary>
    /// <returns>For example <c>4 stages (goal 3), 2 loss reasons</c>.</returns>
    public override string ToString() => $"{StageCount} stages (goal {GoalStage}), {LossReasonCount} loss reasons";
}
