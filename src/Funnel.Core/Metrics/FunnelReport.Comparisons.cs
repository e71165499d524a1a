namespace Funnel.Core.Metrics;

// Tests of difference between two reports' conversions.
public sealed partial class FunnelReport
{
    /// <summary>
    /// Compares this report's overall conversion (won out of leads) with another's — two periods, two segments, two
    /// funnels variants — with the two-proportion z-test, or Fisher's exact p-value when the expected counts fail
    /// Cochran's rule (<see cref="Statistics.CompareProportions"/>).
    /// </summary>
    /// <param name="other">The other report.</param>
    /// <returns>z (positive when this report converts better) and the two-sided p-value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A report has no leads.</exception>
    public TestResult CompareOverallConversion(FunnelReport other)
    {
        Guard.Against.Null(other);
        return Statistics.CompareProportions(OverallConversion.Successes, OverallConversion.Trials, other.OverallConversion.Successes, other.OverallConversion.Trials);
    }

    /// <summary>Compares the conversion into a stage from the previous one with another report's (<see cref="Statistics.CompareProportions"/>: the z-test, or Fisher's exact p-value for small samples).</summary>
    /// <param name="other">The other report, of a funnel with the same stage key.</param>
    /// <param name="stage">The stage.</param>
    /// <returns>z (positive when this report converts better) and the two-sided p-value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A definition has no such stage.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A report has no trials for that conversion.</exception>
    public TestResult CompareConversion(FunnelReport other, StageKey stage)
    {
        Guard.Against.Null(other);
        var mine = this[stage].ConversionFromPrevious;
        var theirs = other[stage].ConversionFromPrevious;
        return Statistics.CompareProportions(mine.Successes, mine.Trials, theirs.Successes, theirs.Trials);
    }
}
