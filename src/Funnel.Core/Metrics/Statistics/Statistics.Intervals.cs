namespace Funnel.Core.Metrics;

// Confidence intervals: the Wilson score interval and its critical value.
public static partial class Statistics
{
    /// <summary>
    /// Computes the Wilson score interval for a binomial proportion (Wilson 1927): the set of p that a score test
    /// would not reject. Unlike the Wald interval it stays inside [0, 1] and behaves well for small counts and rates
    /// near 0 or 1. It equals the interval of R's <c>prop.test(x, n, correct = FALSE)</c>.
    /// </summary>
    /// <param name="successes">The number of successes; 0 ≤ successes ≤ trials.</param>
    /// <param name="trials">The number of trials; not negative. With 0 trials the interval is [0, 1].</param>
    /// <param name="level">The confidence level in (0, 1); 0.95 when omitted.</param>
    /// <returns>The interval.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, successes exceed trials, or the level is outside (0, 1).</exception>
    public static ConfidenceInterval Wilson(long successes, long trials, double level = 0.95)
    {
        CheckProportion(successes, trials);
        var z = CriticalValue(level);
        if (trials == 0)
        {
            return new ConfidenceInterval(0, 1, level);
        }

        double n = trials;
        var p = successes / n;
        var z2 = z * z;
        var denominator = 1 + (z2 / n);
        var center = (p + (z2 / (2 * n))) / denominator;
        var half = z / denominator * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));
        var lower = successes == 0 ? 0 : Math.Max(0, center - half);
        var upper = successes == trials ? 1 : Math.Min(1, center + half);
        return new ConfidenceInterval(lower, upper, level);
    }

    /// <summary>Gets the two-sided critical value z such that P(|Z| ≤ z) = level, e.g. 1.959964 for 0.95.</summary>
    /// <param name="level">The confidence level in (0, 1).</param>
    /// <returns>Φ⁻¹((1 + level) / 2).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside (0, 1).</exception>
    internal static double CriticalValue(double level)
    {
        Guard.Against.OutsideOpenUnitInterval(level, "The confidence level must lie strictly between 0 and 1.");

        return NormalQuantile(0.5 + (level / 2));
    }
}
