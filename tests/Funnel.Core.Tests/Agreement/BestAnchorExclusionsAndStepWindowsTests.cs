using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Core.Tests.Bulk;

namespace Funnel.Core.Tests.Agreement;

/// <summary>
/// Hand-computed sales examples of <see cref="AnchorMode.Best"/> with ordered steps, exclusions and per-step windows
/// (docs/bulk.md rules 2, 7, 8, 11 and 12), each checked on both paths: the bulk engine and the metrics report. Stages:
/// 0 lead, 1 qualified, 2 proposal, 3 contract; loss reason 0 "competitor", 1 "budget"; window 1,000 s; times in
/// seconds. T_k is the earliest reach of step k over the attempt's chains.
/// </summary>
public sealed class BestAnchorExclusionsAndStepWindowsTests
{
    private const long None = long.MaxValue;

    [Fact]
    public void EarliestQualificationCannotReachTheProposal_ALaterOneCan_AndEquallyDeepAttemptsGoToTheEarliest()
    {
        // The proposal must follow the qualification within 10 s: the qualification at 1 s is too early for the
        // proposal at 105 s, the one at 100 s is not (greedy from the earliest qualification would stop at level 2).
        // The contact again at 50 s reaches the contract too: equally deep, so the attempt from 0 s counts. A budget
        // loss between proposal and contract is not the excluded reason.
        var c = Case([None, 10, None], (1, 0, 0, -1), (1, 1, 1, -1), (1, 0, 50, -1), (1, 1, 100, -1), (1, 2, 105, -1), (1, 0, 107, 1), (1, 3, 110, -1));
        var (bulk, aggregate, report) = Run(c, Competitor(2, 3));

        AssertBoth([1, 1, 1, 1], excluded: 0, bulk, report);
        AssertConversion(aggregate, report, step: 3, fromAnchor: [110], fromPrevious: [5]);
    }

    [Fact]
    public void CompetitorBetweenQualificationAndProposal_DisqualifiesOnlyTheEarlierAttempt()
    {
        // Attempt from 0 s: qualified at 5 s (T_1), the proposal at 30 s only through the qualification at 25 s (10 s
        // step window), so T_2 = 30 and the competitor's demo at 8 s lies between: disqualified. The attempt from 20 s
        // has T_1 = 25: the demo is before it, so this one counts, with its own times to convert.
        var c = Case([None, 10, None], (1, 0, 0, -1), (1, 1, 5, -1), (1, 0, 8, 0), (1, 0, 20, -1), (1, 1, 25, -1), (1, 2, 30, -1));
        var (bulk, aggregate, report) = Run(c, Competitor(1, 2));

        AssertBoth([1, 1, 1, 0], excluded: 0, bulk, report);
        AssertConversion(aggregate, report, step: 2, fromAnchor: [10], fromPrevious: [5]);

        // With the first anchor the only attempt tried is disqualified: the lead is dropped.
        var (first, _, firstReport) = Run(c, Competitor(1, 2), AnchorMode.First);
        AssertBoth([0, 0, 0, 0], excluded: 1, first, firstReport);
    }

    [Fact]
    public void TiedSeconds_MatchInAnyOrder_AndAnExclusionInTheSecondOfTheStepDoesNotCount()
    {
        // Step window of the proposal 0 s: qualification and proposal in one second (logged proposal first) chain.
        // Lead 1: the competitor loss shares the qualification's second (10 s): not strictly before T_1, so the attempt
        // from 0 s counts (10 s to the proposal). Lead 2: the loss at 5 s lies between the contact at 0 s and T_1 = 10 s,
        // so the new contact at 10 s (the same second as its steps) counts, 0 s to the proposal.
        var c = Case(
            [None, 0, None],
            (1, 0, 0, -1), (1, 0, 10, 0), (1, 2, 10, -1), (1, 1, 10, -1), (1, 0, 10, -1),
            (2, 0, 0, -1), (2, 0, 5, 0), (2, 2, 10, -1), (2, 1, 10, -1), (2, 0, 10, -1));
        var (bulk, aggregate, report) = Run(c, Competitor(0, 1));

        AssertBoth([2, 2, 2, 0], excluded: 0, bulk, report);
        AssertConversion(aggregate, report, step: 2, fromAnchor: [0, 10], fromPrevious: [0, 0]);
    }

    [Fact]
    public void OptionalProposal_StepWindowFromTheLastMatchedStep_AndASkipThatMakesTheEarlierAttemptDeeper()
    {
        // The proposal is optional and the contract must come within 20 s of the previous matched step. Attempt from
        // 0 s: the contract at 60 s is 50 s after the qualification but 10 s after the proposal at 50 s, so it counts
        // through the proposal; the competitor's demo at 70 s is after the contract. The contact again at 30 s is never
        // qualified: level 1. Lead 2 signs 15 s after its first qualification by skipping the proposal: level 4 from
        // 0 s, deeper than its attempt from 2,000 s, which gets to a proposal (out of the first attempt's window) but
        // no contract. The proposal is not reached for lead 2.
        var c = Case(
            [None, None, 20],
            (1, 0, 0, -1), (1, 1, 10, -1), (1, 0, 30, -1), (1, 2, 50, -1), (1, 3, 60, -1), (1, 0, 70, 0),
            (2, 0, 0, -1), (2, 1, 10, -1), (2, 3, 25, -1), (2, 0, 2_000, -1), (2, 1, 2_010, -1), (2, 2, 2_020, -1));
        var (bulk, aggregate, report) = Run(c, Competitor(1, 3), optional: [2]);

        AssertBoth([2, 2, 1, 2], excluded: 0, bulk, report);
        AssertConversion(aggregate, report, step: 3, fromAnchor: [25, 60], fromPrevious: [10, 15]);

        // A competitor's demo at 45 s, between the qualification and the contract, disqualifies the attempt from 0 s;
        // the one from 30 s stops before the qualification, where the exclusion does not apply: it counts, at level 1.
        var lost = c with { Events = [.. c.Events, new RealLog.Row(1, 0, 45, 0)] };
        var (kept, _, keptReport) = Run(lost, Competitor(1, 3), optional: [2]);
        AssertBoth([2, 1, 0, 1], excluded: 0, kept, keptReport);
    }

    private static RealLog Case(long[] stepWindows, params (int Lead, int Stage, long Time, int Reason)[] rows) =>
        new(4, 3, 2, 1_000, [.. rows.Select(r => new RealLog.Row(r.Lead, r.Stage, r.Time, r.Reason))], 0, stepWindows);

    /// <summary>An exclusion of the loss to a competitor (reason 0) between two steps.</summary>
    private static (int Stage, int Reason, int FromStep, int ToStep) Competitor(int from, int to) => (-1, 0, from, to);

    private static (TransitionReport Bulk, TransitionAggregate Aggregate, FunnelReport Report) Run(
        RealLog c, (int, int, int, int) exclusion, AnchorMode anchor = AnchorMode.Best, int[]? optional = null)
    {
        var options = new ReferenceAnalyzer.ModeOptions(anchor, StepOrder.Ordered, [exclusion], optional ?? [], c.StepWindows);
        var aggregate = c.Analyzer(options, 1).Aggregate(c.ToLog());
        return (aggregate.ToReport(), aggregate, BestAnchorProperties.Report(c, options));
    }

    private static void AssertBoth(long[] reached, long excluded, TransitionReport bulk, FunnelReport report)
    {
        Assert.Equal(reached, bulk.Reached.ToArray());
        Assert.Equal(excluded, bulk.Excluded);
        Assert.Equal(reached, report.Reached.ToArray());
        Assert.Equal(excluded, report.Excluded);
    }

    private static void AssertConversion(TransitionAggregate aggregate, FunnelReport report, int step, long[] fromAnchor, long[] fromPrevious)
    {
        Assert.Equal(fromAnchor, aggregate.ModeTotals.Sorted(step, fromAnchor: true));
        Assert.Equal(fromPrevious, aggregate.ModeTotals.Sorted(step, fromAnchor: false));
        Assert.Equal(DurationSummary.FromSeconds(fromAnchor), report.ConversionTimes[step - 1].FromAnchor);
        Assert.Equal(DurationSummary.FromSeconds(fromPrevious), report.ConversionTimes[step - 1].FromPrevious);
    }
}
