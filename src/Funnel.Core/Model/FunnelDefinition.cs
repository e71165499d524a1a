using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Funnel.Core;

/// <summary>
/// A validated funnel: its stages in order, the stage at which a lead counts as won, the loss reasons, and the
/// moves allowed between stages. Build one with <see cref="FunnelDefinitionBuilder"/> or take a template from
/// <see cref="FunnelTemplates"/>.
/// </summary>
/// <remarks>
/// Instances are immutable and thread-safe: one definition is shared by every journey that follows it. Two
/// definitions are equal when their keys, names, stages, loss reasons, goal and allowed moves are equal.
/// </remarks>
public sealed class FunnelDefinition : IEquatable<FunnelDefinition>
{
    /// <summary>
    /// The largest number of stages a definition may have: 32,767, the most that the bulk engine's 16-bit stage
    /// ordinals can address. <see cref="FunnelDefinitionBuilder.Build"/> reports more as
    /// <see cref="DefinitionProblemCode.TooManyStages"/>. Building a definition takes time and memory linear in its
    /// stages and explicit transitions.
    /// </summary>
    public const int MaxStageCount = short.MaxValue;

    private readonly Dictionary<StageKey, Stage> _stagesByKey;
    private readonly Dictionary<LossReasonKey, LossReason> _lossReasonsByKey;
    private readonly TransitionGraph _graph;

    internal FunnelDefinition(
        string key,
        string displayName,
        ImmutableArray<Stage> stages,
        ImmutableArray<LossReason> lossReasons,
        int goalOrder,
        TransitionOptions transitionOptions,
        ImmutableArray<AllowedTransition> transitions,
        TransitionGraph graph,
        OutcomeRule outcome)
    {
        Outcome = outcome;
        Key = key;
        DisplayName = displayName;
        Stages = stages;
        LossReasons = lossReasons;
        GoalStage = stages[goalOrder];
        TransitionOptions = transitionOptions;
        Transitions = transitions;
        _graph = graph;
        _stagesByKey = stages.ToDictionary(s => s.Key);
        _lossReasonsByKey = lossReasons.ToDictionary(r => r.Key);
    }

    /// <summary>Gets the key that identifies the definition, such as <c>"b2b-pipeline"</c>.</summary>
    public string Key { get; }

    /// <summary>Gets the name shown to people.</summary>
    public string DisplayName { get; }

    /// <summary>Gets the stages in funnel order; <see cref="Stage.Order"/> is the index in this array. Never empty.</summary>
    public ImmutableArray<Stage> Stages { get; }

    /// <summary>
    /// Gets what "won" means for the metrics: the status after the last event (<see cref="OutcomeRule.LastStatus"/>, the
    /// default) or won once the goal is reached (<see cref="OutcomeRule.Reached"/>).
    /// </summary>
    public OutcomeRule Outcome { get; }

    /// <summary>Gets the first stage, where every journey starts.</summary>
    public Stage FirstStage => Stages[0];

    /// <summary>Gets the stage at which a lead counts as won (the conversion goal). Stages after it are post-purchase.</summary>
    public Stage GoalStage { get; }

    /// <summary>Gets the reasons for which a lead can be lost, in declaration order.</summary>
    public ImmutableArray<LossReason> LossReasons { get; }

    /// <summary>Gets the moves allowed between any stages, on top of <see cref="Transitions"/>.</summary>
    public TransitionOptions TransitionOptions { get; }

    /// <summary>Gets the explicitly declared moves, in declaration order, without duplicates.</summary>
    public ImmutableArray<AllowedTransition> Transitions { get; }

    /// <summary>Finds a stage by key.</summary>
    /// <param name="key">The stage key.</param>
    /// <param name="stage">The stage, when found.</param>
    /// <returns><see langword="true"/> when the definition has a stage with that key.</returns>
    public bool TryGetStage(StageKey key, [NotNullWhen(true)] out Stage? stage) => _stagesByKey.TryGetValue(key, out stage);

    /// <summary>Gets a stage by key.</summary>
    /// <param name="key">The stage key.</param>
    /// <returns>The stage.</returns>
    /// <exception cref="ArgumentException">The definition has no stage with that key.</exception>
    public Stage GetStage(StageKey key) => Guard.Against.UnknownStage(this, key);

    /// <summary>Finds a loss reason by key.</summary>
    /// <param name="key">The loss reason key.</param>
    /// <param name="reason">The reason, when found.</param>
    /// <returns><see langword="true"/> when the definition has a loss reason with that key.</returns>
    public bool TryGetLossReason(LossReasonKey key, [NotNullWhen(true)] out LossReason? reason) => _lossReasonsByKey.TryGetValue(key, out reason);

    /// <summary>Gets a loss reason by key.</summary>
    /// <param name="key">The loss reason key.</param>
    /// <returns>The reason.</returns>
    /// <exception cref="ArgumentException">The definition has no loss reason with that key.</exception>
    public LossReason GetLossReason(LossReasonKey key) => Guard.Against.UnknownLossReason(this, key);

    /// <summary>Tells whether the definition allows a move from one stage to another.</summary>
    /// <param name="from">The stage the move starts from.</param>
    /// <param name="to">The stage the move ends in.</param>
    /// <returns><see langword="true"/> when both stages exist and the move is allowed.</returns>
    public bool IsTransitionAllowed(StageKey from, StageKey to) =>
        _stagesByKey.TryGetValue(from, out var f) && _stagesByKey.TryGetValue(to, out var t) && _graph.IsAllowed(f.Order, t.Order);

    /// <summary>Tells whether the definition allows a move between two stage orders (the fast path).</summary>
    /// <param name="fromOrder">The order of the stage the move starts from.</param>
    /// <param name="toOrder">The order of the stage the move ends in.</param>
    /// <returns><see langword="true"/> when the move is allowed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An order is not a stage order of this definition.</exception>
    public bool IsTransitionAllowed(int fromOrder, int toOrder)
    {
        Guard.Against.IndexOutOfRange(fromOrder, Stages.Length);
        Guard.Against.IndexOutOfRange(toOrder, Stages.Length);
        return _graph.IsAllowed(fromOrder, toOrder);
    }

    /// <summary>Classifies a move by the order of its stages: forward, skip, back or re-entry.</summary>
    /// <param name="from">The stage the move starts from.</param>
    /// <param name="to">The stage the move ends in.</param>
    /// <returns>The shape of the move.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="from"/> or <paramref name="to"/> is <see langword="null"/>.</exception>
    public static TransitionKind ClassifyTransition(Stage from, Stage to)
    {
        Guard.Against.Null(from);
        Guard.Against.Null(to);
        return TransitionGraph.Classify(from.Order, to.Order);
    }

    /// <summary>Lists every allowed move, from the options and the explicit transitions, ordered by source then target stage.</summary>
    /// <returns>The allowed moves. Time and memory are linear in stages + the moves listed; note that
    /// <see cref="TransitionOptions.Skips"/> or <see cref="TransitionOptions.BackMoves"/> allow a number of moves
    /// quadratic in the number of stages.</returns>
    public ImmutableArray<AllowedTransition> GetAllowedTransitions()
    {
        var result = ImmutableArray.CreateBuilder<AllowedTransition>();
        _graph.ForEachAllowed((from, to) => result.Add(new AllowedTransition(Stages[from].Key, Stages[to].Key, TransitionGraph.Classify(from, to))));
        return result.ToImmutable();
    }

    /// <summary>Starts a new builder holding this definition, to derive a changed definition from it.</summary>
    /// <returns>A new builder; the definition itself is not changed.</returns>
    public FunnelDefinitionBuilder ToBuilder() => new(this);

    /// <inheritdoc />
    public bool Equals(FunnelDefinition? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (string.Equals(Key, other.Key, StringComparison.Ordinal)
                && string.Equals(DisplayName, other.DisplayName, StringComparison.Ordinal)
                && Stages.SequenceEqual(other.Stages)
                && LossReasons.SequenceEqual(other.LossReasons)
                && GoalStage.Order == other.GoalStage.Order
                && TransitionOptions == other.TransitionOptions
                && Outcome == other.Outcome
                && Transitions.SequenceEqual(other.Transitions)
                && _graph.SameAs(other._graph)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FunnelDefinition);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Key, Stages.Length, LossReasons.Length, GoalStage.Order);

    /// <summary>Returns the key and the number of stages.</summary>
    /// <returns>A text such as <c>shop (4 stages)</c>.</returns>
    public override string ToString() => $"{Key} ({Stages.Length} stages)";
}
