using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Core.Tests.Bulk;

/// <summary>
/// <see cref="TransitionLogMetrics"/> computes the full metrics straight from a <see cref="TransitionLog"/>, one lead
/// at a time and on several threads; the metrics of the log's events (<see cref="TransitionLog.ToEvents(FunnelDefinition, IReadOnlyList{string}, IReadOnlyList{string}?)"/>)
/// are the naive model it must equal, number for number, under any query: anchors, reach and counting modes,
/// time-in-stage modes, per-step windows, an as-of time that cuts leads and an entry date range.
/// </summary>
[Properties(Arbitrary = [typeof(BulkArbitraries)], MaxTest = 150)]
public sealed class TransitionLogMetricsProperties
{
    [Property]
    public Property ComputeReport_EqualsTheReportOfTheLogsEvents(RealLog c)
    {
        var (definition, log, keys, segments) = Build(c);
        var query = Query(c, definition, log);
        var expected = FunnelReport.Compute(definition, log.ToEvents(definition, keys, segments), query);
        var actual = TransitionLogMetrics.ComputeReport(definition, log, keys, segments, query);
        return Same(Describe(expected), Describe(actual), query);
    }

    [Property]
    public Property ComputeSegments_EqualsTheBreakdownOfTheLogsEvents(RealLog c)
    {
        var (definition, log, keys, segments) = Build(c);
        var query = Query(c, definition, log);
        var minimum = new Random(c.Seed).Next(0, 4);
        var expected = SegmentBreakdown.Compute(definition, log.ToEvents(definition, keys, segments), SegmentKey.EventSegment, query, minimum);
        var actual = TransitionLogMetrics.ComputeSegments(definition, log, keys, segments, SegmentKey.EventSegment, query, minimum);
        return Same(Describe(expected), Describe(actual), query);
    }

    [Property]
    public Property ComputeCohorts_EqualsTheCohortsOfTheLogsEvents(RealLog c)
    {
        var (definition, log, keys, segments) = Build(c);
        var query = Query(c, definition, log);
        var period = (CohortPeriod)((c.Seed & 0x7fffffff) % 3);
        var expected = CohortReport.Compute(definition, log.ToEvents(definition, keys, segments), period, query);
        var actual = TransitionLogMetrics.ComputeCohorts(definition, log, keys, segments, period, query);
        return Same(Describe(expected), Describe(actual), query);
    }

    [Property]
    public Property LearnForecast_EqualsTheForecastOfTheLogsEvents(RealLog c)
    {
        var (definition, log, keys, segments) = Build(c);
        var query = Query(c, definition, log);
        var expected = MarkovForecast.Learn(definition, log.ToEvents(definition, keys, segments), query);
        var actual = TransitionLogMetrics.LearnForecast(definition, log, keys, segments, query);
        return Same(Describe(expected), Describe(actual), query);
    }

    [Fact]
    public void ComputeReport_OfABigLog_SplitOverEveryCore_EqualsTheReportOfItsEvents()
    {
        // Above the size where the leads are split into ranges and computed in parallel.
        var definition = Definition(5, 2, 3);
        var random = new Random(7);
        var rows = Enumerable.Range(0, 200_000)
            .Select(_ => new RealLog.Row(random.Next(20_000), random.Next(5), 1_767_225_600L + random.Next(50_000), random.Next(8) == 0 ? random.Next(2) : -1))
            .ToArray();
        var c = new RealLog(5, 3, 2, 3_600, rows, 7);
        var (_, log, keys, segments) = Build(c, definition);
        var query = FunnelQuery.Default.Ordered(TimeSpan.FromHours(1), AnchorMode.Best).WithTimeInStage(TimeInStageMode.EveryStay, includeOpenStays: true);

        var expected = FunnelReport.Compute(definition, log.ToEvents(definition, keys, segments), query);
        var actual = TransitionLogMetrics.ComputeReport(definition, log, keys, segments, query);

        Assert.Equal(Describe(expected), Describe(actual));
        Assert.Equal(20_000, actual.Leads);
    }

    [Fact]
    public void ComputeSegmentsAndCohorts_OfABigLog_SplitOverEveryCore_EqualTheBreakdownsOfItsEvents()
    {
        // The totals of the breakdowns share their groups' duration samples (merged from the parallel partials, and
        // the small segments merged into "(other)" after the total took them): the medians must still be the events'.
        var definition = Definition(5, 2, 3);
        var random = new Random(11);
        var rows = Enumerable.Range(0, 150_000)
            .Select(_ => new RealLog.Row(random.Next(15_000), random.Next(5), 1_767_225_600L + random.Next(90 * 86_400), random.Next(8) == 0 ? random.Next(2) : -1))
            .ToArray();
        var (_, log, keys, segments) = Build(new RealLog(5, 3, 2, 3_600, rows, 11), definition);
        var query = FunnelQuery.Default.Ordered(TimeSpan.FromDays(3), AnchorMode.First).WithTimeInStage(TimeInStageMode.EveryStay, includeOpenStays: true);
        var events = log.ToEvents(definition, keys, segments);

        var minimum = 6_000;
        var expectedSegments = SegmentBreakdown.Compute(definition, events, SegmentKey.EventSegment, query, minimum);
        var actualSegments = TransitionLogMetrics.ComputeSegments(definition, log, keys, segments, SegmentKey.EventSegment, query, minimum);
        Assert.Equal(Describe(expectedSegments), Describe(actualSegments));

        var expectedCohorts = CohortReport.Compute(definition, events, CohortPeriod.IsoWeek, query);
        var actualCohorts = TransitionLogMetrics.ComputeCohorts(definition, log, keys, segments, CohortPeriod.IsoWeek, query);
        Assert.Equal(Describe(expectedCohorts), Describe(actualCohorts));
        Assert.True(actualCohorts.Cohorts.Length > 10, $"{actualCohorts.Cohorts.Length} cohorts");
    }

    [Fact]
    public void ComputeReport_OfALogWithAnOrdinalTheDefinitionLacks_NamesIt()
    {
        var definition = Definition(2, 0, 1);
        var log = new TransitionLogBuilder().Add(0, 3, 1_767_225_600L).Build();

        var error = Assert.Throws<ArgumentException>(() => TransitionLogMetrics.ComputeReport(definition, log, ["lead-1"]));

        Assert.Contains("stage ordinal 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ComputeReport_WithTooFewEntityKeys_SaysHowManyWereGiven()
    {
        var definition = Definition(2, 0, 1);
        var log = new TransitionLogBuilder().Add(4, 0, 1_767_225_600L).Build();

        var error = Assert.Throws<ArgumentException>(() => TransitionLogMetrics.ComputeReport(definition, log, ["a", "b"]));

        Assert.Equal("entityKeys", error.ParamName);
        Assert.Contains("entity id 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ComputeReport_OfAnEmptyLog_HasNoLeads()
    {
        var report = TransitionLogMetrics.ComputeReport(Definition(3, 1, 2), TransitionLog.Empty, []);

        Assert.Equal(0, report.Leads);
        Assert.Null(report.AsOf);
    }

    private static Property Same(string expected, string actual, FunnelQuery query) =>
        (expected == actual).Label($"query {query}\nevents:\n{expected}\nlog:\n{actual}");

    private static FunnelDefinition Definition(int stages, int reasons, int goal) => Agreement.BulkAndReportAgreementTests.Definition(stages, reasons, goal);

    private static (FunnelDefinition Definition, TransitionLog Log, string[] Keys, string[] Segments) Build(RealLog c, FunnelDefinition? definition = null)
    {
        definition ??= Definition(c.Stages, c.Reasons, c.Goal);

        // Segments: some rows name none, and a lead's rows may name different ones (the first in log order counts).
        var random = new Random(c.Seed);
        var builder = new TransitionLogBuilder();
        foreach (var row in c.Events)
        {
            var pick = random.Next(5);
            builder.Add(row.Entity, row.Stage, row.Time, row.Reason, pick < 3 ? (row.Entity + pick) % 3 : TransitionLog.NoSegment);
        }

        var log = builder.Build();
        var keys = Enumerable.Range(0, log.EntityIdLimit).Select(i => string.Create(CultureInfo.InvariantCulture, $"e{i}")).ToArray();
        return (definition, log, keys, ["web", "partner", "event"]);
    }

    /// <summary>A query drawn from the case's seed, with the case's window and step windows.</summary>
    private static FunnelQuery Query(RealLog c, FunnelDefinition definition, TransitionLog log)
    {
        var random = new Random(c.Seed ^ 0x5bd1e995);
        var window = TimeSpan.FromSeconds(Math.Min(c.Window, TransitionLog.MaxTimestamp - TransitionLog.MinTimestamp));
        var anchor = (AnchorMode)random.Next(3);
        var query = random.Next(4) switch
        {
            0 => FunnelQuery.Default.AnyOrder(random.Next(2) == 0 ? CountMode.Uniques : CountMode.Totals),
            1 => FunnelQuery.Default.PassThrough(),
            _ => FunnelQuery.Default.Ordered(window, anchor),
        };

        if (query.Reach == ReachMode.OrderedWindow && c.StepWindows is { } steps && steps.Length == definition.Stages.Length - 1)
        {
            query = query.WithStepWindows(steps.Select(s => s == long.MaxValue ? (TimeSpan?)null : TimeSpan.FromSeconds(s)));
        }

        if (query.Reach == ReachMode.OrderedWindow)
        {
            // Issue 22's modes: strict or unordered order, optional steps and exclusions (with stage and loss targets).
            var order = (StepOrder)random.Next(3);
            if (order == StepOrder.Unordered)
            {
                query = FunnelQuery.Default.Ordered(window, anchor).WithOrder(order);
            }
            else
            {
                query = query.WithOrder(order);
                var n = definition.Stages.Length;
                var optional = Enumerable.Range(1, n - 1).Where(_ => random.Next(4) == 0).ToArray();
                query = query.WithOptionalSteps(optional.Select(k => definition.Stages[k].Key.Value));
                var required = Enumerable.Range(0, n).Except(optional).ToList();
                if (required.Count >= 2 && random.Next(2) == 0)
                {
                    var from = required[random.Next(required.Count - 1)];
                    var to = required.Where(k => k > from).First();
                    query = query.WithExclusions([random.Next(2) == 0 || definition.LossReasons.Length == 0
                        ? FunnelExclusion.Stage(definition.Stages[random.Next(n)].Key.Value, from, to)
                        : FunnelExclusion.Loss(from, to, random.Next(2) == 0 ? null : definition.LossReasons[0].Key.Value)]);
                }
            }

            query = query.WithMedian((MedianKind)random.Next(2));
        }

        query = query.WithTimeInStage((TimeInStageMode)random.Next(3), includeOpenStays: random.Next(2) == 0);
        if (log.Count > 0 && random.Next(3) == 0)
        {
            // An as-of time inside the log's range cuts some leads and drops others; a short silence marks some dropped.
            var times = log.Timestamps.ToArray();
            var cut = times[random.Next(times.Length)];
            query = query.WithAsOf(DateTimeOffset.FromUnixTimeSeconds(cut)).WithSilentAfter(TimeSpan.FromSeconds(random.Next(1, 30)));
        }

        if (log.Count > 0 && random.Next(3) == 0)
        {
            var times = log.Timestamps.ToArray();
            query = query.EnteredBetween(DateTimeOffset.FromUnixTimeSeconds(times[random.Next(times.Length)]), null);
        }

        return query;
    }

    private static string Describe(FunnelReport r)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"asOf {r.AsOf:O} leads {r.Leads} won {r.Won} ever {r.EverWon} lost {r.Lost} open {r.Open} cycle {r.CycleTimeToWon} afterLoss {r.TimeAfterLoss}\n");
        foreach (var s in r.Stages)
        {
            text.Append(CultureInfo.InvariantCulture, $"{s.Stage.Key}: reached {s.Reached} next {s.ConvertedToNext} prev {s.ConversionFromPrevious.Successes}/{s.ConversionFromPrevious.Trials} top {s.ConversionFromTop?.Successes}/{s.ConversionFromTop?.Trials} dropped {s.Dropped} open {s.StillOpen} time {s.TimeInStage}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"excluded {r.Excluded}\n");
        foreach (var c in r.ConversionTimes)
        {
            text.Append(CultureInfo.InvariantCulture, $"to step {c.Step}: {c.FromAnchor} upper {c.FromAnchor.UpperMedianSeconds} / {c.FromPrevious} upper {c.FromPrevious.UpperMedianSeconds} bins {c.FromAnchorHistogram} / {c.FromPreviousHistogram}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"transitions [{string.Join(',', r.Transitions.Counts)}] losses [{string.Join(',', r.LossesByStage.Counts)}]");
        text.Append(CultureInfo.InvariantCulture, $" afterLoss [{string.Join(',', r.LossesAfterLoss.ByReason.Select(x => x.Count))}] unknown [{string.Join(',', r.LossesAtUnknownStage.ByReason.Select(x => x.Count))}]\n");
        return text.ToString();
    }

    private static string Describe(SegmentBreakdown b) =>
        Describe(b.Total) + string.Concat(b.Segments.Select(s => $"== {s.Name} other {s.IsOther} [{string.Join(',', s.Members)}]\n{Describe(s.Report)}"));

    private static string Describe(CohortReport c) =>
        Describe(c.Total) + string.Concat(c.Cohorts.Select(x => $"== {x.Index} {x.Label} {x.Start:O}..{x.End:O}\n{Describe(x.Report)}")) + $"trend {c.TrendPerPeriod} test {c.Homogeneity}";

    private static string Describe(MarkovForecast f) =>
        string.Join('\n', f.Stages.Select(s => FormattableString.Invariant($"{s.Stage.Key}: moves {s.ObservedMoves} win {s.WinProbability:R} loss {s.LossProbability:R} expected {s.ExpectedMoves:R} time {s.ExpectedTimeToClose}")));
}
