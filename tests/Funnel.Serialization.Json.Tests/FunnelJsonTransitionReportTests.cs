using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Serialization.Json.Tests;

/// <summary>The bulk engine's report as JSON: <see cref="FunnelJson.WriteTransitionReport"/> and <see cref="FunnelJson.ReadTransitionReport"/>.</summary>
public class FunnelJsonTransitionReportTests
{
    private static readonly FunnelDefinition Journey = FunnelTemplates.CustomerJourney;

    /// <summary>Generated logs (a few hundred leads) under a window and the funnel modes: each report, written and read back, is equal, and writes the same text again.</summary>
    [Property(MaxTest = 40)]
    public Property TransitionReport_FromGeneratedLogsUnderEveryMode_RoundTripsEqualAndFollowsTheSchema()
    {
        var cases =
            from leads in Gen.Choose(0, 300)
            from seed in Gen.Choose(0, 1000)
            from windowHours in Gen.Elements(0, 1, 24, 24 * 30)
            from anchor in Gen.Elements(AnchorMode.First, AnchorMode.Latest, AnchorMode.Best)
            from order in Gen.Elements(StepOrder.Ordered, StepOrder.Strict, StepOrder.Unordered)
            from median in Gen.Elements(MedianKind.Lower, MedianKind.Interpolated)
            from limited in Gen.Elements(false, true)
            from conversionTimes in Gen.Elements(false, true)
            select (leads, seed, windowHours, anchor, order, median, limited, conversionTimes);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            // An unordered funnel has no optional steps, step windows or exclusions: the limits go with an order only.
            var limited = c.limited && c.order != StepOrder.Unordered;
            var analyzer = new TransitionAnalyzer(Journey, TimeSpan.FromHours(c.windowHours))
            {
                Anchor = c.anchor,
                Order = c.order,
                Median = c.median,
                OptionalSteps = limited ? [2] : [],
                StepWindows = limited ? [null, TimeSpan.FromHours(6), null, null, TimeSpan.Zero] : [],
                Exclusions = limited ? [FunnelExclusion.Loss(0, 3)] : [],
                ConversionTimes = c.conversionTimes,
            };

            var report = analyzer.Analyze(TransitionLogGenerator.Generate(c.leads, (ulong)c.seed));
            AssertRoundTrips(report);
        });
    }

    [Fact]
    public void TransitionReport_WithUpperMediansAndModes_KeepsThemAndWritesTheDocumentedNames()
    {
        var analyzer = new TransitionAnalyzer(Journey, TimeSpan.FromDays(7))
        {
            Anchor = AnchorMode.Best,
            Median = MedianKind.Interpolated,
            OptionalSteps = [2],
            StepWindows = [null, TimeSpan.FromDays(1), null, null, null],
            Exclusions = [FunnelExclusion.Loss(0, 3)],
        };
        var report = analyzer.Analyze(TransitionLogGenerator.Generate(500, 7));

        var json = FunnelJson.WriteTransitionReport(report);
        var back = FunnelJson.ReadTransitionReport(json);

        Assert.Equal(report, back);
        Assert.Equal(report.TimeInStage.Select(t => t.UpperMedianSeconds), back.TimeInStage.Select(t => t.UpperMedianSeconds));
        Assert.Equal((AnchorMode.Best, MedianKind.Interpolated, 2), (back.Anchor, back.Median, Assert.Single(back.OptionalSteps)));
        Assert.Equal(report.StepWindowSeconds.ToArray(), back.StepWindowSeconds.ToArray());
        Assert.Equal(report.Excluded, back.Excluded);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal([null, 86400L, null, null, null], root.GetProperty("stepWindowSeconds").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (long?)null : e.GetInt64()));
        Assert.Equal("best", root.GetProperty("anchor").GetString());
        Assert.Equal(report.Won, root.GetProperty("won").GetInt64());
        Assert.Equal(7 * 7, root.GetProperty("transitions").GetProperty("values").GetArrayLength());
        Assert.Empty(PublishedSchemas.TransitionReport.Problems(json));
    }

    [Fact]
    public void TransitionReport_ThroughConfiguredSerializerOptions_RoundTrips()
    {
        var report = new TransitionAnalyzer(Journey, TimeSpan.FromDays(30)).Analyze(TransitionLogGenerator.Generate(120, 3));
        var options = new JsonSerializerOptions().ConfigureForFunnel();

        var back = JsonSerializer.Deserialize<TransitionReport>(JsonSerializer.Serialize(report, options), options);

        Assert.Equal(report, back);
    }

    [Theory]
    [InlineData("won", "$.won: the property 'won' is required")]
    [InlineData("/won", "$.won: the won entities must not be negative, not -1")]
    [InlineData("/transitions/values/0", "$: Row 0 of the transitions totals")]
    [InlineData("/transitions/rows", "$.transitions: expected a 7 × 7 matrix for this shape, found 8 × 7")]
    [InlineData("/anchor", "$.anchor: 'sideways' is not a known anchor; known values: first, latest, best")]
    [InlineData("/reached/1", "$: reached[1] = ")]
    [InlineData("/extra", "$.extra: 'extra' is not a property of a transition report")]
    public void TransitionReport_BrokenDocument_FailsNamingThePath(string place, string message)
    {
        var root = JsonNode.Parse(FunnelJson.WriteTransitionReport(new TransitionAnalyzer(Journey, TimeSpan.FromDays(30)).Analyze(TransitionLogGenerator.Generate(50, 1))))!.AsObject();
        switch (place)
        {
            case "won":
                root.Remove("won");
                break;
            case "/won":
                root["won"] = -1;
                break;
            case "/transitions/values/0":
                root["transitions"]!["values"]![0] = root["transitions"]!["values"]![0]!.GetValue<long>() + 1;
                break;
            case "/transitions/rows":
                root["transitions"]!["rows"] = 8;
                break;
            case "/anchor":
                root["anchor"] = "sideways";
                break;
            case "/reached/1":
                root["reached"]![1] = root["reached"]![0]!.GetValue<long>() + 1;
                break;
            default:
                root["extra"] = 1;
                break;
        }

        var text = root.ToJsonString();
        var error = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadTransitionReport(text, "bulk.json"));

        Assert.Contains(error.Problems, p => p.ToString().Contains(message, StringComparison.Ordinal));
        Assert.Contains("bulk.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TransitionReport_WithTimesToConvert_RoundTripsThemByStepOrdinal()
    {
        var analyzer = new TransitionAnalyzer(Journey, TimeSpan.FromDays(30)) { ConversionTimes = true, Median = MedianKind.Interpolated };
        var report = analyzer.Analyze(TransitionLogGenerator.Generate(200, 4));
        Assert.Contains(report.ConversionTimes, t => t.FromAnchor.Count > 0);

        var json = FunnelJson.WriteTransitionReport(report);
        var back = FunnelJson.ReadTransitionReport(json);

        // Element by element with the records' own equality (summaries with both medians, histograms bin by bin).
        Assert.Equal(report.ConversionTimes.Length, back.ConversionTimes.Length);
        Assert.All(report.ConversionTimes.Zip(back.ConversionTimes), pair => Assert.True(pair.First.Equals(pair.Second), $"step {pair.First.Step}: {pair.First} != {pair.Second}"));
        Assert.Equal(report, back);
        using var document = JsonDocument.Parse(json);
        var first = document.RootElement.GetProperty("conversionTimes")[0];
        Assert.Equal(1, first.GetProperty("step").GetInt32());
        Assert.False(first.TryGetProperty("stage", out _));
        Assert.Equal(report.ConversionTimes[0].FromAnchor.MedianSecondsOf(MedianKind.Interpolated), first.GetProperty("fromAnchor").GetProperty("reportedMedianSeconds").GetDouble());
        Assert.Empty(PublishedSchemas.TransitionReport.Problems(json));
    }

    [Theory]
    [InlineData("count", "$.conversionTimes: conversionTimes[0] counts ")]
    [InlineData("step", "$.conversionTimes: conversionTimes[0] is for step 2; the entries are steps 1 to 5 in order, so it must be step 1.")]
    [InlineData("missing", "$.conversionTimes: Expected 5 values.")]
    [InlineData("mean", "$.conversionTimes[0].fromAnchor.meanSeconds: ")]
    public void TransitionReport_TimesToConvertThatContradictTheReport_FailNamingThePath(string change, string message)
    {
        var report = new TransitionAnalyzer(Journey, TimeSpan.FromDays(30)) { ConversionTimes = true }.Analyze(TransitionLogGenerator.Generate(200, 4));
        var root = JsonNode.Parse(FunnelJson.WriteTransitionReport(report))!.AsObject();
        var times = root["conversionTimes"]!.AsArray();
        switch (change)
        {
            case "count":
                // One lead more than reached step 1, everywhere in the entry, so the entry itself stays consistent.
                var entry = times[0]!;
                foreach (var side in new[] { "fromAnchor", "fromPrevious" })
                {
                    entry[side]!["count"] = entry[side]!["count"]!.GetValue<long>() + 1;
                    entry[side]!.AsObject().Remove("meanSeconds");
                }

                foreach (var histogram in new[] { "fromAnchorHistogram", "fromPreviousHistogram" })
                {
                    var bin = entry[histogram]!.AsArray()[0]!;
                    bin["count"] = bin["count"]!.GetValue<long>() + 1;
                }

                break;
            case "step":
                times[0]!["step"] = 2;
                break;
            case "missing":
                times.RemoveAt(times.Count - 1);
                break;
            default:
                times[0]!["fromAnchor"]!["meanSeconds"] = times[0]!["fromAnchor"]!["meanSeconds"]!.GetValue<double>() + 1000;
                break;
        }

        var error = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadTransitionReport(root.ToJsonString(), "bulk.json"));

        Assert.Contains(error.Problems, p => p.ToString().Contains(message, StringComparison.Ordinal));
    }

    private static void AssertRoundTrips(TransitionReport report)
    {
        var json = FunnelJson.WriteTransitionReport(report);
        var back = FunnelJson.ReadTransitionReport(json);
        Assert.Equal(report, back);
        Assert.Equal((report.Anchor, report.Order, report.Median, report.Excluded), (back.Anchor, back.Order, back.Median, back.Excluded));
        Assert.Equal(json, FunnelJson.WriteTransitionReport(back));
        Assert.Empty(PublishedSchemas.TransitionReport.Problems(json));
    }
}
