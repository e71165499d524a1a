using Funnel.Core.Metrics;

namespace Funnel.Core.Tests.Metrics;

/// <summary>The small value types of the metrics: summaries, proportions, intervals, matrices.</summary>
public sealed class MetricValuesTests
{
    [Fact]
    public void DurationSummary_LowerMedianAndNearestRankP90()
    {
        var odd = DurationSummary.FromSeconds([5, 1, 3]);
        Assert.Equal((3L, 9L, 3L, 5L), (odd.Count, odd.TotalSeconds, odd.MedianSeconds, odd.P90Seconds));
        var even = DurationSummary.FromSeconds([40, 10, 30, 20]);
        Assert.Equal(20, even.MedianSeconds); // index (4 − 1) / 2 = 1 of 10 20 30 40
        Assert.Equal(40, even.P90Seconds); // index ⌈3.6⌉ − 1 = 3
        var ten = DurationSummary.FromSeconds(Enumerable.Range(1, 10).Select(i => (long)i));
        Assert.Equal(9, ten.P90Seconds); // index ⌈9⌉ − 1 = 8
        Assert.Equal(TimeSpan.FromSeconds(5.5), ten.Mean);
        Assert.Equal(default, DurationSummary.FromSeconds([]));
        Assert.Equal(0, default(DurationSummary).MeanSeconds);
        Assert.Throws<ArgumentException>(() => DurationSummary.FromSeconds([-1]));
    }

    [Fact]
    public void DurationSummary_FromAggregates_EqualsTheSummaryOfTheSamples()
    {
        Assert.Equal(DurationSummary.FromSeconds([5, 1, 3]), DurationSummary.FromAggregates(3, 9, 3, 5));
        Assert.Equal(default, DurationSummary.FromAggregates(0, 0, 0, 0));
    }

    [Fact]
    public void Proportion_CarriesWilsonIntervalAndSmallSampleFlag()
    {
        var p = new Proportion(81, 263);
        Assert.Equal(81.0 / 263, p.Value, 15);
        Assert.Equal(Statistics.Wilson(81, 263), p.Interval);
        Assert.False(p.IsSmallSample);
        Assert.True(new Proportion(1, 29).IsSmallSample);
        Assert.False(new Proportion(1, 29, minimumSample: 0).IsSmallSample);
        var empty = new Proportion(0, 0);
        Assert.False(empty.HasData);
        Assert.Equal(0, empty.Value);
        Assert.Equal((0.0, 1.0), (empty.Interval.Lower, empty.Interval.Upper));
        Assert.Contains("small sample", new Proportion(1, 2).ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Proportion(3, 2));
    }

    [Fact]
    public void ConfidenceInterval_ValidatesAndCompares()
    {
        var interval = new ConfidenceInterval(0.2, 0.4, 0.95);
        Assert.Equal(0.2, interval.Width, 15);
        Assert.True(interval.Contains(0.4));
        Assert.False(interval.Contains(0.41));
        Assert.Equal(new ConfidenceInterval(0.2, 0.4, 0.95), interval);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfidenceInterval(0.5, 0.4, 0.95));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfidenceInterval(0.1, 0.4, 0));
    }

    [Fact]
    public void TestResult_Validates()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TestResult(1, 1, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TestResult(1, -1, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TestResult(1, 1, 0.5).IsSignificant(0));
    }

    [Fact]
    public void CountMatrix_RowAndColumnTotals()
    {
        var report = FunnelReport.Compute(MetricsFixtures.Abcd, [MetricsFixtures.Enter("x", "a", 0), MetricsFixtures.Enter("x", "b", 1), MetricsFixtures.Lose("x", "b", 2, "price")]);
        var transitions = report.Transitions;
        Assert.Equal(1, transitions.RowTotal(0));
        Assert.Equal(1, transitions.ColumnTotal(4));
        Assert.Equal(2, transitions.Total);
        Assert.Equal([0L, 0, 0, 0, 1], transitions.GetRow(1).ToArray());
        Assert.Equal((5, 5), (transitions.Rows, transitions.Columns));
        Assert.Equal(0, transitions.RowTotal(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => transitions[5, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => transitions[0, 5]);
        Assert.Equal("0 1 0 0 0", transitions.ToString().Split('\n')[0].TrimEnd());
    }
}
