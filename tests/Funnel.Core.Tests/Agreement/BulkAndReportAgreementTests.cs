using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Core.Tests.Bulk;

namespace Funnel.Core.Tests.Agreement;

/// <summary>
/// The in-memory <see cref="FunnelReport"/> and the bulk <see cref="TransitionAnalyzer"/> compute the four canonical
/// outputs and the outcomes independently; on the same log they must give the same numbers.
/// </summary>
/// <remarks>
/// The outcomes agree under the default query: without an as-of time the report judges every lead after its latest
/// event, and without an entry date range it keeps every lead, so its won, lost and open leads (dropped or still
/// open at their current stage) are the bulk engine's <see cref="TransitionReport.Won"/>, <see cref="TransitionReport.Lost"/>
/// and <see cref="TransitionReport.OpenAt"/>. An as-of time or a date range would change the report's numbers only.
/// </remarks>
public class BulkAndReportAgreementTests
{
    internal static FunnelDefinition Definition(int stages, int reasons, int goal)
    {
        var builder = new FunnelDefinitionBuilder("agreement").WithTransitionOptions(TransitionOptions.FreeForm);
        for (var s = 0; s < stages; s++)
        {
            builder.AddStage(string.Create(CultureInfo.InvariantCulture, $"s{s}"));
        }

        for (var r = 0; r < reasons; r++)
        {
            builder.AddLossReason(string.Create(CultureInfo.InvariantCulture, $"r{r}"));
        }

        return builder.WonAt(string.Create(CultureInfo.InvariantCulture, $"s{goal}")).Build();
    }

    private static List<FunnelEvent> Events(FunnelDefinition definition, TransitionLog log)
    {
        var events = new List<FunnelEvent>(log.Count);
        for (var i = 0; i < log.Count; i++)
        {
            var reason = log.LossReasons[i];
            events.Add(new FunnelEvent(
                string.Create(CultureInfo.InvariantCulture, $"e{log.EntityIds[i]}"),
                definition.Stages[log.Stages[i]].Key,
                DateTimeOffset.FromUnixTimeSeconds(log.Timestamps[i]),
                reason < 0 ? default : definition.LossReasons[reason].Key));
        }

        return events;
    }

    private static void AssertAgree(FunnelDefinition definition, List<FunnelEvent> events, long windowSeconds)
    {
        var window = TimeSpan.FromSeconds(windowSeconds);
        var report = FunnelReport.Compute(definition, events, FunnelQuery.Default.Ordered(window));
        var bulk = new TransitionAnalyzer(definition, window).Analyze(TransitionLog.FromEvents(events, definition, new EntityInterner<string>()));

        Assert.Equal(report.Reached.ToArray(), bulk.Reached.ToArray());
        Assert.Equal(report.Transitions, bulk.Transitions);
        Assert.Equal((report.LostIndex, report.LostIndex), (bulk.LostRow, bulk.LostColumn));
        Assert.Equal(report.LossesByStage, bulk.Losses);
        Assert.Equal(report.LossesAfterLoss.ByReason.Select(r => r.Count), bulk.LossesAfterLoss);
        Assert.Equal(report.LossesAtUnknownStage.ByReason.Select(r => r.Count), bulk.LossesAtUnknownStage);
        Assert.Equal(
            report.Losses.Total,
            bulk.Losses.Total + bulk.LossesAfterLoss.Sum() + bulk.LossesAtUnknownStage.Sum());
        Assert.Equal(definition.GoalStage.Order, bulk.GoalStage);
        Assert.Equal(report.Won, bulk.Won);
        Assert.Equal(report.Lost, bulk.Lost);
        Assert.Equal(report.Leads, bulk.EntityCount);
        for (var s = 0; s <= definition.Stages.Length; s++)
        {
            var mine = s < definition.Stages.Length ? report.Stages[s].TimeInStage : report.TimeAfterLoss;
            var theirs = s < definition.Stages.Length ? bulk.TimeInStage[s] : bulk.TimeAfterLoss;
            Assert.Equal((mine.Count, mine.TotalSeconds, mine.MedianSeconds), (theirs.Count, theirs.TotalSeconds, theirs.MedianSeconds));
        }

        for (var s = 0; s < definition.Stages.Length; s++)
        {
            Assert.Equal(report.Stages[s].Dropped + report.Stages[s].StillOpen, bulk.OpenAt[s]);
        }
    }

    [Theory]
    [InlineData(2_000, 30, 5)]
    [InlineData(5_000, 7, 3)]
    public void GeneratedBenchmarkLog_ReportAndBulkEngine_GiveTheSameNumbers(int entities, int windowDays, int goal)
    {
        var log = TransitionLogGenerator.Generate(entities);
        var definition = Definition(TransitionLogGenerator.StageCount, TransitionLogGenerator.LossReasonCount, goal);
        AssertAgree(definition, Events(definition, log), (long)TimeSpan.FromDays(windowDays).TotalSeconds);
    }

    [Property(MaxTest = 200)]
    public Property AnyLog_ReportAndBulkEngine_GiveTheSameNumbers()
    {
        var property = Prop.ForAll(LogCase.Arbitrary(), c =>
        {
            var definition = Definition(c.Stages, c.Reasons, c.Goal);
            AssertAgree(definition, Events(definition, c.ToLog()), c.Window);
        });
        return property;
    }

    [FsCheck.Xunit.Property(Arbitrary = [typeof(BulkArbitraries)], MaxTest = 200)]
    public FsCheck.Property RealLogWithStepWindows_ReportAndBulkEngine_ReachTheSame(RealLog c)
    {
        // Per-step windows, declared in the query for the report and as the analyzer's StepWindows for the engine.
        var definition = Definition(c.Stages, c.Reasons, c.Goal);
        var events = c.Events.Select(e => new FunnelEvent(
            string.Create(CultureInfo.InvariantCulture, $"e{e.Entity}"),
            definition.Stages[e.Stage].Key,
            DateTimeOffset.FromUnixTimeSeconds(e.Time),
            e.Reason < 0 ? default : definition.LossReasons[e.Reason].Key)).ToList();
        var window = TimeSpan.FromSeconds(Math.Min(c.Window, (long)TimeSpan.MaxValue.TotalSeconds / 2));
        var analyzer = c.Analyzer();
        var query = FunnelQuery.Default.Ordered(window).WithStepWindows(analyzer.StepWindows.IsEmpty ? Enumerable.Repeat<TimeSpan?>(null, c.Stages - 1) : analyzer.StepWindows);

        var report = FunnelReport.Compute(definition, events, query);
        var bulk = new TransitionAnalyzer(new FunnelShape(c.Stages, c.Goal, c.Reasons), window) { StepWindows = analyzer.StepWindows }.Analyze(c.ToLog());

        return report.Reached.SequenceEqual(bulk.Reached).Label($"report [{string.Join(", ", report.Reached)}], bulk [{string.Join(", ", bulk.Reached)}]");
    }

    [Fact]
    public void StepWindowsFromTheDefinition_ReportAndBulkEngine_ApplyThem()
    {
        // W(step 2) = 10 s: the lead must take stage 1 at 100 (not 1) to reach stage 2 at 105.
        var definition = new FunnelDefinitionBuilder("steps").WithTransitionOptions(TransitionOptions.FreeForm)
            .AddStage("a").AddStage("b").AddStage("c", s => s.WithStepWindow(TimeSpan.FromSeconds(10))).WonAt("c").Build();
        var t = DateTimeOffset.FromUnixTimeSeconds(1_000_000);
        List<FunnelEvent> events =
        [
            new("x", "a", t), new("x", "b", t.AddSeconds(1)), new("x", "b", t.AddSeconds(100)), new("x", "c", t.AddSeconds(105)),
            new("y", "a", t), new("y", "b", t.AddSeconds(1)), new("y", "c", t.AddSeconds(105)),
        ];

        var report = FunnelReport.Compute(definition, events, FunnelQuery.Default.Ordered(TimeSpan.FromDays(1)));
        var bulk = new TransitionAnalyzer(definition, TimeSpan.FromDays(1)).Analyze(TransitionLog.FromEvents(events, definition, new EntityInterner<string>()));
        var unlimited = FunnelReport.Compute(definition, events, FunnelQuery.Default.Ordered(TimeSpan.FromDays(1)).WithStepWindows([null, null]));

        Assert.Equal([2L, 2L, 1L], report.Reached.ToArray());
        Assert.Equal(report.Reached.ToArray(), bulk.Reached.ToArray());
        Assert.Equal([2L, 2L, 2L], unlimited.Reached.ToArray());
        Assert.Throws<ArgumentException>(() => FunnelReport.Compute(definition, events, FunnelQuery.Default.WithStepWindows([null])));
    }

    [FsCheck.Xunit.Property(Arbitrary = [typeof(BulkArbitraries)], MaxTest = 150)]
    public FsCheck.Property LatestAndBestAnchorsWithStepWindows_EqualAnExhaustiveSearch(RealLog c)
    {
        if (c.StepWindows is null || c.Events.Length > 60)
        {
            return true.ToProperty();
        }

        var definition = Definition(c.Stages, c.Reasons, c.Goal);
        var events = c.Events.Select(e => new FunnelEvent($"e{e.Entity}", definition.Stages[e.Stage].Key, DateTimeOffset.FromUnixTimeSeconds(e.Time), e.Reason < 0 ? default : definition.LossReasons[e.Reason].Key)).ToList();
        var window = TimeSpan.FromSeconds(Math.Min(c.Window, (long)TimeSpan.MaxValue.TotalSeconds / 2));
        var steps = c.Analyzer().StepWindows;
        string? problem = null;
        foreach (var mode in new[] { AnchorMode.First, AnchorMode.Latest, AnchorMode.Best })
        {
            var report = FunnelReport.Compute(definition, events, FunnelQuery.Default.Ordered(window, mode).WithStepWindows(steps));
            var expected = new long[c.Stages];
            foreach (var lead in c.Events.GroupBy(e => e.Entity))
            {
                var entries = lead.Where(e => e.Reason < 0).ToList();
                var anchors = entries.Where(e => e.Stage == 0).Select(e => e.Time).Distinct().Order().ToList();
                var candidates = anchors.Count == 0 ? [] : mode switch { AnchorMode.First => [anchors[0]], AnchorMode.Latest => [anchors[^1]], _ => anchors };
                var level = candidates.Count == 0 ? 0 : candidates.Max(a => Search(entries, a, 1, a, (long)window.TotalSeconds, c.StepWindows, c.Stages));
                for (var k = 0; k < level; k++)
                {
                    expected[k]++;
                }
            }

            if (!report.Reached.SequenceEqual(expected))
            {
                problem ??= $"{mode}: report [{string.Join(", ", report.Reached)}], search [{string.Join(", ", expected)}]";
            }
        }

        return (problem is null).Label(problem ?? string.Empty);

        static int Search(List<RealLog.Row> entries, long anchor, int level, long previous, long w, long[] stepWindows, int stages) =>
            level == stages
                ? level
                : entries
                    .Where(e => e.Stage == level && e.Time >= previous && e.Time - anchor <= w && e.Time - previous <= stepWindows[level - 1])
                    .Select(e => Search(entries, anchor, level + 1, e.Time, w, stepWindows, stages))
                    .DefaultIfEmpty(level)
                    .Max();
    }
}
