using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Core.Tests.Bulk;

/// <summary>
/// One hand-computed sales situation per funnel-mode rule (docs/bulk.md rules 8–13). Stages: 0 lead, 1 qualified,
/// 2 proposal, 3 contract; loss reason 0 "competitor", 1 "budget". Times in seconds.
/// </summary>
public sealed class TransitionAnalyzerModesTests
{
    private static readonly FunnelShape Sales = new(stageCount: 4, goalStage: 3, lossReasonCount: 2);

    private static TransitionAnalyzer Analyzer(long window = 1_000) => new(Sales, TimeSpan.FromSeconds(window), 1);

    private static TransitionLog Log(params (int Lead, int Stage, long Time, int Reason)[] rows)
    {
        var builder = new TransitionLogBuilder();
        foreach (var (lead, stage, time, reason) in rows)
        {
            builder.Add(lead, stage, time, reason);
        }

        return builder.Build();
    }

    [Fact]
    public void Rule8_LeadThatComesBackAndBuysOnTheSecondTry_ConvertsWithTheBestAnchorOnly()
    {
        // The first try stalls at "qualified"; a year later the lead comes back and signs within the window.
        var log = Log((1, 0, 0, -1), (1, 1, 10, -1), (1, 0, 50_000, -1), (1, 1, 50_010, -1), (1, 2, 50_020, -1), (1, 3, 50_030, -1));

        Assert.Equal([1L, 1L, 0L, 0L], Analyzer().Analyze(log).Reached.ToArray());
        Assert.Equal([1L, 1L, 1L, 1L], new TransitionAnalyzer(Sales, TimeSpan.FromSeconds(1_000), 1) { Anchor = AnchorMode.Best }.Analyze(log).Reached.ToArray());
        Assert.Equal([1L, 1L, 1L, 1L], new TransitionAnalyzer(Sales, TimeSpan.FromSeconds(1_000), 1) { Anchor = AnchorMode.Latest }.Analyze(log).Reached.ToArray());
    }

    [Fact]
    public void Rule8_BestAnchor_TiesGoToTheEarliestAttempt()
    {
        // Two attempts both reach "qualified": the earliest counts, so time to convert is measured from it.
        var log = Log((1, 0, 0, -1), (1, 1, 100, -1), (1, 0, 5_000, -1), (1, 1, 5_001, -1));
        var aggregate = new TransitionAnalyzer(Sales, TimeSpan.FromSeconds(1_000), 1) { Anchor = AnchorMode.Best, ConversionTimes = true }.Aggregate(log);

        Assert.Equal([100L], aggregate.ModeTotals.Sorted(1, fromAnchor: true));
    }

    [Theory]
    [InlineData("a@0 b@1 a@2 c@3", 2, 3)] // a repeat of step 0 breaks b -> c
    [InlineData("a@0 b@1 b@2 c@3", 2, 3)] // a repeat of the same step breaks it
    [InlineData("a@0 b@5 c@5 b@5", 3, 3)] // ties are taken in the favourable order
    [InlineData("a@0 x@1 b@2", 1, 2)]     // a loss in between breaks it
    public void Rule9_StrictOrder_TheSpecExamples(string events, int strictLevel, int orderedLevel)
    {
        // Stages a b c = 0 1 2; x = a loss.
        var rows = events.Split(' ').Select(e => e.Split('@')).Select(p => (Lead: 1, Stage: p[0] == "x" ? 0 : p[0][0] - 'a', Time: long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture), Reason: p[0] == "x" ? 0 : -1)).ToArray();
        var log = Log(rows);
        var shape = new FunnelShape(3, 2, 1);

        var strict = new TransitionAnalyzer(shape, TimeSpan.FromSeconds(100), 1) { Order = StepOrder.Strict }.Analyze(log);
        var ordered = new TransitionAnalyzer(shape, TimeSpan.FromSeconds(100), 1).Analyze(log);

        Assert.Equal(strictLevel, strict.Reached.Count(r => r == 1));
        Assert.Equal(orderedLevel, ordered.Reached.Count(r => r == 1));
    }

    [Fact]
    public void Rule9_ManagerWhoSkipsTheProposal_BreaksTheStrictPathButNotTheOrderedOne()
    {
        // Qualified, then a detour back to lead, then the proposal: ordered counts the proposal, strict does not.
        var log = Log((1, 0, 0, -1), (1, 1, 10, -1), (1, 0, 20, -1), (1, 2, 30, -1));

        Assert.Equal([1L, 1L, 1L, 0L], Analyzer().Analyze(log).Reached.ToArray());
        Assert.Equal([1L, 1L, 0L, 0L], new TransitionAnalyzer(Sales, TimeSpan.FromSeconds(1_000), 1) { Order = StepOrder.Strict }.Analyze(log).Reached.ToArray());
    }

    [Fact]
    public void Rule10_UnorderedFunnel_CountsDistinctStagesInAnyOrderWithinTheWindow()
    {
        // Lead 1 sends the contract before the proposal; lead 2 enters "qualified" twice and nothing else in the window.
        var log = Log((1, 1, 0, -1), (1, 3, 5, -1), (1, 2, 9, -1), (2, 1, 0, -1), (2, 1, 4, -1), (2, 2, 5_000, -1));
        var report = new TransitionAnalyzer(Sales, TimeSpan.FromSeconds(100), 1) { Order = StepOrder.Unordered }.Analyze(log);

        Assert.Equal([2L, 1L, 1L, 0L], report.Reached.ToArray());
        Assert.Equal(StepOrder.Unordered, report.Order);
    }

    [Fact]
    public void Rule11_LeadLostToACompetitorBetweenQualificationAndProposal_IsDroppedFromTheFunnel()
    {
        // Lead 1: lost to a competitor (reason 0) after qualifying, then back and on to the proposal. Lead 2: lost for
        // budget (reason 1) in the same place: not excluded. Lead 3: the loss shares the second of the proposal: kept.
        var log = Log(
            (1, 0, 0, -1), (1, 1, 10, -1), (1, 1, 20, 0), (1, 2, 30, -1),
            (2, 0, 0, -1), (2, 1, 10, -1), (2, 1, 20, 1), (2, 2, 30, -1),
            (3, 0, 0, -1), (3, 1, 10, -1), (3, 1, 30, 0), (3, 2, 30, -1));
        var analyzer = new TransitionAnalyzer(Sales, TimeSpan.FromSeconds(1_000), 1) { Exclusions = [FunnelExclusion.Loss(1, 2, "0")] };
        var report = analyzer.Analyze(log);

        Assert.Equal(1, report.Excluded);
        Assert.Equal([2L, 2L, 2L, 0L], report.Reached.ToArray());
        Assert.Equal(3, report.EntityCount); // exclusions touch the funnel only
        Assert.Equal(3, report.Losses.Total);
    }

    [Fact]
    public void Rule11_ExclusionWithBestAnchor_CountsTheDeepestCleanAttempt()
    {
        // The first attempt goes to a competitor's demo (stage key "2" stands for an excluded stage here); the second is clean.
        var log = Log((1, 0, 0, -1), (1, 2, 5, -1), (1, 1, 10, -1), (1, 0, 5_000, -1), (1, 1, 5_010, -1));
        var analyzer = new TransitionAnalyzer(Sales, TimeSpan.FromSeconds(1_000), 1) { Anchor = AnchorMode.Best, Exclusions = [FunnelExclusion.Stage("2", 0, 1)] };
        var report = analyzer.Analyze(log);

        Assert.Equal(0, report.Excluded);
        Assert.Equal([1L, 1L, 0L, 0L], report.Reached.ToArray());
    }

    [Fact]
    public void Rule12_OptionalProposal_LetsTheContractCountWithoutIt()
    {
        // Lead 1 skips the proposal; lead 2 goes through it.
        var log = Log((1, 0, 0, -1), (1, 1, 10, -1), (1, 3, 20, -1), (2, 0, 0, -1), (2, 1, 10, -1), (2, 2, 15, -1), (2, 3, 20, -1));
        var analyzer = new TransitionAnalyzer(Sales, TimeSpan.FromSeconds(1_000), 1) { OptionalSteps = [2], ConversionTimes = true };
        var report = analyzer.Analyze(log);
        var aggregate = analyzer.Aggregate(log);

        Assert.Equal([2L, 2L, 1L, 2L], report.Reached.ToArray()); // the optional step is below the next one
        Assert.Equal([5L, 10L], aggregate.ModeTotals.Sorted(3, fromAnchor: false)); // lead 2 from the proposal (5), lead 1 from qualified (10)
        Assert.Equal([20L, 20L], aggregate.ModeTotals.Sorted(3, fromAnchor: true));
    }

    [Fact]
    public void Rule12_TimeToConvert_FromTheAnchorAndFromThePreviousStep()
    {
        var log = Log((1, 0, 0, -1), (1, 1, 100, -1), (1, 2, 400, -1), (2, 0, 0, -1), (2, 1, 50, -1));
        var aggregate = new TransitionAnalyzer(Sales, TimeSpan.FromSeconds(1_000), 1) { ConversionTimes = true }.Aggregate(log);

        Assert.Equal([50L, 100L], aggregate.ModeTotals.Sorted(1, fromAnchor: true));
        Assert.Equal([400L], aggregate.ModeTotals.Sorted(2, fromAnchor: true));
        Assert.Equal([300L], aggregate.ModeTotals.Sorted(2, fromAnchor: false));

        // The report: per step 1..3, count, mean, lower median, p90 and a histogram (R7); the interpolated median on request.
        var report = new TransitionAnalyzer(Sales, TimeSpan.FromSeconds(1_000), 1) { ConversionTimes = true, Median = MedianKind.Interpolated }.Analyze(log);
        Assert.Equal([1, 2, 3], report.ConversionTimes.Select(c => c.Step));
        var toQualified = report.ConversionTimes[0].FromAnchor;
        Assert.Equal((2L, 75.0, 50L, 100L, 100L), (toQualified.Count, toQualified.MeanSeconds, toQualified.MedianSeconds, toQualified.UpperMedianSeconds, toQualified.P90Seconds));
        Assert.Equal(75.0, toQualified.MedianSecondsOf(report.Median));
        Assert.Equal(2, report.ConversionTimes[0].FromAnchorHistogram.Total);
        Assert.Equal(0, report.ConversionTimes[2].FromAnchor.Count);
        Assert.Empty(Analyzer().Analyze(log).ConversionTimes);
    }

    [Fact]
    public void Rule13_MedianChoice_ProposalWaitsOfOneAndTwoHours()
    {
        // Two stays in "qualified": 3600 s and 7200 s. Lower median 3600, interpolated 5400.
        var log = Log((1, 1, 0, -1), (1, 2, 3_600, -1), (2, 1, 0, -1), (2, 2, 7_200, -1));
        var report = new TransitionAnalyzer(Sales, TimeSpan.FromSeconds(1_000), 1) { Median = MedianKind.Interpolated }.Analyze(log);

        Assert.Equal(3_600, report.TimeInStage[1].MedianSeconds);
        Assert.Equal(7_200, report.TimeInStage[1].UpperMedianSeconds);
        Assert.Equal(5_400, report.MedianSecondsOf(report.TimeInStage[1]));
        Assert.Equal(3_600, report.TimeInStage[1].MedianSecondsOf(MedianKind.Lower));
    }

    [Fact]
    public void Validation_NamesTheOptionAndTheStep()
    {
        var unorderedWithOptional = Assert.Throws<ArgumentException>(() => new TransitionAnalyzer(Sales, TimeSpan.Zero) { Order = StepOrder.Unordered, OptionalSteps = [2] });
        Assert.Equal("OptionalSteps", unorderedWithOptional.ParamName);

        var firstOptional = Assert.Throws<ArgumentException>(() => new TransitionAnalyzer(Sales, TimeSpan.Zero) { OptionalSteps = [0] });
        Assert.Contains("step 0", firstOptional.Message, StringComparison.Ordinal);

        var optionalInExclusion = Assert.Throws<ArgumentException>(() => new TransitionAnalyzer(Sales, TimeSpan.Zero) { OptionalSteps = [2], Exclusions = [FunnelExclusion.Loss(1, 2)] });
        Assert.Contains("step 2, which is optional", optionalInExclusion.Message, StringComparison.Ordinal);

        var beyond = Assert.Throws<ArgumentException>(() => new TransitionAnalyzer(Sales, TimeSpan.Zero) { Exclusions = [FunnelExclusion.Loss(1, 4)] });
        Assert.Equal("Exclusions", beyond.ParamName);

        var unknownStage = Assert.Throws<ArgumentException>(() => new TransitionAnalyzer(Sales, TimeSpan.Zero) { Exclusions = [FunnelExclusion.Stage("demo", 0, 1)] });
        Assert.Contains("'demo'", unknownStage.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Streaming_RefusesModesThatNeedEachLeadInOnePiece()
    {
        var analyzer = new TransitionAnalyzer(Sales, TimeSpan.Zero) { Order = StepOrder.Strict };

        var error = Assert.Throws<NotSupportedException>(analyzer.CreateAccumulator);
        Assert.Contains("order Strict", error.Message, StringComparison.Ordinal);
        Assert.NotNull(new TransitionAnalyzer(Sales, TimeSpan.Zero) { Median = MedianKind.Interpolated }.CreateAccumulator());
    }

    [Fact]
    public void Merge_RefusesAggregatesOfOtherModes()
    {
        var strict = new TransitionAnalyzer(Sales, TimeSpan.Zero) { Order = StepOrder.Strict }.Aggregate(TransitionLog.Empty);
        var ordered = new TransitionAnalyzer(Sales, TimeSpan.Zero).Aggregate(TransitionLog.Empty);

        var error = Assert.Throws<ArgumentException>(() => strict.Merge(ordered));
        Assert.Contains("modes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithConversionTimes_OnTheReportRebuiltWithoutThem_RestoresAnEqualReport()
    {
        // Two leads: one reaches step 2 (qualified 100 s after the anchor, then the proposal 300 s later), one stops at step 1.
        var log = Log((1, 0, 0, -1), (1, 1, 100, -1), (1, 2, 400, -1), (2, 0, 0, -1), (2, 1, 50, -1));
        var report = Analyzer().Analyze(log);
        var timed = new TransitionAnalyzer(Sales, TimeSpan.FromSeconds(1_000), 1) { ConversionTimes = true }.Analyze(log);

        var restored = report.WithConversionTimes(timed.ConversionTimes);

        Assert.Equal(timed, restored);
        Assert.Equal([2L, 1L, 0L], restored.ConversionTimes.Select(t => t.FromAnchor.Count));
        Assert.Equal(report, restored.WithConversionTimes([]));
    }

    [Fact]
    public void WithModes_OnAReportWithTimesToConvert_KeepsThemOnlyForAFunnelOfTheSameLeads()
    {
        // Lead 1 reaches step 2, lead 2 step 1: the time to convert counts 2 leads at step 1 and 1 at step 2.
        var log = Log((1, 0, 0, -1), (1, 1, 100, -1), (1, 2, 400, -1), (2, 0, 0, -1), (2, 1, 50, -1));
        var timed = new TransitionAnalyzer(Sales, TimeSpan.FromSeconds(1_000), 1) { ConversionTimes = true }.Analyze(log);

        var latest = timed.WithModes([2, 2, 1, 0], [], AnchorMode.Latest, StepOrder.Ordered, [], MedianKind.Lower, 0);
        Assert.Equal(timed.ConversionTimes, latest.ConversionTimes);
        Assert.Equal(AnchorMode.Latest, latest.Anchor);

        // A funnel in which one lead fewer reached step 2 would contradict the durations kept for step 2.
        var error = Assert.Throws<ArgumentException>(() => timed.WithModes([2, 2, 0, 0], [], AnchorMode.Latest, StepOrder.Ordered, [], MedianKind.Lower, 0));
        Assert.Contains("reached[2] = 0, but this report's time to convert counts 1 leads at step 2", error.Message, StringComparison.Ordinal);
        Assert.Equal([2L, 2L, 0L, 0L], timed.WithConversionTimes([]).WithModes([2, 2, 0, 0], [], AnchorMode.Latest, StepOrder.Ordered, [], MedianKind.Lower, 0).Reached.ToArray());
    }

    [Fact]
    public void WithConversionTimes_ThatCountOtherLeadsThanReached_IsRefusedNamingTheEntry()
    {
        var log = Log((1, 0, 0, -1), (1, 1, 100, -1), (2, 0, 0, -1));
        var timed = new TransitionAnalyzer(Sales, TimeSpan.FromSeconds(1_000), 1) { ConversionTimes = true }.Analyze(log);
        // Step 1's durations (one lead) given for step 2, which no lead reached.
        var one = timed.ConversionTimes[0];
        var stepTwoAsOne = timed.ConversionTimes.Select((t, i) => i == 1 ? new StepConversionTime(2, one.FromAnchor, one.FromPrevious, one.FromAnchorHistogram, one.FromPreviousHistogram) : t);

        var error = Assert.Throws<ArgumentException>(() => timed.WithConversionTimes(stepTwoAsOne));

        Assert.Contains("conversionTimes[1] counts 1 leads, but 0 reached step 2", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => timed.WithConversionTimes(timed.ConversionTimes.Take(2)));
        Assert.Contains("is for step 3", Assert.Throws<ArgumentException>(() => timed.WithConversionTimes(timed.ConversionTimes.Reverse())).Message, StringComparison.Ordinal);
    }
}
