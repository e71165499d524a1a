using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
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
    private static FunnelDefinition Definition(int stages, int reasons, int goal)
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

    [Fact]
    public void AnyLog_ReportAndBulkEngine_GiveTheSameNumbers()
    {
        var property = Prop.ForAll(LogCase.Arbitrary(), c =>
        {
            var definition = Definition(c.Stages, c.Reasons, c.Goal);
            AssertAgree(definition, Events(definition, c.ToLog()), c.Window);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }
}
