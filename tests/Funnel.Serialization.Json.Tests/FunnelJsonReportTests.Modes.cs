using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Funnel.Core;
using Funnel.Core.Metrics;
using static Funnel.Serialization.Json.Tests.ReportGenerators;

namespace Funnel.Serialization.Json.Tests;

/// <summary>The funnel modes of issue 22 in the report document: the query's options and the time to convert, excluded leads and upper medians.</summary>
public partial class FunnelJsonReportTests
{
    private static readonly FunnelQuery[] ModeQueries =
    [
        FunnelQuery.Default.WithOrder(StepOrder.Strict).WithMedian(MedianKind.Interpolated),
        FunnelQuery.Default.Ordered(TimeSpan.FromHours(20), AnchorMode.Best).WithOrder(StepOrder.Unordered),
        FunnelQuery.Default.WithExclusions([FunnelExclusion.Loss(1, 3, "competitor"), FunnelExclusion.Stage("desire", 0, 1), FunnelExclusion.Loss(0, 2)]),
        FunnelQuery.Default.Ordered(TimeSpan.FromHours(30), AnchorMode.Best).WithOptionalSteps(["interest"]).WithExclusions([FunnelExclusion.Loss(0, 2, "price"), FunnelExclusion.Stage("action", 2, 3)]),
        FunnelQuery.Default.WithOptionalSteps(["desire"]).WithConversionTimeBins(ConversionTimeBins.Edges([TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromDays(1)]))
            .WithMedian(MedianKind.Interpolated),
        FunnelQuery.Default.Ordered(null, AnchorMode.Latest).WithExclusions([FunnelExclusion.Loss(0, 3)]).WithOrder(StepOrder.Strict),
    ];

    [Fact]
    public void Report_WithEveryFunnelMode_RoundTripsEqualAndByteIdentical()
    {
        var cases = (from events in EventLogs from query in Gen.Choose(0, ModeQueries.Length - 1) select (events, query)).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), Prop.ForAll(cases, c => AssertRoundTrips(FunnelReport.Compute(FunnelTemplates.Aida, c.events, ModeQueries[c.query]))));
    }

    [Fact]
    public void Report_WithTimesToConvertAndExcludedLeads_RoundTripsUnderEveryModeQuery()
    {
        foreach (var query in ModeQueries.Where(q => !q.Exclusions.IsEmpty))
        {
            AssertRoundTrips(HandReport(query, excluded: 1));
        }

        foreach (var query in ModeQueries)
        {
            AssertRoundTrips(HandReport(query, excluded: 0));
        }
    }

    [Fact]
    public void WriteReport_CarriesTheQuerysModesAndTheTimeToConvert()
    {
        // a: attention 0, interest 1 h, desire 2 h, action 3 h; b: attention 0, interest 2 h; c: attention 0, lost (competitor) 30 min.
        var query = FunnelQuery.Default.WithOrder(StepOrder.Strict).WithMedian(MedianKind.Interpolated).WithOptionalSteps(["desire"])
            .WithExclusions([FunnelExclusion.Loss(0, 1, "competitor")]).WithConversionTimeBins(ConversionTimeBins.Edges([TimeSpan.Zero, TimeSpan.FromMinutes(90)]));
        var report = HandReport(query, excluded: 1);

        using var json = JsonDocument.Parse(FunnelJson.WriteReport(report));
        var root = json.RootElement;
        var q = root.GetProperty("query");

        Assert.Equal("strict", q.GetProperty("order").GetString());
        Assert.Equal("interpolated", q.GetProperty("median").GetString());
        Assert.Equal(["desire"], q.GetProperty("optionalSteps").EnumerateArray().Select(e => e.GetString()));
        var exclusion = Assert.Single(q.GetProperty("exclusions").EnumerateArray());
        Assert.Equal("""{"lost":true,"lossReason":"competitor","fromStep":0,"toStep":1}""", JsonSerializer.Serialize(exclusion));
        Assert.Equal(["00:00:00", "01:30:00"], q.GetProperty("conversionTimeBins").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, root.GetProperty("excluded").GetInt64());
        var times = root.GetProperty("conversionTimes").EnumerateArray().ToArray();
        Assert.Equal([1, 2, 3], times.Select(t => t.GetProperty("step").GetInt32()));
        Assert.Equal(["interest", "desire", "action"], times.Select(t => t.GetProperty("stage").GetString()));
        var interest = times[0].GetProperty("fromAnchor");
        Assert.Equal(2, interest.GetProperty("count").GetInt64());
        Assert.Equal(10800, interest.GetProperty("totalSeconds").GetInt64());
        Assert.Equal(3600, interest.GetProperty("medianSeconds").GetInt64());
        Assert.Equal(7200, interest.GetProperty("upperMedianSeconds").GetInt64());
        Assert.Equal(5400, interest.GetProperty("reportedMedianSeconds").GetDouble());
        Assert.Equal(5400, interest.GetProperty("meanSeconds").GetDouble());
        Assert.Equal(
            """[{"fromSeconds":0,"toSeconds":5400,"count":1},{"fromSeconds":5400,"toSeconds":null,"count":1}]""",
            JsonSerializer.Serialize(times[0].GetProperty("fromAnchorHistogram")));
        Assert.False(times[2].GetProperty("fromAnchor").TryGetProperty("upperMedianSeconds", out _)); // one lead: the medians are one value
        AssertRoundTrips(report);
    }

    [Fact]
    public void WriteReport_Unordered_WritesNoStageForASteps()
    {
        var report = HandReport(FunnelQuery.Default.WithOrder(StepOrder.Unordered), excluded: 0);

        using var json = JsonDocument.Parse(FunnelJson.WriteReport(report));

        Assert.All(json.RootElement.GetProperty("conversionTimes").EnumerateArray(), t => Assert.Equal(JsonValueKind.Null, t.GetProperty("stage").ValueKind));
        Assert.Equal("unordered", json.RootElement.GetProperty("query").GetProperty("order").GetString());
        AssertRoundTrips(report);
    }

    [Fact]
    public void ReadReport_WrittenBeforeTheFunnelModes_ReadsWithTheDefaults()
    {
        // A document of the earlier format: no order, median, excluded or time to convert.
        var root = JsonNode.Parse(FunnelJson.WriteReport(SampleReport()))!;
        foreach (var name in new[] { "order", "median" })
        {
            root["query"]!.AsObject().Remove(name);
        }

        root.AsObject().Remove("excluded");
        root.AsObject().Remove("conversionTimes");

        var read = FunnelJson.ReadReport(root.ToJsonString(), FunnelTemplates.All);

        Assert.Equal((StepOrder.Ordered, MedianKind.Lower, 0L), (read.Query.Order, read.Query.Median, read.Excluded));
        Assert.Equal(3, read.ConversionTimes.Length);
        Assert.All(read.ConversionTimes, t => Assert.Equal(0, t.FromAnchor.Count));
    }

    [Fact]
    public void ReadReport_ConversionTimeUnderAnotherStage_NamesTheStageOfTheStep()
    {
        var (text, ex) = ReadMutatedHandReport(root => root["conversionTimes"]![1]!["stage"] = "action");

        var times = text.IndexOf("\"conversionTimes\"", StringComparison.Ordinal);
        var line = LineOf(text, "\"conversionTimes\"") + LineOf(text[times..], "\"stage\": \"action\"") - 1;
        AssertProblem(ex, "$.conversionTimes[1].stage", line, "expected the stage 'desire' of step 2, found 'action'");
    }

    [Fact]
    public void ReadReport_ReportedMedianThatContradictsTheMedians_NamesPathAndLine()
    {
        var (text, ex) = ReadMutatedHandReport(root => root["conversionTimes"]![0]!["fromAnchor"]!["reportedMedianSeconds"] = 1);

        AssertProblem(ex, "$.conversionTimes[0].fromAnchor.reportedMedianSeconds", LineOf(text, "\"reportedMedianSeconds\": 1\n"), "does not match");
    }

    [Fact]
    public void ReadReport_HistogramThatDoesNotCountTheLeads_NamesTheStep()
    {
        var (_, ex) = ReadMutatedHandReport(root => root["conversionTimes"]![0]!["fromAnchorHistogram"]!.AsArray().Clear());

        Assert.Contains(ex.Problems, p => p.Path == "$.conversionTimes[0]" && p.Message.Contains("must count the same leads everywhere", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadReport_BinsThatLeaveAGap_NamesTheHistogram()
    {
        var (_, ex) = ReadMutatedHandReport(root => root["conversionTimes"]![0]!["fromAnchorHistogram"]![1]!["fromSeconds"] = 1);

        Assert.Contains(ex.Problems, p => p.Path == "$.conversionTimes[0].fromAnchorHistogram" && p.Message.Contains("must start where bin 0", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadReport_ExclusionOfAStageTheDefinitionLacks_ListsItsStages()
    {
        var (_, ex) = ReadMutated(root => root["query"]!["exclusions"] = JsonNode.Parse("""[ { "stage": "demo", "fromStep": 0, "toStep": 2 } ]"""));

        Assert.Contains(ex.Problems, p => p.Path == "$.query.exclusions[0].stage" && p.Message.Contains("'demo' is not a stage of the definition 'aida'; its stages in order: attention, interest, desire, action", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadReport_ExclusionWithBothAStageAndLosses_SaysWhichOne()
    {
        var (_, ex) = ReadMutated(root => root["query"]!["exclusions"] = JsonNode.Parse("""[ { "stage": "desire", "lost": true, "fromStep": 0, "toStep": 2 } ]"""));

        Assert.Contains(ex.Problems, p => p.Path == "$.query.exclusions[0]" && p.Message.Contains("names either a \"stage\" or \"lost\": true", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadReport_ExcludedLeadsWithoutExclusions_PointsAtExcluded()
    {
        var (_, ex) = ReadMutated(root => root["excluded"] = 1);

        Assert.Contains(ex.Problems, p => p.Path == "$.excluded");
    }

    [Fact]
    public void ReadReport_UnknownMedianKind_ListsTheKinds()
    {
        var (_, ex) = ReadMutated(root => root["query"]!["median"] = "mean");

        Assert.Contains(ex.Problems, p => p.Path == "$.query.median" && p.Message.Contains("lower", StringComparison.Ordinal) && p.Message.Contains("interpolated", StringComparison.Ordinal));
    }

    /// <summary>
    /// The report of <see cref="HandEvents"/> restored with the hand-worked time to convert under <paramref name="query"/>
    /// (into interest {1 h, 2 h} from the anchor and from attention; into desire {2 h} and {1 h}; into action {3 h} and
    /// {1 h}); with <paramref name="excluded"/> 1, c (lost to a competitor) is the excluded lead and reaches nothing.
    /// </summary>
    private static FunnelReport HandReport(FunnelQuery query, long excluded)
    {
        var counts = FunnelReport.Compute(FunnelTemplates.Aida, HandEvents());
        long[] reached = excluded == 0 ? [3, 2, 1, 1] : [2, 2, 1, 1];
        (long[] Anchor, long[] Previous)[] times = [([3600, 7200], [3600, 7200]), ([7200], [3600]), ([10800], [3600])];
        return FunnelReport.Restore(
            FunnelTemplates.Aida, query, counts.AsOf, counts.Won, counts.Lost, counts.Open, counts.CycleTimeToWon, [.. reached], ConvertedToNext(query, reached), [.. reached],
            [.. counts.Stages.Select(s => s.Dropped)], [.. counts.Stages.Select(s => s.StillOpen)], [.. counts.Stages.Select(s => s.TimeInStage)], counts.TimeAfterLoss,
            counts.Transitions.Counts, counts.LossesByStage.Counts, [.. counts.LossesAfterLoss.ByReason.Select(r => r.Count)], [.. counts.LossesAtUnknownStage.ByReason.Select(r => r.Count)],
            counts.EverWon, counts.LastStatusWon,
            [.. times.Select((t, k) => new StepConversionTime(
                k + 1, DurationSummary.FromSeconds(t.Anchor), DurationSummary.FromSeconds(t.Previous), query.ConversionTimeBins.Histogram(t.Anchor), query.ConversionTimeBins.Histogram(t.Previous)))],
            excluded);
    }

    private static (string Text, FunnelJsonException Exception) ReadMutatedHandReport(Action<JsonNode> mutate)
    {
        var root = JsonNode.Parse(FunnelJson.WriteReport(HandReport(FunnelQuery.Default, excluded: 0)))!;
        mutate(root);
        var text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        return (text, Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadReport(text, FunnelTemplates.All)));
    }

    private static List<FunnelEvent> HandEvents()
    {
        var t0 = JsonGenerators.T0;
        return
        [
            new("a", "attention", t0), new("a", "interest", t0.AddHours(1)), new("a", "desire", t0.AddHours(2)), new("a", "action", t0.AddHours(3)),
            new("b", "attention", t0), new("b", "interest", t0.AddHours(2)),
            new("c", "attention", t0), new("c", "attention", t0.AddMinutes(30), "competitor"),
        ];
    }

    /// <summary>Per step, the leads that went on to the next required step (optional steps are skipped, docs/metrics.md): every lead that reached it, in these hand-worked logs.</summary>
    private static System.Collections.Immutable.ImmutableArray<long> ConvertedToNext(FunnelQuery query, long[] reached) =>
    [
        .. reached.Select((_, k) => Enumerable.Range(k + 1, reached.Length - k - 1).FirstOrDefault(j => !query.OptionalSteps.Contains(FunnelTemplates.Aida.Stages[j].Key.Value), -1) is var next and >= 0
            ? Math.Min(reached[k], reached[next])
            : 0L),
    ];
}
