using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core;
using Funnel.Core.Metrics;
using static Funnel.Serialization.Json.Tests.ReportGenerators;

namespace Funnel.Serialization.Json.Tests;

/// <summary>The reports the adapter writes follow the published report schema, and the schema refuses what the reader refuses.</summary>
public partial class FunnelJsonReportTests
{
    /// <summary>Every query the report tests use: the plain ones, the funnel modes and step windows.</summary>
    private static readonly FunnelQuery[] SchemaQueries =
    [
        .. Queries,
        .. ModeQueries,
        FunnelQuery.Default.Ordered(TimeSpan.FromHours(3), AnchorMode.Best).WithStepWindows([null, TimeSpan.FromMinutes(30), TimeSpan.Zero]),
    ];

    [Property(MaxTest = 100)]
    public Property Report_FromGeneratedJourneys_FollowsTheReportSchema() =>
        Prop.ForAll(JourneyCases.ToArbitrary(), c => FollowsTheReportSchema(ReportOf(c)));

    [Property(MaxTest = 100)]
    public Property Report_FromGeneratedEventLogs_UnderEveryQueryAndMode_FollowsTheReportSchema()
    {
        var cases = (from events in EventLogs from query in Gen.Choose(0, SchemaQueries.Length - 1) select (events, query)).ToArbitrary();
        return Prop.ForAll(cases, c => FollowsTheReportSchema(FunnelReport.Compute(FunnelTemplates.Aida, c.events, SchemaQueries[c.query])));
    }

    [Fact]
    public void Report_WithEveryModeWritten_FollowsTheReportSchema()
    {
        // Hand-made reports with times to convert, histograms, exclusions, optional steps, bins, upper medians and excluded leads.
        foreach (var (query, excluded) in ModeQueries.SelectMany(q => q.Exclusions.IsEmpty ? [(q, 0L)] : new[] { (q, 0L), (q, 1L) }))
        {
            var json = FunnelJson.WriteReport(HandReport(query, excluded));

            Assert.Contains("\"fromAnchorHistogram\"", json, StringComparison.Ordinal);
            Assert.Empty(PublishedSchemas.Report.Problems(json));
        }

        var modes = string.Concat(ModeQueries.Select(q => FunnelJson.WriteReport(HandReport(q, excluded: 0))));
        foreach (var written in new[] { "\"exclusions\"", "\"lossReason\"", "\"optionalSteps\"", "\"conversionTimeBins\"", "\"upperMedianSeconds\"", "\"stage\": null", "\"unordered\"", "\"strict\"", "\"interpolated\"" })
        {
            Assert.Contains(written, modes, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("leads", ": required:")]
    [InlineData("/definition", "/definition: ")]
    [InlineData("/query/reach", "/query/reach: enum:")]
    [InlineData("/query/silentAfter", "/query/silentAfter: pattern:")]
    [InlineData("/query/enteredFrom", "/query/enteredFrom: ")]
    [InlineData("/query/confidenceLevel", "/query/confidenceLevel: exclusiveMaximum:")]
    [InlineData("/query/exclusions/0", "/query/exclusions/0")]
    [InlineData("/query/conversionTimeBins/0", "/query/conversionTimeBins/0: type:")]
    [InlineData("/overallConversion/value", "/overallConversion/value: maximum:")]
    [InlineData("/stages/0/reached", "/stages/0/reached: minimum:")]
    [InlineData("/stages/1/losses/byReason", "/stages/1/losses/byReason/")]
    [InlineData("/cycleTimeToWon", "/cycleTimeToWon/meanSeconds: ")]
    [InlineData("/conversionTimes/0/fromAnchorHistogram/0", "/conversionTimes/0/fromAnchorHistogram/0: required:")]
    [InlineData("/conversionTimes/0/fromPrevious/meanSeconds", "/conversionTimes/0/fromPrevious/meanSeconds: type:")]
    public void ReportSchema_RefusesWhatTheReaderRefuses_AtEachPlace(string place, string problem)
    {
        var root = JsonNode.Parse(FunnelJson.WriteReport(HandReport(
            FunnelQuery.Default.WithExclusions([FunnelExclusion.Loss(0, 1, "competitor")]).WithConversionTimeBins(ConversionTimeBins.Edges([TimeSpan.Zero, TimeSpan.FromMinutes(90)])),
            excluded: 1)))!;
        Break(root, place);
        var text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadReport(text, FunnelTemplates.All));
        var problems = PublishedSchemas.Report.Problems(text);
        Assert.True(problems.Exists(p => p.StartsWith(problem, StringComparison.Ordinal)), $"expected a problem starting with '{problem}', found:\n{string.Join("\n", problems)}");
        if (place == "leads")
        {
            Assert.Contains(problems, p => p.StartsWith(": required:", StringComparison.Ordinal) && p.Contains("leads", StringComparison.Ordinal));
        }
    }

    /// <summary>Breaks the written report at one place in a way the reader refuses.</summary>
    private static void Break(JsonNode root, string place)
    {
        switch (place)
        {
            case "leads":
                root.AsObject().Remove("leads");
                break;
            case "/definition":
                root["definition"] = " ";
                break;
            case "/query/reach":
                root["query"]!["reach"] = "sideways";
                break;
            case "/query/silentAfter":
                root["query"]!["silentAfter"] = "3 days";
                break;
            case "/query/enteredFrom":
                root["query"]!["enteredFrom"] = "yesterday";
                break;
            case "/query/confidenceLevel":
                root["query"]!["confidenceLevel"] = 1;
                break;
            case "/query/exclusions/0":
                root["query"]!["exclusions"]![0]!["stage"] = "desire"; // beside "lost": true
                break;
            case "/query/conversionTimeBins/0":
                root["query"]!["conversionTimeBins"]![0] = null;
                break;
            case "/overallConversion/value":
                root["overallConversion"]!["value"] = 1.5;
                break;
            case "/stages/0/reached":
                root["stages"]![0]!["reached"] = -1;
                break;
            case "/stages/1/losses/byReason":
                root["stages"]![1]!["losses"]!["byReason"]!["competitor"] = "one";
                break;
            case "/cycleTimeToWon":
                root["cycleTimeToWon"]!["meanSeconds"] = 5; // only a time to convert carries its mean
                break;
            case "/conversionTimes/0/fromAnchorHistogram/0":
                root["conversionTimes"]![0]!["fromAnchorHistogram"]![0]!.AsObject().Remove("count");
                break;
            case "/conversionTimes/0/fromPrevious/meanSeconds":
                root["conversionTimes"]![0]!["fromPrevious"]!["meanSeconds"] = null;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(place), place, "No way to break the report there.");
        }
    }

    private static Property FollowsTheReportSchema(FunnelReport report)
    {
        var problems = PublishedSchemas.Report.Problems(FunnelJson.WriteReport(report));
        return (problems.Count == 0).Label(string.Join("\n", problems));
    }
}
