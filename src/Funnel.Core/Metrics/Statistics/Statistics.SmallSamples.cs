namespace Funnel.Core.Metrics;

/// <summary>The tests of difference for small samples: Cochran's rule, Fisher's exact test and a Monte-Carlo permutation test.</summary>
public static partial class Statistics
{
    /// <summary>The seed of the Monte-Carlo permutation tests when none is given: 20231 (fixed, so that a report is reproducible).</summary>
    public const int DefaultSeed = 20231;

    /// <summary>The number of random tables of the Monte-Carlo permutation tests when none is given: 10,000 (standard error of the p-value at most 0.005).</summary>
    public const int DefaultIterations = 10_000;

    /// <summary>
    /// Tests independence on an r × c table with the method its expected counts allow. Where Cochran's rule holds
    /// (at least 80% of the cells have an expected count of at least 5 and none is below 1; Cochran 1954) it is
    /// Pearson's chi-square test (<see cref="ChiSquareIndependence"/>). Otherwise a 2 × 2 table gets Fisher's exact test
    /// (<see cref="FisherExact"/>) and a larger one a Monte-Carlo permutation test (<see cref="MonteCarloIndependence"/>)
    /// with the given seed; the result is flagged <see cref="TestResult.IsSmallSample"/>. Rows and columns that sum to
    /// zero are left out first; with fewer than two of either left, the result is statistic 0, df 0, p-value 1.
    /// </summary>
    /// <param name="table">The counts, row by row; every row has the same length; no negative count.</param>
    /// <param name="seed">The seed of a Monte-Carlo test; <see cref="DefaultSeed"/> when omitted.</param>
    /// <param name="iterations">The random tables of a Monte-Carlo test, at least 1; <see cref="DefaultIterations"/> when omitted.</param>
    /// <returns>The result, with <see cref="TestResult.Method"/> saying which test was used.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> or a row is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The rows differ in length, or a count is negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterations"/> is less than 1.</exception>
    public static TestResult IndependenceTest(IReadOnlyList<IReadOnlyList<long>> table, int seed = DefaultSeed, int iterations = DefaultIterations)
    {
        Guard.Against.LessThan(iterations, 1);
        var chiSquare = ChiSquareIndependence(table);
        if (!chiSquare.IsSmallSample || chiSquare.DegreesOfFreedom == 0)
        {
            return chiSquare;
        }

        var kept = Compact(table, table[0].Count)!;
        return kept.Length == 2 && kept[0].Length == 2
            ? FisherExact(kept[0][0], kept[0][1], kept[1][0], kept[1][1])
            : MonteCarloIndependence(table, seed, iterations);
    }

    /// <summary>
    /// Tests whether several groups share one proportion on the k × 2 table of successes and failures with the method
    /// its expected counts allow (<see cref="IndependenceTest"/>): chi-square where Cochran's rule holds, otherwise
    /// Fisher's exact test for two groups and a Monte-Carlo permutation test for more.
    /// </summary>
    /// <param name="successes">Successes per group.</param>
    /// <param name="trials">Trials per group, in the same order; at least two groups.</param>
    /// <param name="seed">The seed of a Monte-Carlo test; <see cref="DefaultSeed"/> when omitted.</param>
    /// <param name="iterations">The random tables of a Monte-Carlo test; <see cref="DefaultIterations"/> when omitted.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The lists differ in length or hold fewer than two groups.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, successes exceed trials, or <paramref name="iterations"/> is less than 1.</exception>
    public static TestResult HomogeneityTest(IReadOnlyList<long> successes, IReadOnlyList<long> trials, int seed = DefaultSeed, int iterations = DefaultIterations) =>
        IndependenceTest(HomogeneityTable(successes, trials), seed, iterations);

    /// <summary>
    /// Compares two proportions: the two-proportion z-test (<see cref="TwoProportionZTest"/>) where Cochran's rule holds
    /// on the 2 × 2 table, otherwise Fisher's exact p-value with the z statistic kept for its sign (flagged
    /// <see cref="TestResult.IsSmallSample"/>).
    /// </summary>
    /// <param name="successes1">Successes in the first group.</param>
    /// <param name="trials1">Trials in the first group; positive.</param>
    /// <param name="successes2">Successes in the second group.</param>
    /// <param name="trials2">Trials in the second group; positive.</param>
    /// <returns>z (positive when the first group converts better) and the two-sided p-value of the method used.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, successes exceed trials, or a group has no trials.</exception>
    public static TestResult CompareProportions(long successes1, long trials1, long successes2, long trials2)
    {
        var z = TwoProportionZTest(successes1, trials1, successes2, trials2);
        var chiSquare = ChiSquareHomogeneity([successes1, successes2], [trials1, trials2]);
        if (!chiSquare.IsSmallSample)
        {
            return new TestResult(z.Statistic, 0, z.PValue, TestMethod.ZTest, chiSquare.SmallExpectedCells, chiSquare.Cells);
        }

        var fisher = FisherExact(successes1, trials1 - successes1, successes2, trials2 - successes2);
        return new TestResult(z.Statistic, 0, fisher.PValue, TestMethod.FisherExact, chiSquare.SmallExpectedCells, chiSquare.Cells, isSmallSample: true);
    }

    /// <summary>
    /// Fisher's exact test of independence on the 2 × 2 table [[a, b], [c, d]] (Fisher 1935), two-sided as R's
    /// <c>fisher.test</c>: with the margins fixed, the p-value is the total probability (hypergeometric) of the tables
    /// no more probable than the observed one (relative tolerance 1e-7).
    /// </summary>
    /// <param name="a">Row 1, column 1.</param>
    /// <param name="b">Row 1, column 2.</param>
    /// <param name="c">Row 2, column 1.</param>
    /// <param name="d">Row 2, column 2.</param>
    /// <returns>The observed Pearson X² (for reference), df 1, the exact p-value; p-value 1 with df 0 when a margin is zero.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public static TestResult FisherExact(long a, long b, long c, long d)
    {
        Guard.Against.NegativeNumber(a);
        Guard.Against.NegativeNumber(b);
        Guard.Against.NegativeNumber(c);
        Guard.Against.NegativeNumber(d);
        long[][] table = [[a, b], [c, d]];
        var kept = Compact(table, 2);
        if (kept is null)
        {
            return new TestResult(0, 0, 1, TestMethod.FisherExact);
        }

        var (small, cells, fails) = Cochran(kept);
        long row1 = a + b, column1 = a + c, total = a + b + c + d;
        var low = Math.Max(0, row1 + column1 - total);
        var high = Math.Min(row1, column1);
        var observed = LogHypergeometric(a, row1, column1, total);
        var p = 0.0;
        for (var x = low; x <= high; x++)
        {
            var logP = LogHypergeometric(x, row1, column1, total);
            if (logP <= observed + 1e-7)
            {
                p += Math.Exp(logP);
            }
        }

        return new TestResult(PearsonStatistic(kept), 1, Math.Clamp(p, 0, 1), TestMethod.FisherExact, small, cells, fails);
    }

    /// <summary>
    /// A Monte-Carlo permutation test of independence on an r × c table (Hope 1968), as R's
    /// <c>chisq.test(table, simulate.p.value = TRUE, B = iterations)</c>: <paramref name="iterations"/> random tables
    /// with the observed margins (the leads' column labels permuted, drawn cell by cell from the hypergeometric
    /// distribution), and p = (1 + the tables whose X² is at least the observed one) / (iterations + 1), which is
    /// never 0. The same seed gives the same p-value.
    /// </summary>
    /// <param name="table">The counts, row by row; every row has the same length; no negative count.</param>
    /// <param name="seed">The seed of the random tables.</param>
    /// <param name="iterations">The number of random tables; at least 1.</param>
    /// <returns>The observed X², df (r − 1)(c − 1), the Monte-Carlo p-value, the seed and the iterations; statistic 0, df 0, p-value 1 when fewer than two rows or columns have counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> or a row is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The rows differ in length, or a count is negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterations"/> is less than 1.</exception>
    public static TestResult MonteCarloIndependence(IReadOnlyList<IReadOnlyList<long>> table, int seed = DefaultSeed, int iterations = DefaultIterations)
    {
        Guard.Against.LessThan(iterations, 1);
        var chiSquare = ChiSquareIndependence(table);
        if (chiSquare.DegreesOfFreedom == 0)
        {
            return new TestResult(0, 0, 1, TestMethod.MonteCarloPermutation, seed: seed, iterations: iterations);
        }

        var kept = Compact(table, table[0].Count)!;
        var rows = kept.Length;
        var columns = kept[0].Length;
        var rowSums = kept.Select(r => r.Sum()).ToArray();
        var columnSums = new long[columns];
        foreach (var row in kept)
        {
            for (var c = 0; c < columns; c++)
            {
                columnSums[c] += row[c];
            }
        }

        // R's tolerance: a simulated X² counts when it is at least (1 − 64 ε) times the observed one.
        var threshold = chiSquare.Statistic * (1 - (64 * 2.220446049250313e-16));
        var random = new Random(seed);
        var simulated = new long[rows][];
        for (var r = 0; r < rows; r++)
        {
            simulated[r] = new long[columns];
        }

        var remaining = new long[columns];
        var atLeast = 0;
        for (var i = 0; i < iterations; i++)
        {
            RandomTable(random, rowSums, columnSums, remaining, simulated);
            if (PearsonStatistic(simulated) >= threshold)
            {
                atLeast++;
            }
        }

        var p = (1.0 + atLeast) / (iterations + 1.0);
        return new TestResult(chiSquare.Statistic, chiSquare.DegreesOfFreedom, p, TestMethod.MonteCarloPermutation, chiSquare.SmallExpectedCells, chiSquare.Cells, chiSquare.IsSmallSample, seed, iterations);
    }

    /// <summary>The k × 2 table of successes and failures per group, checked.</summary>
    internal static IReadOnlyList<long>[] HomogeneityTable(IReadOnlyList<long> successes, IReadOnlyList<long> trials)
    {
        Guard.Against.Null(successes);
        Guard.Against.Null(trials);
        if (successes.Count != trials.Count || successes.Count < 2)
        {
            throw new ArgumentException("Give successes and trials for the same two or more groups.", nameof(trials));
        }

        var table = new IReadOnlyList<long>[successes.Count];
        for (var i = 0; i < table.Length; i++)
        {
            CheckProportion(successes[i], trials[i]);
            table[i] = [successes[i], trials[i] - successes[i]];
        }

        return table;
    }

    /// <summary>The table without rows and columns that sum to zero, or null when fewer than two of either are left.</summary>
    private static long[][]? Compact(IReadOnlyList<IReadOnlyList<long>> table, int columns)
    {
        var columnSums = new long[Math.Max(columns, 0)];
        var keptRows = new List<IReadOnlyList<long>>();
        foreach (var row in table)
        {
            var sum = 0L;
            for (var c = 0; c < columns; c++)
            {
                columnSums[c] += row[c];
                sum += row[c];
            }

            if (sum > 0)
            {
                keptRows.Add(row);
            }
        }

        var keptColumns = Enumerable.Range(0, columnSums.Length).Where(c => columnSums[c] > 0).ToArray();
        if (keptRows.Count < 2 || keptColumns.Length < 2)
        {
            return null;
        }

        return [.. keptRows.Select(row => keptColumns.Select(c => row[c]).ToArray())];
    }

    /// <summary>Pearson's X² = Σ (O − E)² / E of a table without empty rows or columns.</summary>
    private static double PearsonStatistic(long[][] table)
    {
        var columns = table[0].Length;
        var rowSums = new double[table.Length];
        var columnSums = new double[columns];
        var total = 0.0;
        for (var r = 0; r < table.Length; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                rowSums[r] += table[r][c];
                columnSums[c] += table[r][c];
            }

            total += rowSums[r];
        }

        var statistic = 0.0;
        for (var r = 0; r < table.Length; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var expected = rowSums[r] * columnSums[c] / total;
                var difference = table[r][c] - expected;
                statistic += difference * difference / expected;
            }
        }

        return statistic;
    }

    /// <summary>Cochran's rule on the expected counts: (cells below 5, cells, whether the rule fails).</summary>
    private static (int Small, int Cells, bool Fails) Cochran(long[][] table)
    {
        var columns = table[0].Length;
        var rowSums = table.Select(r => (double)r.Sum()).ToArray();
        var columnSums = new double[columns];
        foreach (var row in table)
        {
            for (var c = 0; c < columns; c++)
            {
                columnSums[c] += row[c];
            }
        }

        var total = rowSums.Sum();
        int small = 0, belowOne = 0, cells = table.Length * columns;
        foreach (var rowSum in rowSums)
        {
            foreach (var columnSum in columnSums)
            {
                var expected = rowSum * columnSum / total;
                small += expected < 5 ? 1 : 0;
                belowOne += expected < 1 ? 1 : 0;
            }
        }

        return (small, cells, belowOne > 0 || small > 0.2 * cells);
    }

    /// <summary>ln P(X = x) for X hypergeometric: x of the <paramref name="draws"/> in a population of <paramref name="total"/> with <paramref name="successes"/> successes.</summary>
    private static double LogHypergeometric(long x, long draws, long successes, long total) =>
        LogChoose(successes, x) + LogChoose(total - successes, draws - x) - LogChoose(total, draws);

    private static double LogChoose(long n, long k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(long n) => n < 2 ? 0 : LogGamma(n + 1.0);

    /// <summary>Fills <paramref name="cells"/> with a random table with the given margins: each row drawn from the remaining leads, cell by cell (conditional hypergeometric draws).</summary>
    private static void RandomTable(Random random, long[] rowSums, long[] columnSums, long[] remaining, long[][] cells)
    {
        var columns = columnSums.Length;
        Array.Copy(columnSums, remaining, columns);
        var left = 0L;
        foreach (var sum in columnSums)
        {
            left += sum;
        }

        for (var r = 0; r < rowSums.Length - 1; r++)
        {
            var need = rowSums[r];
            var population = left;
            for (var c = 0; c < columns - 1; c++)
            {
                var x = Hypergeometric(random, population, remaining[c], need);
                cells[r][c] = x;
                need -= x;
                population -= remaining[c];
                remaining[c] -= x;
            }

            cells[r][columns - 1] = need;
            remaining[columns - 1] -= need;
            left -= rowSums[r];
        }

        Array.Copy(remaining, cells[^1], columns);
    }

    /// <summary>
    /// Draws the successes among <paramref name="draws"/> taken without replacement from <paramref name="total"/> items
    /// of which <paramref name="successes"/> are successes: inversion starting at the mode and walking outwards, which
    /// takes about one standard deviation of steps.
    /// </summary>
    private static long Hypergeometric(Random random, long total, long successes, long draws)
    {
        var low = Math.Max(0, draws - (total - successes));
        var high = Math.Min(draws, successes);
        if (low >= high)
        {
            return low;
        }

        var mode = Math.Clamp((long)Math.Floor((draws + 1.0) * (successes + 1.0) / (total + 2.0)), low, high);
        var pMode = Math.Exp(LogHypergeometric(mode, draws, successes, total));
        var u = random.NextDouble() - pMode;
        if (u <= 0)
        {
            return mode;
        }

        long down = mode, up = mode;
        double pDown = pMode, pUp = pMode;
        var failures = total - successes;
        while (down > low || up < high)
        {
            if (up < high)
            {
                pUp *= (double)(successes - up) * (draws - up) / ((up + 1.0) * (failures - draws + up + 1.0));
                up++;
                u -= pUp;
                if (u <= 0)
                {
                    return up;
                }
            }

            if (down > low)
            {
                pDown *= down * (double)(failures - draws + down) / ((successes - down + 1.0) * (draws - down + 1.0));
                down--;
                u -= pDown;
                if (u <= 0)
                {
                    return down;
                }
            }
        }

        return mode; // rounding left a sliver of probability: the mode is the likeliest value
    }
}
