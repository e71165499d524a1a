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
public sealed partial class FunnelReport
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

    /// <summary>Returns a short summary.</summary>
    /// <returns>A text such as <c>aida: 100 leads, won 12, lost 30, open 58</c>.</returns>
    public override string ToString() => $"{Definition.Key}: {Leads} leads, won {Won}, lost {Lost}, open {Open}";
}
