using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Funnel.Core;
using Funnel.Core.Metrics;

namespace Funnel.Serialization.Json.Tests;

/// <summary>
/// Report JSON carries every number of the report. A FunnelReport cannot be read back (Funnel.Core has no public way
/// to restore one), so the property checks the written numbers against the report instead of a read-back copy.
/// </summary>
public class FunnelJsonReportTests
{
    private static Gen<FunnelEvent[]> EventLogs =>
        from entities in Gen.Choose(0, 40)
        from paths in Gen.ArrayOf(
            from length in Gen.Choose(1, 4)
            from lost in Gen.Elements(true, false)
            from reason in Gen.Elements("price", "competitor", "slow-response")
            from minutes in Gen.Choose(1, 5000)
            select (length, lost, reason, minutes), entities)
        select paths.SelectMany((p, i) => Path(i, p.length, p.lost, p.reason, p.minutes)).ToArray();

    private static IEnumerable<FunnelEvent> Path(int entity, int length, bool lost, string reason, int minutes)
    {
        var at = JsonGenerators.T0.AddMinutes(entity * 7);
        var stages = FunnelTemplates.Aida.Stages;
        for (var s = 0; s < length; s++)
        {
            yield return new FunnelEvent($"e{entity}", stages[s].Key, at, segment: entity % 2 == 0 ? "ads" : "seo");
            at = at.AddMinutes(minutes);
        }

        if (lost && length < stages.Length)
        {
            yield return new FunnelEvent($"e{entity}", stages[length - 1].Key, at, reason);
        }
    }

    [Fact]
    public void WriteReport_CarriesEveryNumberOfTheReport()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(EventLogs.ToArbitrary(), events =>
        {
            var report = FunnelReport.Compute(FunnelTemplates.Aida, events);
            using var json = JsonDocument.Parse(FunnelJson.WriteReport(report));
            var root = json.RootElement;

            Assert.Equal("aida", root.GetProperty("definition").GetString());
            Assert.Equal(report.Leads, root.GetProperty("leads").GetInt64());
            Assert.Equal(report.Won, root.GetProperty("won").GetInt64());
            Assert.Equal(report.Lost, root.GetProperty("lost").GetInt64());
            Assert.Equal(report.Open, root.GetProperty("open").GetInt64());
            AssertProportion(report.OverallConversion, root.GetProperty("overallConversion"));
            var stages = root.GetProperty("stages").EnumerateArray().ToArray();
            Assert.Equal(report.Stages.Length, stages.Length);
            for (var i = 0; i < stages.Length; i++)
            {
                var stage = report.Stages[i];
                Assert.Equal(stage.Stage.Key.Value, stages[i].GetProperty("stage").GetString());
                Assert.Equal(stage.Reached, stages[i].GetProperty("reached").GetInt64());
                Assert.Equal(stage.ConvertedToNext, stages[i].GetProperty("convertedToNext").GetInt64());
                Assert.Equal(stage.Dropped, stages[i].GetProperty("dropped").GetInt64());
                Assert.Equal(stage.StillOpen, stages[i].GetProperty("stillOpen").GetInt64());
                AssertProportion(stage.ConversionFromPrevious, stages[i].GetProperty("conversionFromPrevious"));
                Assert.Equal(stage.Losses.Total, stages[i].GetProperty("losses").GetProperty("total").GetInt64());
                foreach (var reason in stage.Losses.ByReason)
                {
                    Assert.Equal(reason.Count, stages[i].GetProperty("losses").GetProperty("byReason").GetProperty(reason.Reason.Key.Value).GetInt64());
                }

                Assert.Equal(stage.TimeInStage.MedianSeconds, stages[i].GetProperty("timeInStage").GetProperty("medianSeconds").GetInt64());
                Assert.Equal(stage.TimeInStage.TotalSeconds, stages[i].GetProperty("timeInStage").GetProperty("totalSeconds").GetInt64());
            }

            Assert.Equal(report.Transitions.Counts, root.GetProperty("transitions").GetProperty("values").EnumerateArray().Select(v => v.GetInt64()));
            Assert.Equal(report.LossesByStage.Counts, root.GetProperty("lossesByStage").GetProperty("values").EnumerateArray().Select(v => v.GetInt64()));
        }));
    }

    [Fact]
    public void JsonSerializer_Report_IsWrittenButNotRead()
    {
        var options = new JsonSerializerOptions().ConfigureForFunnel();
        var report = FunnelReport.Compute(FunnelTemplates.Aida, Path(1, 3, true, "price", 60));

        var json = JsonSerializer.Serialize(report, options);

        Assert.Equal(FunnelJson.WriteReport(report, indented: false), json);
        var ex = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<FunnelReport>(json, options));
        Assert.Contains("recompute it", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertProportion(Proportion expected, JsonElement actual)
    {
        Assert.Equal(expected.Successes, actual.GetProperty("successes").GetInt64());
        Assert.Equal(expected.Trials, actual.GetProperty("trials").GetInt64());
        Assert.Equal(expected.Value, actual.GetProperty("value").GetDouble());
        Assert.Equal(expected.Interval.Lower, actual.GetProperty("lower").GetDouble());
        Assert.Equal(expected.Interval.Upper, actual.GetProperty("upper").GetDouble());
        Assert.Equal(expected.IsSmallSample, actual.GetProperty("smallSample").GetBoolean());
    }
}
