using System.Collections.Immutable;

namespace Funnel.Core.Metrics;

/// <summary>
/// The conversion report of a funnel: per stage, how many leads reached it, converted to the next stage, dropped
/// (went silent), were lost (by reason) or are still open there, with conversion rates (Wilson intervals) and time in
/// stage; in total, won, lost, open, overall conversion, win rate and cycle time to won; and the raw transition and
/// loss matrices. Computed from journeys or from an event log under the semantics of a <see cref="FunnelQuery"/>.
/// </summary>
/// <remarks>
/// <para>With <see cref="FunnelQuery.Default"/> (optionally with a window) the report follows the canonical semantics
/// shared with the bulk engine (<c>Funnel.Core.Bulk</c>): <see cref="Reached"/>, <see cref="Transitions"/> (with its
/// lost row), <see cref="LossesByStage"/>, <see cref="LossesAfterLoss"/>, <see cref="LossesAtUnknownStage"/>, the
/// count, total and median of every <see cref="StageMetrics.TimeInStage"/> and of <see cref="TimeAfterLoss"/>, and the
/// won, lost and open leads are the same numbers as <see cref="Bulk.TransitionReport"/>'s. docs/metrics.md defines
/// every number with a worked example.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
/// <example>
/// <code>
/// var report = FunnelReport.Compute(definition, journeys, FunnelQuery.Default.Ordered(TimeSpan.FromDays(30)));
/// foreach (var stage in report.Stages)
///     Console.WriteLine($"{stage.Stage.Key}: {stage.Reached} ({stage.ConversionFromTop})");
/// </code>
/// </example>
public sealed class FunnelReport
{
    internal FunnelReport(
        FunnelDefinition definition,
        FunnelQuery query,
        DateTimeOffset? asOf,
        long leads,
        ImmutableArray<StageMetrics> stages,
        long won,
        long everWon,
        long lastStatusWon,
        long lost,
        long open,
        Proportion overallConversion,
        Proportion winRate,
        DurationSummary cycleTimeToWon,
        LossBreakdown losses,
        CountMatrix transitions,
        CountMatrix lossesByStage,
        LossBreakdown lossesAfterLoss,
        LossBreakdown lossesAtUnknownStage,
        DurationSummary timeAfterLoss,
        ImmutableArray<StepConversionTime> conversionTimes,
        long excluded)
    {
        ConversionTimes = conversionTimes;
        Excluded = excluded;
        Definition = definition;
        Query = query;
        AsOf = asOf;
        Leads = leads;
        Stages = stages;
        Won = won;
        EverWon = everWon;
        LastStatusWon = lastStatusWon;
        Lost = lost;
        Open = open;
        OverallConversion = overallConversion;
        WinRate = winRate;
        CycleTimeToWon = cycleTimeToWon;
        Losses = losses;
        Transitions = transitions;
        LossesByStage = lossesByStage;
        LossesAfterLoss = lossesAfterLoss;
        LossesAtUnknownStage = lossesAtUnknownStage;
        TimeAfterLoss = timeAfterLoss;
        Reached = [.. stages.Select(s => s.Reached)];
    }

    /// <summary>Gets the funnel definition.</summary>
    public FunnelDefinition Definition { get; }

    /// <summary>Gets the query the report was computed with.</summary>
    public FunnelQuery Query { get; }

    /// <summary>Gets the as-of time used: the query's, or the latest event or status change of the input; <see langword="null"/> for empty input.</summary>
    public DateTimeOffset? AsOf { get; }

    /// <summary>Gets the number of leads in scope (with at least one event by the as-of time, entered in the date range).</summary>
    public long Leads { get; }

    /// <summary>Gets the numbers of every stage, in stage order.</summary>
    /// <remarks>
    /// Under <see cref="StepOrder.Unordered"/> (<see cref="IsUnordered"/>) row k counts the leads that entered k + 1
    /// distinct stages of the funnel, whichever they were: <see cref="StageMetrics.Reached"/>, the conversions and
    /// <see cref="ConversionTimes"/> are of "k + 1 steps", so a report must label the row "k + 1 steps", not with
    /// <see cref="StageMetrics.Stage"/>'s name. The losses, dropped, still open and time in stage of a row stay those
    /// of the stage at position k.
    /// </remarks>
    public ImmutableArray<StageMetrics> Stages { get; }

    /// <summary>
    /// Gets a value indicating whether the report counts steps in any order (<see cref="FunnelQuery.Order"/> is
    /// <see cref="StepOrder.Unordered"/> under <see cref="ReachMode.OrderedWindow"/>): the reached rows are "1 step,
    /// 2 steps, …", not stages (see <see cref="Stages"/>).
    /// </summary>
    public bool IsUnordered => Query.Reach == ReachMode.OrderedWindow && Query.Order == StepOrder.Unordered;

    /// <summary>
    /// Gets the time to convert into every step 1 … n − 1 (index k − 1 for step k), over the leads whose counted attempt
    /// reached it, under <see cref="ReachMode.OrderedWindow"/>; the summaries are empty under the other reach modes,
    /// which have no attempts. See docs/metrics.md, "Time to convert".
    /// </summary>
    public ImmutableArray<StepConversionTime> ConversionTimes { get; }

    /// <summary>
    /// Gets the leads dropped from the funnel by <see cref="FunnelQuery.Exclusions"/>: no attempt of theirs qualifies, so
    /// they are counted in no <see cref="StageMetrics.Reached"/> (nor in time to convert), while their transitions,
    /// losses, time in stage and outcome count as usual (they stay in <see cref="Leads"/>). 0 without exclusions.
    /// </summary>
    public long Excluded { get; }

    /// <summary>Gets the reached count of every stage, in stage order (the same as <see cref="StageMetrics.Reached"/>).</summary>
    public ImmutableArray<long> Reached { get; }

    /// <summary>
    /// Gets the leads won at the as-of time under the definition's <see cref="FunnelDefinition.Outcome"/>: under
    /// <see cref="OutcomeRule.LastStatus"/> (the default) those that reached the goal stage or were marked won and were not
    /// lost or reopened since (<see cref="LastStatusWon"/>); under <see cref="OutcomeRule.Reached"/> every lead that
    /// reached the goal or was marked won (<see cref="EverWon"/>). <see cref="Lost"/>, <see cref="Open"/>, the rates, the
    /// cycle time, the forecast and the economics follow the same rule.
    /// </summary>
    public long Won { get; }

    /// <summary>
    /// Gets the leads whose status after their last event is won (the count of <see cref="OutcomeRule.LastStatus"/>,
    /// whatever the definition's rule), so that a report under <see cref="OutcomeRule.Reached"/> can show both counts.
    /// </summary>
    public long LastStatusWon { get; }

    /// <summary>Gets a value indicating whether the two outcome rules give different won counts (<see cref="EverWon"/> ≠ <see cref="LastStatusWon"/>): a report should then label both.</summary>
    public bool OutcomeRulesDiffer => EverWon != LastStatusWon;

    /// <summary>
    /// Gets a value indicating whether no loss was recorded in scope (no loss event at all). The <see cref="WinRate"/>
    /// is then won out of won leads only, 100% whenever a lead was won: it says nothing about how many leads are won,
    /// and a report should print "no losses recorded" instead of its interval. Silent leads are counted as
    /// <see cref="StageMetrics.Dropped"/>, not lost.
    /// </summary>
    public bool NoLossesRecorded => Losses.Total == 0;

    /// <summary>
    /// Gets the leads won at some time by the as-of time (they entered the goal stage or a later one, or were marked
    /// won), whether or not they were lost or reopened since: the sales of
    /// <see cref="EconomicsReport.FromBreakdown"/> under <see cref="SalesBasis.EverWon"/>. At least <see cref="Won"/>.
    /// </summary>
    /// <remarks>
    /// A lead that bought and was lost afterwards (a refund, a churned customer in the log) is not <see cref="Won"/> at the
    /// as-of time, which is the status after its last event, but its sale happened: it counts here.
    /// </remarks>
    public long EverWon { get; }

    /// <summary>Gets the leads lost at the as-of time.</summary>
    public long Lost { get; }

    /// <summary>Gets the leads still open at the as-of time.</summary>
    public long Open { get; }

    /// <summary>Gets the overall conversion: won out of all leads in scope.</summary>
    public Proportion OverallConversion { get; }

    /// <summary>Gets the win rate: won out of closed (won + lost) leads.</summary>
    public Proportion WinRate { get; }

    /// <summary>Gets the cycle time of won leads, from their first event to the moment they were won.</summary>
    public DurationSummary CycleTimeToWon { get; }

    /// <summary>
    /// Gets the losses by reason, every loss event counted once: those at a stage (<see cref="LossesByStage"/>, the sum
    /// of every <see cref="StageMetrics.Losses"/>), after a loss (<see cref="LossesAfterLoss"/>) and at an unknown
    /// stage (<see cref="LossesAtUnknownStage"/>).
    /// </summary>
    public LossBreakdown Losses { get; }

    /// <summary>
    /// Gets the transition matrix, (stages + 1) × (stages + 1): for every two consecutive events (a, b) of a lead, also
    /// after the goal and after a loss, the count at row a.stage (or row <see cref="LostIndex"/> when a is a loss event)
    /// and column b.stage (or column <see cref="LostIndex"/> when b is a loss event). The total is the number of events
    /// minus the number of leads.
    /// </summary>
    public CountMatrix Transitions { get; }

    /// <summary>
    /// Gets the row and column of <see cref="Transitions"/> that stand for a loss event: the number of stages (the
    /// bulk engine's <see cref="Bulk.TransitionReport.LostRow"/> and <see cref="Bulk.TransitionReport.LostColumn"/>).
    /// </summary>
    public int LostIndex => Definition.Stages.Length;

    /// <summary>
    /// Gets the losses at a known stage, stages × loss reasons: for every loss event whose previous event (of the same
    /// lead, in canonical order) is an entry, the count at row = that entry's stage and column = the loss reason's index
    /// in the definition. The stage a loss event names itself is not used: a loss happens where the lead was. Row s
    /// totals <c>Transitions[s, LostIndex]</c>. Losses after a loss and losses that are a lead's first event are not
    /// in this matrix (<see cref="LossesAfterLoss"/>, <see cref="LossesAtUnknownStage"/>).
    /// </summary>
    public CountMatrix LossesByStage { get; }

    /// <summary>
    /// Gets the loss events, by reason, whose previous event is itself a loss (a lead lost again, for example after it
    /// was reopened without moving): they happened at no stage. They total <c>Transitions[LostIndex, LostIndex]</c>.
    /// </summary>
    public LossBreakdown LossesAfterLoss { get; }

    /// <summary>
    /// Gets the loss events, by reason, that are their lead's first event (in an event log that starts with the loss):
    /// the stage the lead was lost at is not known, so they are counted here and never at a stage.
    /// </summary>
    public LossBreakdown LossesAtUnknownStage { get; }

    /// <summary>
    /// Gets the time from a loss event to the lead's next event (a re-entry, or another loss), sampled as the query's
    /// <see cref="TimeInStageMode"/> says. A stay after a loss is a stay in no stage, so it is here and not in any
    /// <see cref="StageMetrics.TimeInStage"/>. Under <see cref="TimeInStageMode.EveryStay"/> its count is the total of
    /// the lost row of <see cref="Transitions"/> (the bulk engine's <see cref="Bulk.TransitionReport.TimeAfterLoss"/>).
    /// </summary>
    public DurationSummary TimeAfterLoss { get; }

    /// <summary>Gets the numbers of one stage.</summary>
    /// <param name="stage">The stage key.</param>
    /// <returns>The stage's numbers.</returns>
    /// <exception cref="ArgumentException">The definition has no such stage.</exception>
    public StageMetrics this[StageKey stage] => Stages[Definition.GetStage(stage).Order];

    /// <summary>Computes the report from journeys.</summary>
    /// <param name="definition">The funnel definition every journey follows.</param>
    /// <param name="journeys">The journeys; each id once.</param>
    /// <param name="query">The semantics; <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="journeys"/> is <see langword="null"/>.</exception>
    /// <exception cref="MetricsInputException">A journey is null, follows another definition, or its id occurs twice.</exception>
    /// <exception cref="ArgumentException">The query's <see cref="FunnelQuery.StepWindows"/> do not match the definition's number of steps.</exception>
    public static FunnelReport Compute(FunnelDefinition definition, IEnumerable<Journey> journeys, FunnelQuery? query = null)
    {
        var tracks = LeadTracks.FromJourneys(definition, journeys);
        return FromTracks(definition, tracks, query ?? FunnelQuery.Default);
    }

    /// <summary>
    /// Computes the report from an event log. Each entity's events are taken in timestamp order (whole seconds), ties
    /// keeping their position in the log. A loss event is not an entry: the loss counts where the lead was, at the stage
    /// of its previous event (see <see cref="LossesByStage"/>), not at the stage the loss event names.
    /// </summary>
    /// <param name="definition">The funnel definition the events refer to.</param>
    /// <param name="events">The events, in any order.</param>
    /// <param name="query">The semantics; <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="events"/> is <see langword="null"/>.</exception>
    /// <exception cref="MetricsInputException">An event is the default value or names a stage or loss reason the definition lacks.</exception>
    /// <exception cref="ArgumentException">The query's <see cref="FunnelQuery.StepWindows"/> do not match the definition's number of steps.</exception>
    public static FunnelReport Compute(FunnelDefinition definition, IEnumerable<FunnelEvent> events, FunnelQuery? query = null)
    {
        var tracks = LeadTracks.FromEvents(definition, events);
        return FromTracks(definition, tracks, query ?? FunnelQuery.Default);
    }

    /// <summary>
    /// Restores a report from its numbers, such as a stored or serialized report, without recomputing it from journeys
    /// or events. Only the independent numbers are given; the rest is derived exactly as <see cref="Compute(FunnelDefinition, IEnumerable{Journey}, FunnelQuery?)"/>
    /// derives it: <see cref="Leads"/> (won + lost + open), every <see cref="Proportion"/> (at the query's confidence
    /// level and minimum sample), the per-stage losses (the rows of <paramref name="lossesByStage"/>), the losses after
    /// a loss and at an unknown stage (with their recoverable split) and the total losses (the column sums of
    /// <paramref name="lossesByStage"/> plus both). The numbers are checked for consistency first.
    /// </summary>
    /// <param name="definition">The funnel definition the report is of.</param>
    /// <param name="query">The query the report was computed with.</param>
    /// <param name="asOf">The as-of time used (<see cref="AsOf"/>); must equal the query's when it has one, and may be <see langword="null"/> only when there are no leads.</param>
    /// <param name="won">The leads won (<see cref="Won"/>).</param>
    /// <param name="lost">The leads lost (<see cref="Lost"/>).</param>
    /// <param name="open">The leads still open (<see cref="Open"/>); the sum of <paramref name="dropped"/> and <paramref name="stillOpen"/>.</param>
    /// <param name="cycleTimeToWon">The cycle time of won leads (<see cref="CycleTimeToWon"/>), with one sample per won lead.</param>
    /// <param name="reached">Per stage, in stage order: <see cref="StageMetrics.Reached"/>.</param>
    /// <param name="convertedToNext">Per stage: <see cref="StageMetrics.ConvertedToNext"/>; at most the stage's reached count, 0 for the last stage.</param>
    /// <param name="reachedFromTop">
    /// Per stage: the leads that reached the first stage and this one (the successes of <see cref="StageMetrics.ConversionFromTop"/>);
    /// at most the first stage's and this stage's reached counts, and equal to the reached count for the first stage.
    /// Empty (or <see langword="default"/>) under <see cref="CountMode.Totals"/>, where there is no conversion from the top.
    /// </param>
    /// <param name="dropped">Per stage: <see cref="StageMetrics.Dropped"/>.</param>
    /// <param name="stillOpen">Per stage: <see cref="StageMetrics.StillOpen"/>.</param>
    /// <param name="timeInStage">Per stage: <see cref="StageMetrics.TimeInStage"/> (see <see cref="DurationSummary.FromAggregates(long, Int128, long, long, long)"/>).</param>
    /// <param name="timeAfterLoss">The time from a loss to the next event (<see cref="TimeAfterLoss"/>).</param>
    /// <param name="transitions">
    /// The counts of <see cref="Transitions"/>, row by row: (stages + 1) × (stages + 1), the last row and column for loss
    /// events. The lost column's row s equals row s of <paramref name="lossesByStage"/> in total, and its last count the
    /// total of <paramref name="lossesAfterLoss"/>.
    /// </param>
    /// <param name="lossesByStage">The counts of <see cref="LossesByStage"/>, row by row: stages × loss reasons.</param>
    /// <param name="lossesAfterLoss">The counts of <see cref="LossesAfterLoss"/>, one per loss reason in the definition's order.</param>
    /// <param name="lossesAtUnknownStage">The counts of <see cref="LossesAtUnknownStage"/>, one per loss reason; at most one per lead in total.</param>
    /// <param name="everWon">The leads won at some time (<see cref="EverWon"/>), from <paramref name="won"/> to the number of leads; <see langword="null"/> (for a report saved before the count existed) takes <paramref name="won"/>. Equal to <paramref name="won"/> under <see cref="OutcomeRule.Reached"/>.</param>
    /// <param name="conversionTimes">The time to convert of every step 1 … n − 1 (<see cref="ConversionTimes"/>), in step order; empty (or <see langword="default"/>, for a report saved before it existed) for empty summaries.</param>
    /// <param name="excluded">The leads dropped by exclusions (<see cref="Excluded"/>); not negative, at most the leads, 0 when the query has no exclusions.</param>
    /// <param name="lastStatusWon">The leads won after their last event (<see cref="LastStatusWon"/>), at most the leads ever won; <see langword="null"/> (for a report saved before the count existed) takes <paramref name="won"/>. Equal to <paramref name="won"/> under <see cref="OutcomeRule.LastStatus"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// A count is negative; a per-stage array does not have one value per stage of the definition, or a matrix the
    /// shape above; or the numbers contradict each other. The message names the value and the stage key.
    /// </exception>
    /// <example>
    /// <code>
    /// var copy = FunnelReport.Restore(report.Definition, report.Query, report.AsOf, report.Won, report.Lost, report.Open, report.CycleTimeToWon,
    ///     report.Reached, [.. report.Stages.Select(s => s.ConvertedToNext)], [.. report.Stages.Select(s => s.ConversionFromTop!.Value.Successes)],
    ///     [.. report.Stages.Select(s => s.Dropped)], [.. report.Stages.Select(s => s.StillOpen)], [.. report.Stages.Select(s => s.TimeInStage)],
    ///     report.TimeAfterLoss, report.Transitions.Counts, report.LossesByStage.Counts,
    ///     [.. report.LossesAfterLoss.ByReason.Select(r => r.Count)], [.. report.LossesAtUnknownStage.ByReason.Select(r => r.Count)]);
    /// </code>
    /// </example>
    public static FunnelReport Restore(
        FunnelDefinition definition,
        FunnelQuery query,
        DateTimeOffset? asOf,
        long won,
        long lost,
        long open,
        DurationSummary cycleTimeToWon,
        ImmutableArray<long> reached,
        ImmutableArray<long> convertedToNext,
        ImmutableArray<long> reachedFromTop,
        ImmutableArray<long> dropped,
        ImmutableArray<long> stillOpen,
        ImmutableArray<DurationSummary> timeInStage,
        DurationSummary timeAfterLoss,
        ImmutableArray<long> transitions,
        ImmutableArray<long> lossesByStage,
        ImmutableArray<long> lossesAfterLoss,
        ImmutableArray<long> lossesAtUnknownStage,
        long? everWon = null,
        long? lastStatusWon = null,
        ImmutableArray<StepConversionTime> conversionTimes = default,
        long excluded = 0)
    {
        Guard.Against.Null(definition);
        Guard.Against.Null(query);
        Guard.Against.NegativeNumber(won);
        Guard.Against.NegativeNumber(lost);
        Guard.Against.NegativeNumber(open);
        var n = definition.Stages.Length;
        var totals = query.Counting == CountMode.Totals;
        var reachedCounts = StageCounts(definition, reached, nameof(reached));
        var converted = StageCounts(definition, convertedToNext, nameof(convertedToNext));
        var fromTop = totals
            ? (reachedFromTop.IsDefaultOrEmpty ? null : throw new ArgumentException("Under CountMode.Totals there is no conversion from the top: reachedFromTop must be empty.", nameof(reachedFromTop)))
            : StageCounts(definition, reachedFromTop, nameof(reachedFromTop));
        var droppedCounts = StageCounts(definition, dropped, nameof(dropped));
        var stillOpenCounts = StageCounts(definition, stillOpen, nameof(stillOpen));
        if (timeInStage.IsDefault || timeInStage.Length != n)
        {
            throw new ArgumentException(StageCountMessage(definition, nameof(timeInStage), timeInStage.IsDefault ? 0 : timeInStage.Length), nameof(timeInStage));
        }

        var reasons = definition.LossReasons.Length;
        var transitionCounts = MatrixCounts(transitions, n + 1, n + 1, nameof(transitions), "(stages + 1) × (stages + 1)");
        var lossCounts = MatrixCounts(lossesByStage, n, reasons, nameof(lossesByStage), "stages × loss reasons");
        var afterLossCounts = ReasonCounts(definition, lossesAfterLoss, nameof(lossesAfterLoss));
        var unknownCounts = ReasonCounts(definition, lossesAtUnknownStage, nameof(lossesAtUnknownStage));

        var leads = won + lost + open;
        if (leads < 0 || leads - open != won + lost)
        {
            throw new ArgumentOutOfRangeException(nameof(open), open, "won + lost + open overflows.");
        }

        var wonOnce = everWon ?? won;
        if (wonOnce < won || wonOnce > leads)
        {
            throw new ArgumentOutOfRangeException(nameof(everWon), wonOnce, $"The leads ever won must be at least the won leads ({won}) and at most the leads ({leads}).");
        }

        var wonLast = lastStatusWon ?? won;
        if (wonLast < 0 || wonLast > wonOnce)
        {
            throw new ArgumentOutOfRangeException(nameof(lastStatusWon), wonLast, $"The leads won after their last event must be from 0 to the leads ever won ({wonOnce}).");
        }

        if (definition.Outcome == OutcomeRule.Reached ? wonOnce != won : wonLast != won)
        {
            throw new ArgumentException(
                definition.Outcome == OutcomeRule.Reached
                    ? $"Funnel '{definition.Key}' counts a lead won once it reaches the goal (outcome 'reached'): the leads ever won ({wonOnce}) must equal the won leads ({won})."
                    : $"Funnel '{definition.Key}' counts the status after the last event (outcome 'last-status'): the leads won after their last event ({wonLast}) must equal the won leads ({won}).",
                definition.Outcome == OutcomeRule.Reached ? nameof(everWon) : nameof(lastStatusWon));
        }

        CheckConsistency(definition, query, asOf, leads, reachedCounts, converted, fromTop);
        var openAtStages = 0L;
        for (var k = 0; k < n; k++)
        {
            openAtStages += droppedCounts[k] + stillOpenCounts[k];
        }

        if (openAtStages != open)
        {
            throw new ArgumentException($"The open leads ({open}) must be the sum of dropped and still open over all stages ({openAtStages}).", nameof(open));
        }

        if (cycleTimeToWon.Count != won)
        {
            throw new ArgumentException($"The cycle time to won must have one sample per won lead: {won} won, {cycleTimeToWon.Count} samples.", nameof(cycleTimeToWon));
        }

        CheckLossConsistency(definition, leads, transitionCounts, lossCounts, afterLossCounts, unknownCounts);
        var times = ConversionTimeCounts(definition, conversionTimes);
        if (excluded < 0 || excluded > leads || (excluded > 0 && query.Exclusions.IsEmpty))
        {
            throw new ArgumentOutOfRangeException(nameof(excluded), excluded, $"The excluded leads must be from 0 to the leads ({leads}), and 0 when the query has no exclusions.");
        }

        return Assemble(
            definition,
            query,
            asOf,
            new ReportCounts(
                won,
                wonOnce,
                wonLast,
                lost,
                open,
                cycleTimeToWon,
                reachedCounts,
                converted,
                fromTop,
                droppedCounts,
                stillOpenCounts,
                [.. timeInStage],
                timeAfterLoss,
                transitionCounts,
                lossCounts,
                afterLossCounts,
                unknownCounts,
                times,
                excluded));
    }

    /// <summary>
    /// Compares this report's overall conversion (won out of leads) with another's — two periods, two segments, two
    /// funnels variants — with the two-proportion z-test, or Fisher's exact p-value when the expected counts fail
    /// Cochran's rule (<see cref="Statistics.CompareProportions"/>).
    /// </summary>
    /// <param name="other">The other report.</param>
    /// <returns>z (positive when this report converts better) and the two-sided p-value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A report has no leads.</exception>
    public TestResult CompareOverallConversion(FunnelReport other)
    {
        Guard.Against.Null(other);
        return Statistics.CompareProportions(OverallConversion.Successes, OverallConversion.Trials, other.OverallConversion.Successes, other.OverallConversion.Trials);
    }

    /// <summary>Compares the conversion into a stage from the previous one with another report's (<see cref="Statistics.CompareProportions"/>: the z-test, or Fisher's exact p-value for small samples).</summary>
    /// <param name="other">The other report, of a funnel with the same stage key.</param>
    /// <param name="stage">The stage.</param>
    /// <returns>z (positive when this report converts better) and the two-sided p-value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A definition has no such stage.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A report has no trials for that conversion.</exception>
    public TestResult CompareConversion(FunnelReport other, StageKey stage)
    {
        Guard.Against.Null(other);
        var mine = this[stage].ConversionFromPrevious;
        var theirs = other[stage].ConversionFromPrevious;
        return Statistics.CompareProportions(mine.Successes, mine.Trials, theirs.Successes, theirs.Trials);
    }

    /// <summary>Returns a short summary.</summary>
    /// <returns>A text such as <c>aida: 100 leads, won 12, lost 30, open 58</c>.</returns>
    public override string ToString() => $"{Definition.Key}: {Leads} leads, won {Won}, lost {Lost}, open {Open}";

    /// <summary>Builds the report from its independent numbers, deriving the rest; shared by the calculator and <see cref="Restore"/>.</summary>
    internal static FunnelReport Assemble(FunnelDefinition definition, FunnelQuery query, DateTimeOffset? asOf, ReportCounts counts)
    {
        var n = definition.Stages.Length;
        var reasons = definition.LossReasons.Length;
        var level = query.ConfidenceLevel;
        var minimum = query.MinimumSample;
        var leads = counts.Won + counts.Lost + counts.Open;
        var reached = counts.Reached;
        var stages = new StageMetrics[n];
        var optional = query.OptionalMask(definition);
        for (var k = 0; k < n; k++)
        {
            // Optional steps are skipped: the rate into step k is out of the previous required step (R6).
            var previous = PreviousRequired(optional, k);
            var fromPrevious = k == 0
                ? (counts.ReachedFromTop is null ? new Proportion(0, 0, level, minimum) : new Proportion(reached[0], leads, level, minimum))
                : new Proportion(optional[k] ? reached[k] : counts.ConvertedToNext[previous], reached[previous], level, minimum);
            Proportion? fromTop = counts.ReachedFromTop is { } top ? new Proportion(top[k], reached[0], level, minimum) : null;
            stages[k] = new StageMetrics(
                definition.Stages[k],
                reached[k],
                k + 1 < n ? counts.ConvertedToNext[k] : 0,
                fromPrevious,
                fromTop,
                counts.Dropped[k],
                counts.StillOpen[k],
                LossBreakdown.FromRow(definition, counts.LossesByStage, k, reasons),
                counts.TimeInStage[k]);
        }

        var lossTotals = new long[reasons];
        for (var c = 0; c < reasons; c++)
        {
            lossTotals[c] = counts.LossesAfterLoss[c] + counts.LossesAtUnknownStage[c];
            for (var k = 0; k < n; k++)
            {
                lossTotals[c] += counts.LossesByStage[(k * reasons) + c];
            }
        }

        return new FunnelReport(
            definition,
            query,
            asOf,
            leads,
            [.. stages],
            counts.Won,
            counts.EverWon,
            counts.LastStatusWon,
            counts.Lost,
            counts.Open,
            new Proportion(counts.Won, leads, level, minimum),
            new Proportion(counts.Won, counts.Won + counts.Lost, level, minimum),
            counts.CycleTimeToWon,
            LossBreakdown.FromCounts(definition, lossTotals),
            new CountMatrix(n + 1, n + 1, counts.Transitions),
            new CountMatrix(n, reasons, counts.LossesByStage),
            LossBreakdown.FromCounts(definition, counts.LossesAfterLoss),
            LossBreakdown.FromCounts(definition, counts.LossesAtUnknownStage),
            counts.TimeAfterLoss,
            [.. counts.ConversionTimes],
            counts.Excluded);
    }

    /// <summary>The time to convert of every step with no samples.</summary>
    internal static StepConversionTime[] EmptyConversionTimes(int stageCount)
    {
        var times = new StepConversionTime[Math.Max(0, stageCount - 1)];
        for (var k = 0; k < times.Length; k++)
        {
            times[k] = new StepConversionTime(k + 1, default, default, DurationHistogram.Empty, DurationHistogram.Empty);
        }

        return times;
    }

    internal static FunnelReport FromTracks(FunnelDefinition definition, List<LeadTrack> tracks, FunnelQuery query)
    {
        var (prepared, asOf) = LeadTracks.Prepare(tracks, query);
        return ReportCalculator.Compute(definition, query, prepared, asOf);
    }

    private static void CheckConsistency(FunnelDefinition definition, FunnelQuery query, DateTimeOffset? asOf, long leads, long[] reached, long[] convertedToNext, long[]? reachedFromTop)
    {
        var n = definition.Stages.Length;
        var optional = query.OptionalMask(definition);
        if (query.AsOf is { } fixedAsOf && asOf != fixedAsOf)
        {
            throw new ArgumentException($"The as-of time must be the query's ({fixedAsOf:O}), not {(asOf is { } a ? a.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "none")}.", nameof(asOf));
        }

        if (asOf is null && leads > 0)
        {
            throw new ArgumentException($"A report with leads ({leads}) has an as-of time.", nameof(asOf));
        }

        if (convertedToNext[n - 1] != 0)
        {
            throw new ArgumentException($"convertedToNext of the last stage '{definition.Stages[n - 1].Key}' must be 0, not {convertedToNext[n - 1]}.", nameof(convertedToNext));
        }

        for (var k = 0; k < n; k++)
        {
            var key = definition.Stages[k].Key;
            if (convertedToNext[k] > reached[k])
            {
                throw new ArgumentException($"convertedToNext of stage '{key}' ({convertedToNext[k]}) must not exceed its reached count ({reached[k]}).", nameof(convertedToNext));
            }

            if (reachedFromTop is null)
            {
                continue;
            }

            if (reached[k] > leads)
            {
                throw new ArgumentException($"reached of stage '{key}' ({reached[k]}) must not exceed the leads ({leads}) when counting uniques.", nameof(reached));
            }

            var next = k + 1 < n ? ReportAccumulator.NextRequired(optional, k) : n;
            if (next < n && convertedToNext[k] > reached[next])
            {
                throw new ArgumentException($"convertedToNext of stage '{key}' ({convertedToNext[k]}) must not exceed the reached count of the next (required) stage ({reached[next]}) when counting uniques.", nameof(convertedToNext));
            }

            if (optional[k] && reached[k] > reached[PreviousRequired(optional, k)])
            {
                throw new ArgumentException($"reached of optional stage '{key}' ({reached[k]}) must not exceed the reached count of the previous required stage when counting uniques.", nameof(reached));
            }

            if (reachedFromTop[k] > reached[k] || reachedFromTop[k] > reached[0] || (k == 0 && reachedFromTop[0] != reached[0]))
            {
                throw new ArgumentException($"reachedFromTop of stage '{key}' ({reachedFromTop[k]}) must not exceed its reached count ({reached[k]}) nor the first stage's ({reached[0]}), and equals it for the first stage.", nameof(reachedFromTop));
            }
        }
    }

    /// <summary>Checks what holds under every query: each loss is a pair into the lost column, counted in exactly one place.</summary>
    private static void CheckLossConsistency(FunnelDefinition definition, long leads, long[] transitions, long[] lossesByStage, long[] lossesAfterLoss, long[] lossesAtUnknownStage)
    {
        var n = definition.Stages.Length;
        var reasons = definition.LossReasons.Length;
        for (var row = 0; row <= n; row++)
        {
            Int128 losses = 0;
            for (var c = 0; c < reasons; c++)
            {
                losses += row < n ? lossesByStage[(row * reasons) + c] : lossesAfterLoss[c];
            }

            var toLost = transitions[(row * (n + 1)) + n];
            if (losses != toLost)
            {
                throw row < n
                    ? new ArgumentException($"The losses at stage '{definition.Stages[row].Key}' total {losses}, but the transitions count {toLost} moves from it to lost; both count the loss events that follow an entry into that stage.", nameof(lossesByStage))
                    : new ArgumentException($"The losses after a loss total {losses}, but the transitions count {toLost} moves from lost to lost; both count the loss events that follow a loss event.", nameof(lossesAfterLoss));
            }
        }

        Int128 unknown = 0;
        foreach (var count in lossesAtUnknownStage)
        {
            unknown += count;
        }

        if (unknown > leads)
        {
            throw new ArgumentException($"{unknown} losses are a lead's first event, but there are only {leads} leads.", nameof(lossesAtUnknownStage));
        }
    }

    private static int PreviousRequired(bool[] optional, int k)
    {
        var previous = k - 1;
        while (previous > 0 && optional[previous])
        {
            previous--;
        }

        return previous;
    }

    private static StepConversionTime[] ConversionTimeCounts(FunnelDefinition definition, ImmutableArray<StepConversionTime> conversionTimes)
    {
        var steps = definition.Stages.Length - 1;
        if (conversionTimes.IsDefaultOrEmpty)
        {
            return EmptyConversionTimes(definition.Stages.Length);
        }

        if (conversionTimes.Length != steps)
        {
            throw new ArgumentException($"conversionTimes must have one value per step of '{definition.Key}' ({steps}), not {conversionTimes.Length}.", nameof(conversionTimes));
        }

        for (var k = 0; k < steps; k++)
        {
            if (conversionTimes[k] is null || conversionTimes[k].Step != k + 1)
            {
                throw new ArgumentException($"conversionTimes[{k}] must be the time to convert into step {k + 1} ('{definition.Stages[k + 1].Key}'), not {(conversionTimes[k] is null ? "null" : $"step {conversionTimes[k].Step}")}.", nameof(conversionTimes));
            }
        }

        return [.. conversionTimes];
    }

    private static long[] StageCounts(FunnelDefinition definition, ImmutableArray<long> values, string name)
    {
        if (values.IsDefault || values.Length != definition.Stages.Length)
        {
            throw new ArgumentException(StageCountMessage(definition, name, values.IsDefault ? 0 : values.Length), name);
        }

        for (var k = 0; k < values.Length; k++)
        {
            if (values[k] < 0)
            {
                throw new ArgumentOutOfRangeException(name, values[k], $"{name} of stage '{definition.Stages[k].Key}' must not be negative.");
            }
        }

        return [.. values];
    }

    private static long[] ReasonCounts(FunnelDefinition definition, ImmutableArray<long> values, string name)
    {
        var reasons = definition.LossReasons;
        if (values.IsDefault || values.Length != reasons.Length)
        {
            throw new ArgumentException($"{name} must have one value per loss reason of '{definition.Key}' ({reasons.Length}), not {(values.IsDefault ? 0 : values.Length)}.", name);
        }

        for (var c = 0; c < values.Length; c++)
        {
            if (values[c] < 0)
            {
                throw new ArgumentOutOfRangeException(name, values[c], $"{name} of loss reason '{reasons[c].Key}' must not be negative.");
            }
        }

        return [.. values];
    }

    private static string StageCountMessage(FunnelDefinition definition, string name, int length) =>
        $"{name} must have one value per stage of '{definition.Key}' ({definition.Stages.Length}), not {length}.";

    private static long[] MatrixCounts(ImmutableArray<long> values, int rows, int columns, string name, string shape)
    {
        if (values.IsDefault || values.Length != rows * columns)
        {
            throw new ArgumentException($"{name} must have {shape} = {rows} × {columns} = {rows * columns} counts, not {(values.IsDefault ? 0 : values.Length)}.", name);
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] < 0)
            {
                throw new ArgumentOutOfRangeException(name, values[i], $"{name}[{i / columns}, {i % columns}] must not be negative.");
            }
        }

        return [.. values];
    }
}
