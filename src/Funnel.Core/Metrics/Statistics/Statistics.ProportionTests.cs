namespace Funnel.Core.Metrics;

// Tests of difference for large samples: the two-proportion z-test and Pearson's chi-square tests of independence
// and homogeneity (the small-sample tests are in Statistics.SmallSamples.cs).
public static partial class Statistics
{
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
}
