namespace Funnel.Core.Metrics;

/// <summary>
/// The statistics the metrics use, public so that callers can use them directly: the normal distribution (CDF and
/// quantile), the regularized incomplete gamma function and the chi-square survival function, the Wilson score
/// interval, the two-proportion z-test, Pearson's chi-square test of independence, and for small samples Fisher's
/// exact test and a Monte-Carlo permutation test, chosen by Cochran's rule (<see cref="IndependenceTest"/>).
/// </summary>
/// <remarks>
/// <para>Everything is implemented here on the BCL alone (no numeric library):</para>
/// <list type="bullet">
/// <item><description>log Γ: the Lanczos approximation (g = 7, nine coefficients), relative error about 1e-15.</description></item>
/// <item><description>Regularized incomplete gamma P(a, x) and Q(a, x): the power series for x &lt; a + 1 and
/// Lentz's continued fraction otherwise (Press et al., <i>Numerical Recipes</i>, 3rd ed., §6.2).</description></item>
/// <item><description>erfc(z) = Q(1/2, z²) for z ≥ 0, and Φ(x) = erfc(−x/√2)/2 (Abramowitz &amp; Stegun 7.1.2, 26.2.29); the
/// upper tail is computed directly, so tiny p-values keep their precision.</description></item>
/// <item><description>Φ⁻¹(p): Peter J. Acklam's rational approximation (relative error 1.15e-9) refined by one Halley
/// step on Φ, which brings it to about machine precision.</description></item>
/// </list>
/// <para>The class is stateless and thread-safe.</para>
/// </remarks>
public static partial class Statistics
{
    private const double Epsilon = 1e-16;
    private const int MaxIterations = 100_000;

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    // Acklam's coefficients, https://web.archive.org/web/20151030215612/http://home.online.no/~pjacklam/notes/invnorm/
    private static readonly double[] AcklamA = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
    private static readonly double[] AcklamB = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
    private static readonly double[] AcklamC = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
    private static readonly double[] AcklamD = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];

    /// <summary>Computes ln Γ(x) for x &gt; 0 (Lanczos approximation).</summary>
    /// <param name="x">The argument; positive.</param>
    /// <returns>The natural logarithm of the gamma function at <paramref name="x"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="x"/> is not positive.</exception>
    internal static double LogGamma(double x)
    {
        if (!(x > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "ln Γ(x) is computed for x > 0 only.");
        }

        if (x < 0.5)
        {
            // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = Lanczos[0];
        for (var i = 1; i < Lanczos.Length; i++)
        {
            sum += Lanczos[i] / (x + i);
        }

        var t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    /// <summary>Computes the regularized lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a).</summary>
    /// <param name="a">The shape; positive.</param>
    /// <param name="x">The argument; not negative.</param>
    /// <returns>P(a, x) in [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="a"/> is not positive or <paramref name="x"/> is negative or not a number.</exception>
    internal static double RegularizedGammaP(double a, double x)
    {
        CheckGammaArguments(a, x);
        if (x == 0)
        {
            return 0;
        }

        return x < a + 1 ? GammaSeries(a, x) : 1 - GammaContinuedFraction(a, x);
    }

    /// <summary>Computes the regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x).</summary>
    /// <param name="a">The shape; positive.</param>
    /// <param name="x">The argument; not negative.</param>
    /// <returns>Q(a, x) in [0, 1], computed directly in the upper tail so that small values keep their precision.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="a"/> is not positive or <paramref name="x"/> is negative or not a number.</exception>
    internal static double RegularizedGammaQ(double a, double x)
    {
        CheckGammaArguments(a, x);
        if (x == 0)
        {
            return 1;
        }

        if (double.IsPositiveInfinity(x))
        {
            return 0;
        }

        return x < a + 1 ? 1 - GammaSeries(a, x) : GammaContinuedFraction(a, x);
    }

    /// <summary>Computes the upper tail P(X² ≥ x) of the chi-square distribution (the p-value of a chi-square statistic).</summary>
    /// <param name="x">The statistic; not negative.</param>
    /// <param name="degreesOfFreedom">The degrees of freedom; positive.</param>
    /// <returns>Q(df / 2, x / 2).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="x"/> is negative or <paramref name="degreesOfFreedom"/> is not positive.</exception>
    internal static double ChiSquareSurvival(double x, int degreesOfFreedom)
    {
        Guard.Against.NegativeOrZeroNumber(degreesOfFreedom);
        if (double.IsNaN(x) || x < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "A chi-square statistic is not negative.");
        }

        return RegularizedGammaQ(degreesOfFreedom / 2.0, x / 2);
    }

    /// <summary>Computes the complementary error function erfc(z).</summary>
    /// <param name="z">The argument.</param>
    /// <returns>erfc(z) in [0, 2].</returns>
    internal static double Erfc(double z)
    {
        if (double.IsNaN(z))
        {
            return double.NaN;
        }

        return z >= 0 ? RegularizedGammaQ(0.5, z * z) : 1 + RegularizedGammaP(0.5, z * z);
    }

    /// <summary>Computes the standard normal cumulative distribution function Φ(x).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>P(Z ≤ x) for a standard normal Z.</returns>
    internal static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    /// <summary>Computes the standard normal upper tail 1 − Φ(x), accurate for large x.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>P(Z &gt; x) for a standard normal Z.</returns>
    internal static double NormalSurvival(double x) => 0.5 * Erfc(x / Math.Sqrt(2));

    /// <summary>Computes the standard normal quantile Φ⁻¹(p) (Acklam's algorithm with one Halley refinement step).</summary>
    /// <param name="p">The probability in (0, 1).</param>
    /// <returns>The z such that Φ(z) = <paramref name="p"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside (0, 1).</exception>
    internal static double NormalQuantile(double p)
    {
        Guard.Against.OutsideOpenUnitInterval(p, "The normal quantile is defined for probabilities strictly between 0 and 1.");

        const double low = 0.02425;
        double x;
        if (p < low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            x = Tail(q);
        }
        else if (p <= 1 - low)
        {
            var q = p - 0.5;
            var r = q * q;
            var a = AcklamA;
            var b = AcklamB;
            x = (((((((((((a[0] * r) + a[1]) * r) + a[2]) * r) + a[3]) * r) + a[4]) * r) + a[5]) * q)
                / (((((((((b[0] * r) + b[1]) * r) + b[2]) * r) + b[3]) * r) + b[4]) * r + 1);
        }
        else
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -Tail(q);
        }

        // One Halley step: e = Φ(x) − p, u = e √(2π) exp(x²/2), x ← x − u / (1 + x u / 2).
        var e = p < 0.5 ? NormalCdf(x) - p : (1 - p) - NormalSurvival(x);
        var u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - (u / (1 + (x * u / 2)));

        static double Tail(double q)
        {
            var c = AcklamC;
            var d = AcklamD;
            return (((((((((c[0] * q) + c[1]) * q) + c[2]) * q) + c[3]) * q) + c[4]) * q + c[5])
                / (((((((d[0] * q) + d[1]) * q) + d[2]) * q) + d[3]) * q + 1);
        }
    }

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

    /// <summary>
    /// Compares two proportions with the pooled two-proportion z-test (two-sided). The squared statistic equals the
    /// X² of R's <c>prop.test(c(x1, x2), c(n1, n2), correct = FALSE)</c>, and the p-values are equal.
    /// </summary>
    /// <param name="successes1">Successes in the first group.</param>
    /// <param name="trials1">Trials in the first group; positive.</param>
    /// <param name="successes2">Successes in the second group.</param>
    /// <param name="trials2">Trials in the second group; positive.</param>
    /// <returns>z = (p1 − p2) / √(p̄(1 − p̄)(1/n1 + 1/n2)) and its two-sided p-value; when p̄ is 0 or 1 (no variation at all) z is 0 and the p-value 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, successes exceed trials, or a group has no trials.</exception>
    public static TestResult TwoProportionZTest(long successes1, long trials1, long successes2, long trials2)
    {
        CheckProportion(successes1, trials1);
        CheckProportion(successes2, trials2);
        Guard.Against.ZeroNumber(trials1);
        Guard.Against.ZeroNumber(trials2);
        double n1 = trials1;
        double n2 = trials2;
        var pooled = (successes1 + (double)successes2) / (n1 + n2);
        var variance = pooled * (1 - pooled) * ((1 / n1) + (1 / n2));
        if (variance <= 0)
        {
            return new TestResult(0, 0, 1, TestMethod.ZTest);
        }

        var z = ((successes1 / n1) - (successes2 / n2)) / Math.Sqrt(variance);
        var p = Math.Min(1, 2 * NormalSurvival(Math.Abs(z)));
        return new TestResult(z, 0, p, TestMethod.ZTest);
    }

    /// <summary>
    /// Pearson's chi-square test of independence on an r × c contingency table (no continuity correction), as R's
    /// <c>chisq.test(table, correct = FALSE)</c>. Rows or columns that sum to zero carry no information and are left
    /// out; when fewer than two rows or two columns remain the statistic is 0 with 0 degrees of freedom and p-value 1.
    /// </summary>
    /// <param name="table">The counts, row by row; every row has the same length; no negative count.</param>
    /// <returns>X² = Σ (O − E)² / E, df = (r − 1)(c − 1), and its upper-tail p-value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> or a row is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The rows differ in length, or a count is negative.</exception>
    public static TestResult ChiSquareIndependence(IReadOnlyList<IReadOnlyList<long>> table)
    {
        Guard.Against.Null(table);
        var columns = -1;
        for (var r = 0; r < table.Count; r++)
        {
            var row = table[r] ?? throw new ArgumentNullException(nameof(table), $"Row {r} of the table is null.");
            if (columns >= 0 && row.Count != columns)
            {
                throw new ArgumentException($"Row {r} has {row.Count} columns, but row 0 has {columns}.", nameof(table));
            }

            columns = row.Count;
            for (var c = 0; c < row.Count; c++)
            {
                if (row[c] < 0)
                {
                    throw new ArgumentException($"The count at row {r}, column {c} is negative ({row[c]}).", nameof(table));
                }
            }
        }

        var kept = Compact(table, columns);
        if (kept is null)
        {
            return new TestResult(0, 0, 1);
        }

        var statistic = PearsonStatistic(kept);
        var df = (kept.Length - 1) * (kept[0].Length - 1);
        var (small, cells, fails) = Cochran(kept);
        return new TestResult(statistic, df, ChiSquareSurvival(statistic, df), TestMethod.ChiSquare, small, cells, fails);
    }

    /// <summary>
    /// Tests whether several groups share one proportion (chi-square test of homogeneity on the k × 2 table of
    /// successes and failures), as R's <c>prop.test(x, n)</c> for k &gt; 2 groups or <c>prop.test(x, n, correct = FALSE)</c> for two.
    /// </summary>
    /// <param name="successes">Successes per group.</param>
    /// <param name="trials">Trials per group, in the same order; at least two groups.</param>
    /// <returns>The chi-square result with k − 1 degrees of freedom (fewer when groups or outcomes are empty).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The lists differ in length or hold fewer than two groups.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or successes exceed trials.</exception>
    public static TestResult ChiSquareHomogeneity(IReadOnlyList<long> successes, IReadOnlyList<long> trials) =>
        ChiSquareIndependence(HomogeneityTable(successes, trials));

    internal static void CheckProportion(long successes, long trials)
    {
        Guard.Against.NegativeNumber(successes);
        Guard.Against.NegativeNumber(trials);
        if (successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"Successes ({successes}) exceed trials ({trials}).");
        }
    }

    private static void CheckGammaArguments(double a, double x)
    {
        if (!(a > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(a), a, "The shape must be positive.");
        }

        if (double.IsNaN(x) || x < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "The argument must not be negative.");
        }
    }

    // Series: P(a, x) = e^{−x} x^a / Γ(a) Σ x^n / (a (a+1) ... (a+n)).
    private static double GammaSeries(double a, double x)
    {
        var ap = a;
        var term = 1 / a;
        var sum = term;
        for (var n = 0; n < MaxIterations; n++)
        {
            ap += 1;
            term *= x / ap;
            sum += term;
            if (Math.Abs(term) < Math.Abs(sum) * Epsilon)
            {
                break;
            }
        }

        return sum * Math.Exp((-x) + (a * Math.Log(x)) - LogGamma(a));
    }

    // Continued fraction for Q(a, x) by the modified Lentz method.
    private static double GammaContinuedFraction(double a, double x)
    {
        const double tiny = 1e-300;
        var b = x + 1 - a;
        var c = 1 / tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < MaxIterations; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = (an * d) + b;
            if (Math.Abs(d) < tiny)
            {
                d = tiny;
            }

            c = b + (an / c);
            if (Math.Abs(c) < tiny)
            {
                c = tiny;
            }

            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return Math.Exp((-x) + (a * Math.Log(x)) - LogGamma(a)) * h;
    }
}
