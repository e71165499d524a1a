using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Funnel.Core;

/// <summary>
/// Builds a <see cref="FunnelDefinition"/> step by step. <see cref="Build"/> validates everything and reports
/// every problem at once; <see cref="TryBuild"/> returns the problems without throwing.
/// </summary>
/// <remarks>
/// A builder is single-use: once it has built a definition, every further call throws
/// <see cref="InvalidOperationException"/>. It is mutable and not thread-safe.
/// </remarks>
/// <example>
/// <code>
/// var funnel = new FunnelDefinitionBuilder("shop", "Online shop")
///     .AddStage("attention")
///     .AddStage("interest")
///     .AddStage("desire", s => s.WithDisplayName("Added to cart"))
///     .AddStage("action", s => s.WithKind(StageKind.Key))
///     .WonAt("action")
///     .AddLossReasons(LossReasonCatalog.Standard)
///     .Build();
/// </code>
/// </example>
public sealed partial class FunnelDefinitionBuilder
{
    private readonly List<StageBuilder> _stages = [];
    private readonly List<LossReasonEntry> _lossReasons = [];
    private readonly List<(string From, string To)> _transitions = [];
    private string? _goalStage;
    private TransitionOptions _options = TransitionOptions.Default;
    private OutcomeRule _outcome = OutcomeRule.LastStatus;
    private bool _built;

    /// <summary>Starts a definition.</summary>
    /// <param name="key">The key that identifies the definition, such as <c>"b2b-pipeline"</c>; validated by <see cref="Build"/>.</param>
    /// <param name="displayName">The name shown to people; when <see langword="null"/> or blank, the key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public FunnelDefinitionBuilder(string key, string? displayName = null)
    {
        Guard.Against.Null(key);
        Key = key;
        DisplayName = displayName;
    }

    internal FunnelDefinitionBuilder(FunnelDefinition definition)
        : this(definition.Key, definition.DisplayName)
    {
        foreach (var stage in definition.Stages)
        {
            _stages.Add(new StageBuilder(stage));
        }

        foreach (var reason in definition.LossReasons)
        {
            _lossReasons.Add(new LossReasonEntry(reason.Key.Value, reason.DisplayName, reason.Category, reason.IsRecoverable));
        }

        foreach (var transition in definition.Transitions)
        {
            _transitions.Add((transition.From.Value, transition.To.Value));
        }

        _goalStage = definition.GoalStage.Key.Value;
        _options = definition.TransitionOptions;
        _outcome = definition.Outcome;
    }

    private string Key { get; }

    private string? DisplayName { get; }

    /// <summary>Adds a stage after the ones added so far.</summary>
    /// <param name="key">The stage key; validated by <see cref="Build"/>.</param>
    /// <param name="configure">Sets the stage's other properties; optional.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The builder has already built a definition.</exception>
    public FunnelDefinitionBuilder AddStage(string key, Action<StageBuilder>? configure = null)
    {
        Guard.Against.Null(key);
        ThrowIfBuilt();
        var stage = new StageBuilder(key);
        configure?.Invoke(stage);
        _stages.Add(stage);
        return this;
    }

    /// <summary>Adds a loss reason.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The builder has already built a definition.</exception>
    public FunnelDefinitionBuilder AddLossReason(LossReason reason)
    {
        Guard.Against.Null(reason);
        ThrowIfBuilt();
        _lossReasons.Add(new LossReasonEntry(reason.Key.Value, reason.DisplayName, reason.Category, reason.IsRecoverable));
        return this;
    }

    /// <summary>Adds a loss reason from its parts.</summary>
    /// <param name="key">The reason key; validated by <see cref="Build"/>.</param>
    /// <param name="displayName">The name shown to people; when blank, the key.</param>
    /// <param name="category">The category of the reason.</param>
    /// <param name="isRecoverable">Whether a lead lost for this reason can still be won back.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The builder has already built a definition.</exception>
    public FunnelDefinitionBuilder AddLossReason(string key, string? displayName = null, LossCategory category = LossCategory.Other, bool isRecoverable = false)
    {
        Guard.Against.Null(key);
        ThrowIfBuilt();
        _lossReasons.Add(new LossReasonEntry(key, displayName, category, isRecoverable));
        return this;
    }

    /// <summary>Adds several loss reasons, such as <see cref="LossReasonCatalog.Standard"/>.</summary>
    /// <param name="reasons">The reasons.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reasons"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The builder has already built a definition.</exception>
    public FunnelDefinitionBuilder AddLossReasons(IEnumerable<LossReason> reasons)
    {
        Guard.Against.Null(reasons);
        foreach (var reason in reasons)
        {
            AddLossReason(reason);
        }

        return this;
    }

    /// <summary>Names the stage at which a lead counts as won (the conversion goal). Stages after it (post-purchase) are allowed.</summary>
    /// <param name="stageKey">The goal stage key; validated by <see cref="Build"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stageKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The builder has already built a definition.</exception>
    public FunnelDefinitionBuilder WonAt(string stageKey)
    {
        Guard.Against.Null(stageKey);
        ThrowIfBuilt();
        _goalStage = stageKey;
        return this;
    }

    /// <summary>
    /// Sets what "won" means for the metrics: <see cref="OutcomeRule.LastStatus"/> (the default: the status after the
    /// last event, for CRM pipelines) or <see cref="OutcomeRule.Reached"/> (won once the goal is reached, for event streams).
    /// </summary>
    /// <param name="outcome">The rule.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outcome"/> is not a defined rule.</exception>
    /// <exception cref="InvalidOperationException">The builder has already built a definition.</exception>
    public FunnelDefinitionBuilder WithOutcome(OutcomeRule outcome)
    {
        if (outcome is not (OutcomeRule.LastStatus or OutcomeRule.Reached))
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Use OutcomeRule.LastStatus or OutcomeRule.Reached.");
        }

        ThrowIfBuilt();
        _outcome = outcome;
        return this;
    }

    /// <summary>
    /// Sets the moves allowed between any stages. The default is <see cref="TransitionOptions.Default"/> (forward one
    /// stage); <see cref="TransitionOptions.None"/> leaves only the explicit transitions, a strict graph.
    /// </summary>
    /// <param name="options">The moves allowed everywhere.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">The builder has already built a definition.</exception>
    public FunnelDefinitionBuilder WithTransitionOptions(TransitionOptions options)
    {
        ThrowIfBuilt();
        _options = options;
        return this;
    }

    /// <summary>Allows one move explicitly: a skip, a move back, a re-entry, or any edge of a strict graph.</summary>
    /// <param name="from">The stage the move starts from; validated by <see cref="Build"/>.</param>
    /// <param name="to">The stage the move ends in; validated by <see cref="Build"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="from"/> or <paramref name="to"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The builder has already built a definition.</exception>
    public FunnelDefinitionBuilder AllowTransition(string from, string to)
    {
        Guard.Against.Null(from);
        Guard.Against.Null(to);
        ThrowIfBuilt();
        _transitions.Add((from, to));
        return this;
    }

    /// <summary>Validates everything and builds the definition.</summary>
    /// <returns>The definition.</returns>
    /// <exception cref="FunnelDefinitionException">The definition is invalid; the exception lists every problem.</exception>
    /// <exception cref="InvalidOperationException">The builder has already built a definition.</exception>
    public FunnelDefinition Build()
    {
        if (TryBuild(out var definition, out var problems))
        {
            return definition;
        }

        throw new FunnelDefinitionException(Key, problems);
    }

    /// <summary>Validates everything and builds the definition when it is valid, without throwing.</summary>
    /// <param name="definition">The definition, when valid.</param>
    /// <param name="problems">Every problem found; empty when valid.</param>
    /// <returns><see langword="true"/> when the definition is valid.</returns>
    /// <exception cref="InvalidOperationException">The builder has already built a definition.</exception>
    public bool TryBuild([NotNullWhen(true)] out FunnelDefinition? definition, out ImmutableArray<DefinitionProblem> problems)
    {
        ThrowIfBuilt();
        var found = ImmutableArray.CreateBuilder<DefinitionProblem>();
        var stageIndex = ValidateStages(found);
        var reasons = ValidateLossReasons(found);
        var goal = ValidateGoal(found, stageIndex);
        var edges = ValidateTransitions(found, stageIndex);

        TransitionGraph? graph = null;
        if (found.Count == 0)
        {
            graph = TransitionGraph.Create(_stages.Count, _options, edges);
            ValidateReachability(found, graph);
        }

        problems = found.ToImmutable();
        if (problems.Length > 0)
        {
            definition = null;
            return false;
        }

        var stages = _stages.Select((s, i) => CreateStage(s, i)).ToImmutableArray();
        var declared = edges.Select(e => new AllowedTransition(stages[e.From].Key, stages[e.To].Key, TransitionGraph.Classify(e.From, e.To))).ToImmutableArray();
        definition = new FunnelDefinition(
            Key,
            string.IsNullOrWhiteSpace(DisplayName) ? Key : DisplayName,
            stages,
            reasons,
            goal,
            _options,
            declared,
            graph!,
            _outcome);
        _built = true;
        return true;
    }

    private static Stage CreateStage(StageBuilder s, int order) => new(
        new StageKey(s.Key),
        string.IsNullOrWhiteSpace(s.DisplayName) ? s.Key : s.DisplayName,
        order,
        s.Kind,
        s.Phase,
        s.Owner,
        [.. s.Channels],
        s.WinProbability,
        s.IdleLimit,
        [.. s.RequiredAttributes],
        s.StepWindow);

    private void ThrowIfBuilt()
    {
        if (_built)
        {
            throw new InvalidOperationException("This builder has already built a definition; builders are single-use. Create a new builder, or call ToBuilder() on the definition.");
        }
    }

    private sealed record LossReasonEntry(string Key, string? DisplayName, LossCategory Category, bool IsRecoverable);
}
