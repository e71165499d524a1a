using System.Collections.Immutable;
using System.Globalization;
using System.Text;

using Funnel.Core.Metrics;

namespace Funnel.Core.Bulk;

/// <summary>
/// The bulk outputs over an event log, exact integers following the canonical semantics (docs/bulk.md):
/// the ordered window funnel, the transition matrix with a lost column, time in stage, losses by stage and
/// reason, and the entities' outcomes (won, lost, open by stage) judged by their last event.
/// </summary>
/// <remarks>
/// <para>The in-process engine (<see cref="TransitionAnalyzer"/>, <see cref="TransitionAggregate.ToReport"/>) and
/// SQL push-down (<see cref="Storage.EventLogStore.ComputeAggregatesAsync(FunnelDefinition, TransitionAnalyzer, CancellationToken)"/>) both return this type, so code that
/// reads the numbers does not change when the computation moves between the client and the database. Other engines
/// build it from their numbers with <see cref="Create"/>, which checks that they are consistent.</para>
/// <para>Two reports are equal when their shapes, goal, window, event and entity counts and every output are equal.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class TransitionReport : IEquatable<TransitionReport>
{
    internal TransitionReport(
        int stageCount,
        int goalStage,
        int lossReasonCount,
        long windowSeconds,
        long eventCount,
        long entityCount,
        ImmutableArray<long> reached,
        CountMatrix transitions,
        ImmutableArray<StageTimeStatistics> timeInStage,
        StageTimeStatistics timeAfterLoss,
        CountMatrix losses,
        ImmutableArray<long> lossesAfterLoss,
        ImmutableArray<long> lossesAtUnknownStage,
        long won,
        long lost,
        ImmutableArray<long> openAt)
    {
        StageCount = stageCount;
        GoalStage = goalStage;
        LossReasonCount = lossReasonCount;
        WindowSeconds = windowSeconds;
        EventCount = eventCount;
        EntityCount = entityCount;
        Reached = reached;
        Transitions = transitions;
        TimeInStage = timeInStage;
        TimeAfterLoss = timeAfterLoss;
        Losses = losses;
        LossesAfterLoss = lossesAfterLoss;
        LossesAtUnknownStage = lossesAtUnknownStage;
        Won = won;
        Lost = lost;
        OpenAt = openAt;
    }

    /// <summary>Gets the number of stages.</summary>
    public int StageCount { get; }

    /// <summary>
    /// Gets the ordinal of the goal stage: an entity whose last event is an entry into this stage or a later one counts
    /// as <see cref="Won"/>.
    /// </summary>
    public int GoalStage { get; }

    /// <summary>Gets the number of loss reasons.</summary>
    public int LossReasonCount { get; }

    /// <summary>Gets the window of the ordered window funnel, in seconds (inclusive).</summary>
    public long WindowSeconds { get; }

    /// <summary>
    /// Gets the per-step windows of the window funnel in seconds: value k − 1 limits step k (stage k − 1 to k),
    /// <see cref="long.MaxValue"/> for a step without one; empty when the analysis had none (see
    /// <see cref="TransitionAnalyzer.StepWindows"/>).
    /// </summary>
    public ImmutableArray<long> StepWindowSeconds { get; internal init; } = [];

    /// <summary>Gets which entry into the first stage anchored the window funnel (<see cref="TransitionAnalyzer.Anchor"/>).</summary>
    public AnchorMode Anchor { get; internal init; }

    /// <summary>
    /// Gets how the steps had to follow each other (<see cref="TransitionAnalyzer.Order"/>). With
    /// <see cref="StepOrder.Unordered"/>, <see cref="Reached"/> value k counts the leads that entered k + 1 distinct
    /// stages in the window, whichever they were: show those rows as "k + 1 steps", never with a stage's name.
    /// </summary>
    public StepOrder Order { get; internal init; }

    /// <summary>Gets the optional steps, ascending stage ordinals (<see cref="TransitionAnalyzer.OptionalSteps"/>); their <see cref="Reached"/> counts the leads whose counted attempt matched them.</summary>
    public ImmutableArray<int> OptionalSteps { get; internal init; } = [];

    /// <summary>Gets which median <see cref="MedianSecondsOf"/> and the summaries of <see cref="ConversionTimes"/> show as "the median" (<see cref="TransitionAnalyzer.Median"/>).</summary>
    public MedianKind Median { get; internal init; }

    /// <summary>Gets the number of leads dropped from the funnel by exclusions (<see cref="TransitionAnalyzer.Exclusions"/>): counted nowhere in <see cref="Reached"/>, but in every other output.</summary>
    public long Excluded { get; internal init; }

    /// <summary>
    /// Gets the time to convert per step (docs/bulk.md rule 12), one value per step 1 … <see cref="StageCount"/> − 1,
    /// when the analyzer collects it (<see cref="TransitionAnalyzer.ConversionTimes"/>); empty otherwise. With
    /// <see cref="StepOrder.Unordered"/>, step k means "k + 1 distinct stages".
    /// </summary>
    public ImmutableArray<StepConversionTime> ConversionTimes { get; internal init; } = [];

    /// <summary>Gets the number of events analysed.</summary>
    public long EventCount { get; }

    /// <summary>Gets the number of distinct entities analysed.</summary>
    public long EntityCount { get; }

    /// <summary>
    /// Gets the ordered window funnel: <c>Reached[k]</c> is the number of entities that entered stage 0 and then
    /// stages 1..k at non-decreasing timestamps within the window of their first entry into stage 0
    /// (<c>Reached[0]</c>: entities that entered stage 0). Entries that share a timestamp match in any order, so the
    /// result depends on the timestamps only, never on the order of rows with equal timestamps.
    /// </summary>
    public ImmutableArray<long> Reached { get; }

    /// <summary>
    /// Gets the transition matrix, (<see cref="StageCount"/> + 1) × (<see cref="StageCount"/> + 1): every pair of
    /// consecutive events of an entity counts once, also after the goal and after a loss. <c>Transitions[a, b]</c>
    /// counts pairs from an entry into stage a to an entry into stage b; column <see cref="LostColumn"/> counts pairs
    /// whose second event is a loss, row <see cref="LostRow"/> pairs whose first event is a loss.
    /// </summary>
    public CountMatrix Transitions { get; }

    /// <summary>Gets the column of <see cref="Transitions"/> that counts moves to a loss (equal to <see cref="StageCount"/>).</summary>
    public int LostColumn => StageCount;

    /// <summary>Gets the row of <see cref="Transitions"/> that counts moves from a loss (equal to <see cref="StageCount"/>).</summary>
    public int LostRow => StageCount;

    /// <summary>
    /// Gets time in stage, one entry per stage ordinal: a stay in stage s lasts from an entry into s to the entity's
    /// next event (of any kind), so every stage with a successor has stays, the last stage and the goal included.
    /// </summary>
    public ImmutableArray<StageTimeStatistics> TimeInStage { get; }

    /// <summary>
    /// Gets the time from a loss event to the entity's next event (a re-entry, or another loss), with
    /// <see cref="StageTimeStatistics.Stage"/> equal to <see cref="LostRow"/>; its count is the total of that row of
    /// <see cref="Transitions"/>.
    /// </summary>
    public StageTimeStatistics TimeAfterLoss { get; }

    /// <summary>
    /// Gets the losses at a known stage: <c>Losses[stage, reason]</c> counts loss events whose previous event (of the
    /// same entity, in the canonical order) is an entry into that stage. Row s totals <c>Transitions[s, LostColumn]</c>.
    /// The stage a loss row names in the input is not used: a loss happens where the entity was.
    /// </summary>
    public CountMatrix Losses { get; }

    /// <summary>
    /// Gets the loss events, by reason, whose previous event is itself a loss (a lost lead marked lost again); they
    /// total <c>Transitions[LostRow, LostColumn]</c>.
    /// </summary>
    public ImmutableArray<long> LossesAfterLoss { get; }

    /// <summary>
    /// Gets the loss events, by reason, that are their entity's first event: the stage the lead was lost at is not
    /// known, so they are counted here and never at a stage.
    /// </summary>
    public ImmutableArray<long> LossesAtUnknownStage { get; }

    /// <summary>
    /// Gets the number of won entities: those whose last event (in the canonical order: timestamp, ties by log position)
    /// is an entry into the <see cref="GoalStage"/> or a later stage.
    /// </summary>
    /// <remarks><see cref="Won"/> + <see cref="Lost"/> + the sum of <see cref="OpenAt"/> is <see cref="EntityCount"/>.</remarks>
    public long Won { get; }

    /// <summary>
    /// Gets the number of lost entities: those whose last event is a loss event. An entity lost, re-entered and lost
    /// again counts once here (and twice in <see cref="Losses"/>).
    /// </summary>
    public long Lost { get; }

    /// <summary>
    /// Gets the open entities by stage: <c>OpenAt[s]</c> counts the entities whose last event is an entry into stage s
    /// before the <see cref="GoalStage"/>; zero for the goal and later stages. One value per stage ordinal.
    /// </summary>
    public ImmutableArray<long> OpenAt { get; }

    /// <summary>
    /// Builds a report from numbers computed elsewhere — by a database (SQL push-down), another process, or a
    /// reference implementation — after checking that they have the right shape and are consistent with each
    /// other the way every log's outputs are. The spans are copied.
    /// </summary>
    /// <param name="shape">The stages, goal stage and loss reasons; below, stageCount is its <see cref="FunnelShape.StageCount"/> and lossReasonCount its <see cref="FunnelShape.LossReasonCount"/>.</param>
    /// <param name="window">The window of the ordered window funnel (inclusive; whole seconds, a fraction is dropped); not negative.</param>
    /// <param name="eventCount">The number of events analysed; not negative.</param>
    /// <param name="entityCount">The number of distinct entities analysed; 0..<paramref name="eventCount"/>, and at least 1 when there are events.</param>
    /// <param name="reached">The ordered window funnel, stageCount values: not increasing, the first at most <paramref name="entityCount"/>.</param>
    /// <param name="transitions">
    /// The transition matrix, row-major, (stageCount + 1) × (stageCount + 1); the
    /// last row counts moves from a loss, the last column moves to a loss. The total is <paramref name="eventCount"/> −
    /// <paramref name="entityCount"/> (one per pair of consecutive events); row s totals <c>timeInStage[s].Count</c> and
    /// the last row <c>timeAfterLoss.Count</c> (each pair is a stay in its first event's row).
    /// </param>
    /// <param name="timeInStage">Time in stage, stageCount values, value s for stage s; a median is at most its total.</param>
    /// <param name="timeAfterLoss">Time from a loss to the next event, with stage stageCount.</param>
    /// <param name="losses">
    /// Losses at a known stage, row-major, stageCount × lossReasonCount; row s
    /// totals the moves from stage s to a loss (<c>transitions[s, stageCount]</c>).
    /// </param>
    /// <param name="lossesAfterLoss">Losses after a loss, by reason (lossReasonCount values); they total <c>transitions[stageCount, stageCount]</c>.</param>
    /// <param name="lossesAtUnknownStage">Losses that are an entity's first event, by reason (lossReasonCount values); they total at most <paramref name="entityCount"/>.</param>
    /// <param name="won">The entities whose last event is an entry into the goal or a later stage; not negative.</param>
    /// <param name="lost">The entities whose last event is a loss; not negative and at most the number of loss events (each has one).</param>
    /// <param name="openAt">
    /// The other entities by the stage of their last event, stageCount values, zero from
    /// the goal stage on; <paramref name="won"/> + <paramref name="lost"/> + their sum is <paramref name="entityCount"/>.
    /// </param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="shape"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The window or a span length is out of range, or a value is negative.</exception>
    /// <exception cref="ArgumentException">The numbers contradict each other (see the parameters).</exception>
    public static TransitionReport Create(
        FunnelShape shape,
        TimeSpan window,
        long eventCount,
        long entityCount,
        ReadOnlySpan<long> reached,
        ReadOnlySpan<long> transitions,
        ReadOnlySpan<StageTimeStatistics> timeInStage,
        StageTimeStatistics timeAfterLoss,
        ReadOnlySpan<long> losses,
        ReadOnlySpan<long> lossesAfterLoss,
        ReadOnlySpan<long> lossesAtUnknownStage,
        long won,
        long lost,
        ReadOnlySpan<long> openAt)
    {
        Guard.Against.Null(shape);
        var (stageCount, goalStage, lossReasonCount) = (shape.StageCount, shape.GoalStage, shape.LossReasonCount);
        var windowSeconds = TransitionAnalyzer.ToWindowSeconds(window);
        Guard.Against.NegativeNumber(eventCount);
        Guard.Against.NegativeNumber(entityCount);
        Guard.Against.NegativeNumber(won);
        Guard.Against.NegativeNumber(lost);
        Guard.Against.GreaterThan(entityCount, eventCount);
        if (eventCount > 0 && entityCount == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(entityCount), entityCount, $"{eventCount} events need at least one entity.");
        }

        var size = stageCount + 1;
        CheckLength(reached.Length, stageCount, nameof(reached));
        CheckLength(transitions.Length, size * size, nameof(transitions));
        CheckLength(timeInStage.Length, stageCount, nameof(timeInStage));
        CheckLength(losses.Length, stageCount * lossReasonCount, nameof(losses));
        CheckLength(lossesAfterLoss.Length, lossReasonCount, nameof(lossesAfterLoss));
        CheckLength(lossesAtUnknownStage.Length, lossReasonCount, nameof(lossesAtUnknownStage));
        CheckLength(openAt.Length, stageCount, nameof(openAt));
        var transitionTotal = CheckedTotal(transitions, nameof(transitions));
        var lossTotal = CheckedTotal(losses, nameof(losses));
        var afterLossTotal = CheckedTotal(lossesAfterLoss, nameof(lossesAfterLoss));
        var unknownTotal = CheckedTotal(lossesAtUnknownStage, nameof(lossesAtUnknownStage));
        CheckedTotal(reached, nameof(reached));
        var openTotal = CheckedTotal(openAt, nameof(openAt));

        for (var s = 0; s < stageCount; s++)
        {
            if (reached[s] > (s == 0 ? entityCount : reached[s - 1]))
            {
                throw new ArgumentException(
                    s == 0
                        ? $"reached[0] = {reached[0]} exceeds the {entityCount} entities."
                        : $"reached[{s}] = {reached[s]} exceeds reached[{s - 1}] = {reached[s - 1]}: an entity reaches a stage only after the ones before it.",
                    nameof(reached));
            }
        }

        for (var row = 0; row <= stageCount; row++)
        {
            var time = row < stageCount ? timeInStage[row] : timeAfterLoss;
            var name = row < stageCount ? $"timeInStage[{row}]" : nameof(timeAfterLoss);
            if (time.Stage != row)
            {
                throw new ArgumentException($"{name} describes stage {time.Stage}, not {row}.", row < stageCount ? nameof(timeInStage) : nameof(timeAfterLoss));
            }

            if (time.MedianSeconds > time.TotalSeconds)
            {
                throw new ArgumentException($"{name} has a median of {time.MedianSeconds} s above its total of {time.TotalSeconds} s.", row < stageCount ? nameof(timeInStage) : nameof(timeAfterLoss));
            }

            Int128 rowTotal = 0;
            foreach (var count in transitions.Slice(row * size, size))
            {
                rowTotal += count;
            }

            if (rowTotal != time.Count)
            {
                throw new ArgumentException($"Row {row} of the transitions totals {rowTotal}, but {name} counts {time.Count} stays; both count the pairs of consecutive events whose first event is in that row.", nameof(transitions));
            }

            Int128 lossRow = 0;
            var lossCounts = row < stageCount ? losses.Slice(row * lossReasonCount, lossReasonCount) : lossesAfterLoss;
            foreach (var count in lossCounts)
            {
                lossRow += count;
            }

            if (lossRow != transitions[(row * size) + stageCount])
            {
                throw new ArgumentException(
                    row < stageCount
                        ? $"Losses at stage {row} total {lossRow}, but the transitions count {transitions[(row * size) + stageCount]} moves from stage {row} to a loss; both count the loss events that follow an entry into stage {row}."
                        : $"The losses after a loss total {lossRow}, but the transitions count {transitions[(row * size) + stageCount]} moves from a loss to a loss.",
                    row < stageCount ? nameof(losses) : nameof(lossesAfterLoss));
            }
        }

        if (transitionTotal != (Int128)eventCount - entityCount)
        {
            throw new ArgumentException($"The transitions total {transitionTotal}, but {eventCount} events of {entityCount} entities form {eventCount - entityCount} pairs of consecutive events.", nameof(transitions));
        }

        if (unknownTotal > entityCount)
        {
            throw new ArgumentException($"{unknownTotal} losses are an entity's first event, but there are only {entityCount} entities.", nameof(lossesAtUnknownStage));
        }

        CheckOutcomes(goalStage, entityCount, lossTotal + afterLossTotal + unknownTotal, won, lost, openAt, openTotal);

        return new TransitionReport(
            stageCount,
            goalStage,
            lossReasonCount,
            windowSeconds,
            eventCount,
            entityCount,
            [.. reached],
            new CountMatrix(size, size, transitions.ToArray()),
            [.. timeInStage],
            timeAfterLoss,
            new CountMatrix(stageCount, lossReasonCount, losses.ToArray()),
            [.. lossesAfterLoss],
            [.. lossesAtUnknownStage],
            won,
            lost,
            [.. openAt]);
    }

    /// <summary>
    /// Returns a copy of this report with the window funnel and the funnel modes of the analysis that computed it, for reports built by
    /// <see cref="Create"/> from numbers kept elsewhere (a JSON document, another process): the per-step windows, the
    /// anchor, the step order, the optional steps, the median shown and the leads dropped by exclusions. The counts are
    /// not recomputed: they must be the ones the analysis with these modes gave. <see cref="ConversionTimes"/> stays as it is (<see cref="WithConversionTimes"/> sets it),
    /// so a report that has one only takes a window funnel that counts the same leads at each step.
    /// </summary>
    /// <param name="reached">
    /// The window funnel under these modes (see <see cref="Reached"/>), <see cref="StageCount"/> values: the first at most
    /// <see cref="EntityCount"/>, each other at most the value of the closest earlier step that is not optional (an
    /// optional step's own value counts the leads that matched it, so the value after it may be larger).
    /// </param>
    /// <param name="stepWindowSeconds">The per-step windows in seconds (see <see cref="StepWindowSeconds"/>): empty, or <see cref="StageCount"/> − 1 values, each not negative, <see cref="long.MaxValue"/> for a step without one.</param>
    /// <param name="anchor">Which entry into the first stage anchored the window funnel.</param>
    /// <param name="order">How the steps had to follow each other.</param>
    /// <param name="optionalSteps">The optional steps: ascending stage ordinals from 1 to <see cref="StageCount"/> − 1.</param>
    /// <param name="median">Which median the report shows.</param>
    /// <param name="excluded">The leads dropped by exclusions: 0 to <see cref="EntityCount"/>.</param>
    /// <returns>The copy.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An enum value is not defined, a span has the wrong length, or a value is out of range.</exception>
    /// <exception cref="ArgumentException">A value of <paramref name="reached"/> exceeds its bound, or differs from the leads this report's <see cref="ConversionTimes"/> counts at that step.</exception>
    public TransitionReport WithModes(
        ReadOnlySpan<long> reached, ReadOnlySpan<long> stepWindowSeconds, AnchorMode anchor, StepOrder order, ReadOnlySpan<int> optionalSteps, MedianKind median, long excluded)
    {
        Guard.Against.EnumOutOfRange(anchor);
        Guard.Against.EnumOutOfRange(order);
        Guard.Against.EnumOutOfRange(median);
        Guard.Against.OutOfRange(excluded, nameof(excluded), 0, EntityCount);
        if (!stepWindowSeconds.IsEmpty)
        {
            CheckLength(stepWindowSeconds.Length, StageCount - 1, nameof(stepWindowSeconds));
            CheckedTotal(stepWindowSeconds, nameof(stepWindowSeconds));
        }

        for (var i = 0; i < optionalSteps.Length; i++)
        {
            if (optionalSteps[i] < 1 || optionalSteps[i] >= StageCount || (i > 0 && optionalSteps[i] <= optionalSteps[i - 1]))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(optionalSteps), optionalSteps[i], $"Optional steps are ascending stage ordinals from 1 to {StageCount - 1}; value {i} is not.");
            }
        }

        CheckLength(reached.Length, StageCount, nameof(reached));
        CheckedTotal(reached, nameof(reached));
        var bound = EntityCount;
        for (var s = 0; s < reached.Length; s++)
        {
            if (reached[s] > bound)
            {
                throw new ArgumentException(
                    $"reached[{s}] = {reached[s]} exceeds {bound}, the {(s == 0 ? "entities" : "value of the closest earlier step that is not optional")}.", nameof(reached));
            }

            if (!optionalSteps.Contains(s))
            {
                bound = reached[s];
            }
        }

        foreach (var time in ConversionTimes)
        {
            if (time.FromAnchor.Count != reached[time.Step])
            {
                throw new ArgumentException(
                    $"reached[{time.Step}] = {reached[time.Step]}, but this report's time to convert counts {time.FromAnchor.Count} leads at step {time.Step}: "
                    + "the two would contradict each other. Remove the time to convert first (WithConversionTimes([])), then set the one of these modes.",
                    nameof(reached));
            }
        }

        return Copy([.. reached], [.. stepWindowSeconds], anchor, order, [.. optionalSteps], median, excluded, ConversionTimes);
    }

    /// <summary>
    /// Returns a copy of this report with the time to convert per step (<see cref="ConversionTimes"/>) of the analysis
    /// that computed it, for reports rebuilt from numbers kept elsewhere (a JSON document, another process). The
    /// durations are not recomputed; they are checked against the window funnel: each step's time to convert counts
    /// exactly the leads of <see cref="Reached"/> at that step (the leads whose counted attempt reached it).
    /// </summary>
    /// <param name="conversionTimes">One entry per step 1 … <see cref="StageCount"/> − 1, in step order; empty to remove them.</param>
    /// <returns>The copy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="conversionTimes"/> or an entry is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There are not <see cref="StageCount"/> − 1 entries, an entry is not for its step, or its count differs from <see cref="Reached"/> at its step; the message names the entry.</exception>
    public TransitionReport WithConversionTimes(IEnumerable<StepConversionTime> conversionTimes)
    {
        Guard.Against.Null(conversionTimes);
        ImmutableArray<StepConversionTime> times = [.. conversionTimes];
        if (!times.IsEmpty)
        {
            CheckLength(times.Length, StageCount - 1, nameof(conversionTimes));
            for (var i = 0; i < times.Length; i++)
            {
                var time = times[i] ?? throw new ArgumentNullException(nameof(conversionTimes), $"conversionTimes[{i}] is null.");
                if (time.Step != i + 1)
                {
                    throw new ArgumentException($"conversionTimes[{i}] is for step {time.Step}; the entries are steps 1 to {StageCount - 1} in order, so it must be step {i + 1}.", nameof(conversionTimes));
                }

                if (time.FromAnchor.Count != Reached[time.Step])
                {
                    throw new ArgumentException(
                        $"conversionTimes[{i}] counts {time.FromAnchor.Count} leads, but {Reached[time.Step]} reached step {time.Step}: the time to convert counts the leads of the window funnel.", nameof(conversionTimes));
                }
            }
        }

        return Copy(Reached, StepWindowSeconds, Anchor, Order, OptionalSteps, Median, Excluded, times);
    }

    /// <summary>This report's counts with the given window funnel, funnel modes and time to convert.</summary>
    private TransitionReport Copy(
        ImmutableArray<long> reached,
        ImmutableArray<long> stepWindowSeconds,
        AnchorMode anchor,
        StepOrder order,
        ImmutableArray<int> optionalSteps,
        MedianKind median,
        long excluded,
        ImmutableArray<StepConversionTime> conversionTimes) =>
        new(StageCount, GoalStage, LossReasonCount, WindowSeconds, EventCount, EntityCount, reached, Transitions, TimeInStage, TimeAfterLoss, Losses, LossesAfterLoss, LossesAtUnknownStage, Won, Lost, OpenAt)
        {
            StepWindowSeconds = stepWindowSeconds,
            Anchor = anchor,
            Order = order,
            OptionalSteps = optionalSteps,
            Median = median,
            Excluded = excluded,
            ConversionTimes = conversionTimes,
        };

    /// <summary>
    /// Returns this report's numbers described as the answer to <paramref name="analyzer"/>'s question: its per-step
    /// windows, anchor, order, optional steps and median kind. The push-down computes the numbers in a database, which
    /// cannot set these descriptions (<see cref="Storage.EventLogStore"/> stamps them on the result).
    /// </summary>
    internal TransitionReport AnsweringTo(TransitionAnalyzer analyzer) =>
        WithModes(Reached.AsSpan(), analyzer.StepWindowSeconds.AsSpan(), analyzer.Modes.Anchor, analyzer.Modes.Order, analyzer.Modes.OptionalSteps.AsSpan(), analyzer.Modes.Median, Excluded);

    /// <summary>Returns the median of a time-in-stage row as this report's <see cref="Median"/> defines it.</summary>
    /// <param name="time">A value of <see cref="TimeInStage"/> or <see cref="TimeAfterLoss"/>.</param>
    /// <returns>The median in seconds.</returns>
    public double MedianSecondsOf(StageTimeStatistics time) => time.MedianSecondsOf(Median);

    /// <inheritdoc />
    public bool Equals(TransitionReport? other) =>
        other is not null
        && Anchor == other.Anchor
        && Order == other.Order
        && Median == other.Median
        && Excluded == other.Excluded
        && OptionalSteps.AsSpan().SequenceEqual(other.OptionalSteps.AsSpan())
        && ConversionTimes.SequenceEqual(other.ConversionTimes)
        && StageCount == other.StageCount
        && GoalStage == other.GoalStage
        && LossReasonCount == other.LossReasonCount
        && WindowSeconds == other.WindowSeconds
        && StepWindowSeconds.AsSpan().SequenceEqual(other.StepWindowSeconds.AsSpan())
        && EventCount == other.EventCount
        && EntityCount == other.EntityCount
        && Reached.AsSpan().SequenceEqual(other.Reached.AsSpan())
        && Transitions.Equals(other.Transitions)
        && TimeInStage.AsSpan().SequenceEqual(other.TimeInStage.AsSpan())
        && TimeAfterLoss == other.TimeAfterLoss
        && Losses.Equals(other.Losses)
        && LossesAfterLoss.AsSpan().SequenceEqual(other.LossesAfterLoss.AsSpan())
        && LossesAtUnknownStage.AsSpan().SequenceEqual(other.LossesAtUnknownStage.AsSpan())
        && Won == other.Won
        && Lost == other.Lost
        && OpenAt.AsSpan().SequenceEqual(other.OpenAt.AsSpan());

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TransitionReport);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(StageCount);
        hash.Add(GoalStage);
        hash.Add(LossReasonCount);
        hash.Add(WindowSeconds);
        hash.Add(EventCount);
        hash.Add(EntityCount);
        hash.Add(Transitions);
        hash.Add(Won);
        hash.Add(Lost);
        return hash.ToHashCode();
    }

    /// <summary>Returns every number of the report as text, one stage per line; meant for logs and test failure messages.</summary>
    /// <returns>A multi-line text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"window {WindowSeconds} s{(StepWindowSeconds.IsEmpty ? string.Empty : $" (steps: {string.Join(", ", StepWindowSeconds.Select(w => w == long.MaxValue ? "-" : $"{w} s"))})")}, goal {GoalStage}, {EventCount} events, {EntityCount} entities, reached [{string.Join(", ", Reached)}], won {Won}, lost {Lost}{(Excluded != 0 ? $", excluded {Excluded}" : string.Empty)}{(Anchor != AnchorMode.First || Order != StepOrder.Ordered || !OptionalSteps.IsEmpty ? $", anchor {Anchor}, order {Order}, optional [{string.Join(", ", OptionalSteps)}]" : string.Empty)}");
        for (var s = 0; s < StageCount; s++)
        {
            text.AppendLine()
                .Append(CultureInfo.InvariantCulture, $"{TimeInStage[s]}; to [{string.Join(", ", Transitions.GetRow(s).ToArray())}]; losses [{string.Join(", ", Losses.GetRow(s).ToArray())}]; open {OpenAt[s]}");
        }

        text.AppendLine()
            .Append(CultureInfo.InvariantCulture, $"after a loss: {TimeAfterLoss}; to [{string.Join(", ", Transitions.GetRow(LostRow).ToArray())}]; losses [{string.Join(", ", LossesAfterLoss)}]")
            .AppendLine()
            .Append(CultureInfo.InvariantCulture, $"losses at an unknown stage (a lead's first event): [{string.Join(", ", LossesAtUnknownStage)}]");

        return text.ToString();
    }

    private static void CheckOutcomes(int goalStage, long entityCount, Int128 lossTotal, long won, long lost, ReadOnlySpan<long> openAt, Int128 openTotal)
    {
        for (var s = goalStage; s < openAt.Length; s++)
        {
            if (openAt[s] != 0)
            {
                throw new ArgumentException($"openAt[{s}] = {openAt[s]}, but stage {s} is the goal stage {goalStage} or later: an entity whose last event enters it is won, not open.", nameof(openAt));
            }
        }

        if (lost > lossTotal)
        {
            throw new ArgumentException($"{lost} entities are lost, but there are only {lossTotal} loss events; a lost entity's last event is a loss.", nameof(lost));
        }

        if ((Int128)won + lost + openTotal != entityCount)
        {
            throw new ArgumentException($"{won} won + {lost} lost + {openTotal} open = {(Int128)won + lost + openTotal}, but there are {entityCount} entities; each has exactly one outcome.", nameof(openAt));
        }
    }

    private static void CheckLength(int length, int expected, string name)
    {
        if (length != expected)
        {
            throw new ArgumentOutOfRangeException(name, length, $"Expected {expected} values.");
        }
    }

    private static Int128 CheckedTotal(ReadOnlySpan<long> counts, string name)
    {
        Int128 total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] < 0)
            {
                throw new ArgumentOutOfRangeException(name, counts[i], $"Value {i} is negative; counts cannot be.");
            }

            total += counts[i];
        }

        return total;
    }
}
