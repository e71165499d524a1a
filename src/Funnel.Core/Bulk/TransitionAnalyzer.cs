using System.Collections.Immutable;
using System.Globalization;

using Funnel.Core.Metrics;

namespace Funnel.Core.Bulk;

/// <summary>
/// The bulk engine: computes the ordered window funnel, the transition matrix, time in stage, losses and the
/// entities' outcomes (won, lost, open by stage) over a <see cref="TransitionLog"/> in parallel, exactly as the canonical semantics define them (docs/bulk.md).
/// </summary>
/// <remarks>
/// <para>The log is partitioned by entity id into buckets (a parallel counting sort that keeps log order within
/// each entity), then workers take whole buckets and run every entity's events through one state machine. A log
/// that is not time ordered is sorted per bucket by (entity, time, log position) first.</para>
/// <para>Working memory stays below three times the log's own size: 8 bytes per event for the partition buffer (16 for
/// funnels with very many stages and loss reasons), 20 bytes per entity id and 4 bytes per stay, in memory rented from the shared array pool
/// for <see cref="Analyze"/>. No allocation happens per event.</para>
/// <para>Instances are immutable and thread-safe; each call works on its own buffers.</para>
/// </remarks>
public sealed class TransitionAnalyzer
{
    private readonly FunnelDefinition? _definition;
    private ImmutableArray<TimeSpan?> _stepWindows = [];
    private ImmutableArray<FunnelExclusion> _exclusions = [];
    private ImmutableArray<int> _optionalSteps = [];

    /// <summary>Creates an analyzer for a definition's stages and loss reasons, with the stages' step windows (<see cref="Stage.StepWindow"/>) as <see cref="StepWindows"/>.</summary>
    /// <param name="definition">The funnel; its stage orders and loss-reason indexes are the ordinals of the log, and its goal stage decides which entities are won.</param>
    /// <param name="window">The window of the ordered window funnel (inclusive; whole seconds, a fraction is dropped).</param>
    /// <param name="maxDegreeOfParallelism">How many cores to use; -1 (default) for every core.</param>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The window is negative, or <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    public TransitionAnalyzer(FunnelDefinition definition, TimeSpan window, int maxDegreeOfParallelism = -1)
        : this(FunnelShape.Of(definition), window, maxDegreeOfParallelism)
    {
        _definition = definition;
        if (definition.Stages.Any(s => s.StepWindow is not null))
        {
            (_stepWindows, StepWindowSeconds) = ValidateStepWindows([.. definition.Stages.Skip(1).Select(s => s.StepWindow)], StageCount, nameof(definition));
        }
    }

    /// <summary>Creates an analyzer for a funnel's shape: plain stage and loss-reason ordinals, without per-step windows unless <see cref="StepWindows"/> is set.</summary>
    /// <param name="shape">The stages, goal stage and loss reasons the log's ordinals range over.</param>
    /// <param name="window">The window of the ordered window funnel (inclusive; whole seconds, a fraction is dropped).</param>
    /// <param name="maxDegreeOfParallelism">How many cores to use; -1 (default) for every core.</param>
    /// <exception cref="ArgumentNullException"><paramref name="shape"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The window is negative, or <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    public TransitionAnalyzer(FunnelShape shape, TimeSpan window, int maxDegreeOfParallelism = -1)
    {
        Guard.Against.Null(shape);
        if (maxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use -1 for every core or a positive number.");
        }

        Shape = shape;
        WindowSeconds = ToWindowSeconds(window);
        DegreeOfParallelism = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
    }

    /// <summary>Gets the stages, goal stage and loss reasons the log's ordinals range over.</summary>
    public FunnelShape Shape { get; }

    /// <summary>Gets the number of stages (<see cref="FunnelShape.StageCount"/>).</summary>
    public int StageCount => Shape.StageCount;

    /// <summary>Gets the ordinal of the goal stage: entities whose last event is an entry into it or a later stage are won.</summary>
    public int GoalStage => Shape.GoalStage;

    /// <summary>Gets the number of loss reasons (<see cref="FunnelShape.LossReasonCount"/>).</summary>
    public int LossReasonCount => Shape.LossReasonCount;

    /// <summary>Gets the window of the ordered window funnel, in seconds (inclusive).</summary>
    public long WindowSeconds { get; }

    /// <summary>Gets the number of cores used.</summary>
    public int DegreeOfParallelism { get; }

    /// <summary>
    /// Gets or initialises the optional per-step conversion windows of the window funnel: value k − 1 is the window of
    /// step k, so an entry into stage k counts only within that many seconds (inclusive) of the matched entry into
    /// stage k − 1, besides the <see cref="WindowSeconds"/> from the anchor; <see langword="null"/> for no limit on that
    /// step. Empty (the default) for no per-step windows.
    /// </summary>
    /// <value>Empty, or <see cref="StageCount"/> − 1 values, each <see langword="null"/> or a whole number of seconds ≥ 0.</value>
    /// <remarks>
    /// With per-step windows a lead's level is the largest number of stages matched over every choice of entries
    /// (an earlier match of a step is no longer always the best one), computed exactly per lead in one pass over its
    /// entries in (time, stage) order. They need each lead's events in one piece: <see cref="Analyze"/> and
    /// <see cref="Aggregate"/> support them, the streaming accumulator does not.
    /// </remarks>
    /// <exception cref="ArgumentException">The count is neither 0 nor <see cref="StageCount"/> − 1, or a window is negative or not whole seconds.</exception>
    public ImmutableArray<TimeSpan?> StepWindows
    {
        get => _stepWindows;
        init
        {
            (_stepWindows, StepWindowSeconds) = ValidateStepWindows(value, StageCount, nameof(StepWindows));
            RefuseWithUnordered(Modes.Order, !StepWindowSeconds.IsEmpty, nameof(StepWindows));
        }
    }

    /// <summary>
    /// Gets or initialises which entry into the first stage anchors the window (docs/bulk.md, rule 8):
    /// <see cref="AnchorMode.First"/> (the default, the canonical semantics), <see cref="AnchorMode.Latest"/>, or
    /// <see cref="AnchorMode.Best"/> (every distinct entry time into stage 0 starts an attempt; the deepest counts,
    /// ties go to the earliest). With <see cref="StepOrder.Unordered"/>, an entry into any stage anchors.
    /// </summary>
    /// <remarks>Modes other than the defaults need each lead's events in one piece, as <see cref="StepWindows"/> do: the streaming accumulator refuses them.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="AnchorMode"/>.</exception>
    public AnchorMode Anchor
    {
        get => Modes.Anchor;
        init => Modes = Modes.With(anchor: Defined(value, nameof(Anchor)));
    }

    /// <summary>
    /// Gets or initialises how the steps must follow each other (docs/bulk.md, rules 9 and 10): <see cref="StepOrder.Ordered"/>
    /// (the default), <see cref="StepOrder.Strict"/> (no other event of the lead between two matched steps) or
    /// <see cref="StepOrder.Unordered"/> (distinct stages in any order; <see cref="TransitionReport.Reached"/> value k then
    /// counts the leads that entered k + 1 distinct stages, whichever they were).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="StepOrder"/>.</exception>
    /// <exception cref="ArgumentException">Unordered together with <see cref="StepWindows"/>, <see cref="Exclusions"/> or <see cref="OptionalSteps"/>.</exception>
    public StepOrder Order
    {
        get => Modes.Order;
        init
        {
            Defined(value, nameof(Order));
            RefuseWithUnordered(value, !StepWindowSeconds.IsEmpty, nameof(StepWindows));
            RefuseWithUnordered(value, !_exclusions.IsEmpty, nameof(Exclusions));
            RefuseWithUnordered(value, !_optionalSteps.IsEmpty, nameof(OptionalSteps));
            Modes = Modes.With(order: value);
        }
    }

    /// <summary>
    /// Gets or initialises the exclusion steps (docs/bulk.md, rule 11): a lead whose counted attempt has a target
    /// event strictly between the reach of step <see cref="FunnelExclusion.FromStep"/> and of step
    /// <see cref="FunnelExclusion.ToStep"/> (the window's end when it never reaches it), inside the window, is
    /// dropped from the funnel and counted in <see cref="TransitionReport.Excluded"/>; with <see cref="AnchorMode.Best"/>
    /// only that attempt is. Empty (the default) for none.
    /// </summary>
    /// <remarks>
    /// With the definition constructor the targets are stage and loss-reason keys of the definition. With the
    /// shape constructor there are no keys: <see cref="FunnelExclusion.StageKey"/> and
    /// <see cref="FunnelExclusion.LossReasonKey"/> are then the ordinals as invariant decimal text ("2").
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// A step is beyond the last stage or optional, a target names no stage or loss reason, or <see cref="Order"/> is Unordered.
    /// </exception>
    public ImmutableArray<FunnelExclusion> Exclusions
    {
        get => _exclusions;
        init
        {
            var list = value.IsDefault ? [] : value;
            RefuseWithUnordered(Modes.Order, !list.IsEmpty, nameof(Exclusions));
            Modes = Modes.With(exclusions: [.. list.Select(x => Resolve(x, nameof(Exclusions)))]);
            _exclusions = list;
        }
    }

    /// <summary>
    /// Gets or initialises the optional steps, as stage ordinals (docs/bulk.md, rule 12): a chain may skip them.
    /// <see cref="TransitionReport.Reached"/> of an optional step counts the leads whose counted attempt matched it,
    /// so it may be below the next step's. Step 0 is never optional. Empty (the default) for none.
    /// </summary>
    /// <exception cref="ArgumentException">A step is 0, beyond the last stage, repeated, named by an exclusion, or <see cref="Order"/> is Unordered.</exception>
    public ImmutableArray<int> OptionalSteps
    {
        get => _optionalSteps;
        init
        {
            var list = value.IsDefault ? [] : value;
            RefuseWithUnordered(Modes.Order, !list.IsEmpty, nameof(OptionalSteps));
            foreach (var step in list)
            {
                if (step < 1 || step >= StageCount)
                {
                    throw new ArgumentException($"Optional step {step} is not a step of this funnel: use 1..{StageCount - 1} (step 0 is never optional).", nameof(OptionalSteps));
                }
            }

            if (list.Distinct().Count() != list.Length)
            {
                throw new ArgumentException($"The optional steps [{string.Join(", ", list)}] repeat a step.", nameof(OptionalSteps));
            }

            var sorted = list.Order().ToImmutableArray();
            foreach (var x in Modes.Exclusions)
            {
                RefuseOptionalInExclusion(x, sorted, nameof(OptionalSteps));
            }

            Modes = Modes.With(optionalSteps: sorted);
            _optionalSteps = list;
        }
    }

    /// <summary>
    /// Gets or initialises which median <see cref="TransitionReport"/> shows as "the median" of time in stage and time to
    /// convert (docs/bulk.md, rule 13): <see cref="MedianKind.Lower"/> (the default) or <see cref="MedianKind.Interpolated"/>.
    /// Both medians are always computed; this only picks the one reported first.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="MedianKind"/>.</exception>
    public MedianKind Median
    {
        get => Modes.Median;
        init => Modes = Modes.With(median: Defined(value, nameof(Median)));
    }

    /// <summary>
    /// Gets or initialises a value indicating whether the report carries time to convert per step
    /// (<see cref="TransitionReport.ConversionTimes"/>, docs/bulk.md rule 12). Off by default: it needs the per-lead
    /// pass, which the default funnel does without.
    /// </summary>
    public bool ConversionTimes
    {
        get => Modes.ConversionTimes;
        init => Modes = Modes.With(conversionTimes: value);
    }

    /// <summary>Gets or initialises how the time-to-convert histograms are binned: <see cref="ConversionTimeBins.Automatic"/> (the default) or explicit edges.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public ConversionTimeBins ConversionTimeBins
    {
        get => Modes.Bins;
        init
        {
            Guard.Against.Null(value, nameof(ConversionTimeBins));
            Modes = Modes.With(bins: value);
        }
    }

    /// <summary>Gets the resolved modes.</summary>
    internal FunnelModes Modes { get; private init; } = FunnelModes.Default;

    private static T Defined<T>(T value, string option)
        where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(option, value, $"Use one of {string.Join(", ", Enum.GetNames<T>())}.");

    private static void RefuseWithUnordered(StepOrder order, bool present, string option)
    {
        if (order == StepOrder.Unordered && present)
        {
            throw new ArgumentException($"{option} cannot be combined with Order = Unordered: an unordered funnel has no step order for them to refer to.", option);
        }
    }

    private static void RefuseOptionalInExclusion(ResolvedExclusion x, ImmutableArray<int> optional, string parameter)
    {
        foreach (var step in (ReadOnlySpan<int>)[x.FromStep, x.ToStep])
        {
            if (optional.Contains(step))
            {
                throw new ArgumentException($"The exclusion {x} starts or ends at step {step}, which is optional: an exclusion's steps must be required.", parameter);
            }
        }
    }

    private ResolvedExclusion Resolve(FunnelExclusion exclusion, string parameter)
    {
        Guard.Against.Null(exclusion, parameter);
        if (exclusion.ToStep >= StageCount)
        {
            throw new ArgumentException($"The exclusion {exclusion} ends at step {exclusion.ToStep}, beyond the last step {StageCount - 1}.", parameter);
        }

        int stage = -1, reason = -1;
        if (!exclusion.IsLoss)
        {
            stage = _definition is null ? Ordinal(exclusion.StageKey!, StageCount, "stage", exclusion, parameter)
                : _definition.TryGetStage(exclusion.StageKey!, out var s) ? s.Order
                : throw new ArgumentException($"The exclusion {exclusion} names stage '{exclusion.StageKey}', which funnel '{_definition.Key}' does not have.", parameter);
        }
        else if (exclusion.LossReasonKey is { } key)
        {
            reason = _definition is null ? Ordinal(key, LossReasonCount, "loss reason", exclusion, parameter)
                : _definition.TryGetLossReason(key, out var r) ? _definition.LossReasons.IndexOf(r)
                : throw new ArgumentException($"The exclusion {exclusion} names loss reason '{key}', which funnel '{_definition.Key}' does not have.", parameter);
        }

        var resolved = new ResolvedExclusion(stage, reason, exclusion.FromStep, exclusion.ToStep);
        RefuseOptionalInExclusion(resolved, Modes.OptionalSteps, parameter);
        return resolved;
    }

    private static int Ordinal(string text, int count, string what, FunnelExclusion exclusion, string parameter) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) && ordinal < count
            ? ordinal
            : throw new ArgumentException($"The exclusion {exclusion} names {what} '{text}': an analyzer built from a shape takes {what} ordinals 0..{count - 1} as text.", parameter);

    /// <summary>Gets the per-step windows in whole seconds (<see cref="long.MaxValue"/> for a step without one), as <see cref="TransitionReport.StepWindowSeconds"/> reports them; empty for no per-step windows.</summary>
    public ImmutableArray<long> StepWindowSeconds { get; private set; } = [];

    private static (ImmutableArray<TimeSpan?> Windows, ImmutableArray<long> Seconds) ValidateStepWindows(ImmutableArray<TimeSpan?> value, int stageCount, string parameter)
    {
        if (value.IsDefaultOrEmpty)
        {
            return ([], []);
        }

        if (value.Length != stageCount - 1)
        {
            throw new ArgumentException($"A funnel of {stageCount} stages has {stageCount - 1} steps, but {value.Length} step windows were given.", parameter);
        }

        var seconds = new long[value.Length];
        for (var k = 0; k < value.Length; k++)
        {
            if (value[k] is { } w && (w < TimeSpan.Zero || w.Ticks % TimeSpan.TicksPerSecond != 0))
            {
                throw new ArgumentException($"The window of step {k + 1} is {w}; it must be whole seconds and not negative.", parameter);
            }

            seconds[k] = value[k] is { } window ? (long)window.TotalSeconds : long.MaxValue;
        }

        return (value, [.. seconds]);
    }

    /// <summary>Gets the smallest number of events per parallel part of the partition pass (tests lower it to exercise the parallel path on small logs).</summary>
    internal int MinEventsPerScatterPart { get; init; } = 1 << 16;

    /// <summary>Gets a value indicating whether events travel packed in 8 bytes where they fit (tests turn it off to exercise the 16-byte path).</summary>
    internal bool PackEvents { get; init; } = true;

    /// <summary>Gets the largest joint (row, stage, reason) counter table the workers use; beyond it they count transitions and losses apart (tests set 0).</summary>
    internal int MaxJointCounters { get; init; } = 1 << 12;

    /// <summary>Analyses a whole log in memory.</summary>
    /// <param name="log">The log; every stage and loss-reason ordinal within this analyzer's counts.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="log"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The log has an ordinal beyond the analyzer's counts.</exception>
    public TransitionReport Analyze(TransitionLog log)
    {
        Guard.Against.Null(log);

        // The aggregate dies with this call, so its durations may live in pooled memory: room for one per event,
        // plus one partly filled segment per worker and stage (beyond that, segments are allocated).
        var room = log.Count + Math.Min((long)DegreeOfParallelism * StageCount * EngineWorker.SegmentLength, log.Count + (long)EngineWorker.SegmentLength);
        using var scratch = DurationScratch.Rent(room);
        var accumulator = new TransitionAccumulator(this, singleChunk: true, scratch);
        accumulator.Add(log);
        return accumulator.ToAggregate().ToReport(DegreeOfParallelism);
    }

    /// <summary>Computes the partial aggregate of a log that holds every event of its entities.</summary>
    /// <param name="log">The log.</param>
    /// <returns>The aggregate, to merge with aggregates of other entities.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="log"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The log has an ordinal beyond the analyzer's counts.</exception>
    public TransitionAggregate Aggregate(TransitionLog log)
    {
        // One chunk holds every event of its entities, so state can live per bucket instead of per entity id.
        var accumulator = new TransitionAccumulator(this, singleChunk: true);
        accumulator.Add(log);
        return accumulator.ToAggregate();
    }

    /// <summary>Analyses a log that arrives in chunks (in log order), for logs larger than memory.</summary>
    /// <param name="chunks">The chunks in log order; each entity's events keep their time order across chunks.</param>
    /// <param name="cancellationToken">Cancels between chunks.</param>
    /// <returns>The report; identical to <see cref="Analyze"/> on the concatenated log.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="chunks"/> is <see langword="null"/>.</exception>
    /// <exception cref="TransitionOrderException">An entity's event is earlier than its events in an earlier chunk.</exception>
    /// <exception cref="NotSupportedException">The analyzer has <see cref="StepWindows"/> or modes other than the defaults (besides <see cref="Median"/>), which need each lead's events in one piece.</exception>
    public async Task<TransitionReport> AnalyzeAsync(IAsyncEnumerable<TransitionLog> chunks, CancellationToken cancellationToken = default)
    {
        var accumulator = CreateAccumulator();
        await accumulator.AddAsync(chunks, cancellationToken).ConfigureAwait(false);
        return accumulator.ToAggregate().ToReport(DegreeOfParallelism);
    }

    /// <summary>Creates an accumulator for feeding a log chunk by chunk.</summary>
    /// <returns>A new, empty accumulator.</returns>
    /// <exception cref="NotSupportedException">The analyzer has <see cref="StepWindows"/> or modes other than the defaults (besides <see cref="Median"/>), which need each lead's events in one piece.</exception>
    public TransitionAccumulator CreateAccumulator() =>
        !StepWindowSeconds.IsEmpty
            ? throw new NotSupportedException("Per-step windows need each lead's events in one piece: use Analyze, or Aggregate per part of the leads and Merge.")
            : Modes.NeedsLeadPass
                ? throw new NotSupportedException($"The funnel modes ({Modes}) need each lead's events in one piece: use Analyze, or Aggregate per part of the leads and Merge.")
                : new(this);

    /// <summary>The window in whole seconds (a fraction dropped); negative windows are refused.</summary>
    internal static long ToWindowSeconds(TimeSpan window, string parameter = "window")
    {
        if (window < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(parameter, window, "The window must not be negative.");
        }

        return window.Ticks / TimeSpan.TicksPerSecond;
    }
}
