using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

public sealed class FunnelReportComparisonTests
{
    [Fact]
    public void CompareOverallConversion_TwoPeriods_IsTheZTestOfTheirConversions()
    {
        // Week 1: 3 leads, 2 won; week 2: 3 leads, 0 won.
        FunnelEvent[] log =
        [
            Enter("1", "a", 0), Enter("1", "d", 1), Enter("2", "a", 0), Enter("2", "d", 2), Enter("3", "a", 0),
            Enter("4", "a", 170), Enter("5", "a", 170), Enter("6", "a", 171),
        ];
        var asOf = FunnelQuery.Default.WithAsOf(At(200));
        var week1 = FunnelReport.Compute(Abcd, log, asOf.EnteredBetween(At(0), At(168)));
        var week2 = FunnelReport.Compute(Abcd, log, asOf.EnteredBetween(At(168), At(336)));

        Assert.Equal(Statistics.CompareProportions(2, 3, 0, 3), week1.CompareOverallConversion(week2));
        Assert.Equal(TestMethod.FisherExact, week1.CompareOverallConversion(week2).Method); // 3 leads a week: Fisher, not z
        Assert.True(week1.CompareOverallConversion(week2).Statistic > 0);
        // Into the first stage: 3 of 3 leads both weeks; into b: 0 of 3 (under ordered reach the wins skipped b and c).
        // Nobody reached b, so the conversion into c rests on no trials and the test refuses.
        Assert.Equal(Statistics.CompareProportions(3, 3, 3, 3), week1.CompareConversion(week2, "a"));
        Assert.Equal(Statistics.CompareProportions(0, 3, 0, 3), week1.CompareConversion(week2, "b"));
        Assert.Throws<ArgumentOutOfRangeException>(() => week1.CompareConversion(week2, "c"));
        Assert.Throws<ArgumentNullException>(() => week1.CompareOverallConversion(null!));
    }
}
