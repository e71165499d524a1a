namespace Funnel.Core.Metrics;

// The functions the intervals and tests rest on: log Γ, the regularized incomplete gamma functions, the chi-square
// survival function, erfc, and the normal CDF, survival function and quantile.
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
