namespace Funnel.Core.Metrics;

/// <summary>Which test produced a <see cref="TestResult"/>'s p-value.</summary>
public enum TestMethod
{
    /// <summary>Not said: a result made with the three-argument <see cref="TestResult"/> constructor, or "no test".</summary>
    Unspecified = 0,

    /// <summary>The pooled two-proportion z-test (normal approximation).</summary>
    ZTest = 1,

    /// <summary>Pearson's chi-square test (the chi-square approximation; used where Cochran's rule allows it).</summary>
    ChiSquare = 2,

    /// <summary>Fisher's exact test on a 2 × 2 table (two-sided, as R's <c>fisher.test</c>).</summary>
    FisherExact = 3,

    /// <summary>
    /// A Monte-Carlo permutation test on an r × c table: random tables with the observed margins, the p-value the
    /// share whose X² is at least the observed one (as R's <c>chisq.test(simulate.p.value = TRUE)</c>), with a fixed,
    /// reported seed (<see cref="TestResult.Seed"/>).
    /// </summary>
    MonteCarloPermutation = 4,
}
