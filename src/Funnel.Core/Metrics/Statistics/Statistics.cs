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
    internal static void CheckProportion(long successes, long trials)
    {
        Guard.Against.NegativeNumber(successes);
        Guard.Against.NegativeNumber(trials);
        if (successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"Successes ({successes}) exceed trials ({trials}).");
        }
    }
}
