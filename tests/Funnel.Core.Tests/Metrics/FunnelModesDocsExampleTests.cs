using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

/// <summary>The 3-lead worked example of docs/metrics.md, "Funnel modes": every row of its table, its time to convert and its medians.</summary>
public sealed class FunnelModesDocsExampleTests
{
    private static readonly FunnelEvent[] Log =
    [
        Enter("Ann", "contact", 0), Enter("Ann", "qualification", 1), Enter("Ann", "proposal", 2), Enter("Ann", "proposal", 3), Enter("Ann", "contract", 4),
        Enter("Bob", "contact", 0), Lose("Bob", "contact", 1, "competitor"), Enter("Bob", "contact", 10), Enter("Bob", "qualification", 11), Enter("Bob", "proposal", 13),
        Enter("Cid", "contact", 0), Enter("Cid", "proposal", 2), Enter("Cid", "qualification", 3), Enter("Cid", "contract", 5),
    ];

    public static TheoryData<string, long[], long> Rows => new()
    {
        { "default", [3, 3, 2, 1], 0 },
        { "strict", [3, 1, 1, 0], 0 },
        { "strict best", [3, 2, 2, 0], 0 },
        { "unordered", [3, 3, 3, 2], 0 },
        { "exclusion", [2, 2, 1, 1], 1 },
        { "exclusion best", [3, 3, 2, 1], 0 },
        { "optional", [3, 3, 3, 2], 0 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void EveryRowOfTheTable(string mode, long[] reached, long excluded)
    {
        var competitor = new[] { FunnelExclusion.Loss(0, 1, "competitor") };
        var query = mode switch
        {
            "default" => FunnelQuery.Default,
            "strict" => FunnelQuery.Default.WithOrder(StepOrder.Strict),
            "strict best" => FunnelQuery.Default.Ordered(null, AnchorMode.Best).WithOrder(StepOrder.Strict),
            "unordered" => FunnelQuery.Default.WithOrder(StepOrder.Unordered),
            "exclusion" => FunnelQuery.Default.WithExclusions(competitor),
            "exclusion best" => FunnelQuery.Default.Ordered(null, AnchorMode.Best).WithExclusions(competitor),
            _ => FunnelQuery.Default.WithOptionalSteps(["qualification"]),
        };

        var report = FunnelReport.Compute(FunnelModesTests.Sales, Log, query);

        Assert.Equal(reached, report.Reached.ToArray());
        Assert.Equal(excluded, report.Excluded);
    }

    [Fact]
    public void TimeToConvertAndItsMedians()
    {
        var report = FunnelReport.Compute(FunnelModesTests.Sales, Log);
        var qualification = report.ConversionTimes[0].FromAnchor;
        var proposal = report.ConversionTimes[1].FromAnchor;

        Assert.Equal((3L, (Int128)(15 * 3600)), (qualification.Count, qualification.TotalSeconds));
        Assert.Equal(TimeSpan.FromHours(3), qualification.Median);
        Assert.Equal(TimeSpan.FromHours(2), proposal.MedianOf(MedianKind.Lower));
        Assert.Equal(TimeSpan.FromHours(7.5), proposal.MedianOf(MedianKind.Interpolated));
        Assert.Equal(TimeSpan.FromHours(2), report.ConversionTimes[1].FromPrevious.P90);
    }
}
