using Funnel.Core.Metrics;

namespace Funnel.Core.Tests.Metrics;

public sealed class CohortReportTests
{
    private static readonly DateTimeOffset Jan5 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero); // Monday of ISO week 2026-W02

    // C1 enters Mon 5 Jan 10:00 and wins the next day; C2 Mon 5 Jan 23:00, open; C3 Sun 11 Jan, lost;
    // C4 Mon 12 Jan, won; C5 Sun 1 Feb (ISO week 2026-W05), open.
    private static readonly FunnelEvent[] Log =
    [
        new("C1", "a", Jan5.AddHours(10)), new("C1", "d", Jan5.AddDays(1)),
        new("C2", "a", Jan5.AddHours(23)),
        new("C3", "a", Jan5.AddDays(6).AddHours(12)), new("C3", "a", Jan5.AddDays(6).AddHours(13), "price"),
        new("C4", "a", Jan5.AddDays(7)), new("C4", "d", Jan5.AddDays(8)),
        new("C5", "a", new DateTimeOffset(2026, 2, 1, 9, 0, 0, TimeSpan.Zero)),
    ];

    [Fact]
    public void Compute_Days_OneCohortPerEntryDay()
    {
        var report = CohortReport.Compute(MetricsFixtures.Abcd, Log, CohortPeriod.Day);

        Assert.Equal(["2026-01-05", "2026-01-11", "2026-01-12", "2026-02-01"], report.Cohorts.Select(c => c.Label));
        Assert.Equal([0, 6, 7, 27], report.Cohorts.Select(c => c.Index));
        Assert.Equal([(1L, 2L), (0L, 1L), (1L, 1L), (0L, 1L)], report.Cohorts.Select(c => (c.Conversion.Successes, c.Conversion.Trials)));
        Assert.Equal(Jan5.AddDays(1), report.Cohorts[0].End);
    }

    [Fact]
    public void Compute_IsoWeeks_MondayToSundayWithTrend()
    {
        var report = CohortReport.Compute(MetricsFixtures.Abcd, Log, CohortPeriod.IsoWeek);

        Assert.Equal(["2026-W02", "2026-W03", "2026-W05"], report.Cohorts.Select(c => c.Label));
        Assert.Equal([0, 1, 3], report.Cohorts.Select(c => c.Index));
        Assert.Equal([(1L, 3L), (1L, 1L), (0L, 1L)], report.Cohorts.Select(c => (c.Conversion.Successes, c.Conversion.Trials)));
        // Weighted least squares by hand: mean x 0.8, mean y 0.4, Sxx 6.8, Sxy -0.6.
        Assert.Equal(-0.6 / 6.8, report.TrendPerPeriod!.Value, 12);
        Assert.Equal(Statistics.HomogeneityTest([1, 1, 0], [3, 1, 1]), report.Homogeneity);
        Assert.Equal(TestMethod.MonteCarloPermutation, report.Homogeneity.Method); // 5 leads: far too few for chi-square
    }

    [Fact]
    public void Compute_Months_TwoPointTrendIsTheDifference()
    {
        var report = CohortReport.Compute(MetricsFixtures.Abcd, Log, CohortPeriod.Month);

        Assert.Equal(["2026-01", "2026-02"], report.Cohorts.Select(c => c.Label));
        Assert.Equal(-0.5, report.TrendPerPeriod!.Value, 12);
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), report.Cohorts[0].End);
    }

    [Fact]
    public void Compute_SingleCohort_HasNoTrend()
    {
        var report = CohortReport.Compute(MetricsFixtures.Abcd, Log.Take(3), CohortPeriod.Month);
        Assert.Null(report.TrendPerPeriod);
        Assert.Equal(1, report.Homogeneity.PValue);
    }

    [Theory]
    [InlineData("2026-01-01T12:00:00+00:00", CohortPeriod.IsoWeek, "2025-12-29T00:00:00+00:00")]
    [InlineData("2026-01-04T23:59:59+00:00", CohortPeriod.IsoWeek, "2025-12-29T00:00:00+00:00")]
    [InlineData("2026-01-05T00:30:00+02:00", CohortPeriod.Day, "2026-01-04T00:00:00+00:00")]
    [InlineData("2026-03-31T10:00:00+00:00", CohortPeriod.Month, "2026-03-01T00:00:00+00:00")]
    public void PeriodStart_UsesUtcAndIsoWeeks(string at, CohortPeriod period, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            CohortReport.PeriodStart(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), period));
    }

    [Fact]
    public void Compute_UnknownPeriod_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CohortReport.Compute(MetricsFixtures.Abcd, Log, (CohortPeriod)9));
    }
}
