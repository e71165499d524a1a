using FsCheck.Xunit;
using Funnel.Core.Metrics;

namespace Funnel.Core.Tests.Metrics;

/// <summary>Tests of difference on small samples (issue 23): Cochran's rule, Fisher's exact test, the Monte-Carlo permutation test.</summary>
public sealed class SmallSampleTestsTests
{
    [Fact]
    public void FisherExact_TeaTasting_MatchesFisher1935()
    {
        // Fisher, The Design of Experiments (1935), §2: the lady tasting tea, [[3, 1], [1, 3]]. Two-sided p = 34/70
        // = 0.4857 (the value R's fisher.test(TeaTasting) prints in its documentation; Agresti, Categorical Data
        // Analysis, 2nd ed., §3.5.1, gives 0.486).
        var test = Statistics.FisherExact(3, 1, 1, 3);
        Assert.Equal(34.0 / 70, test.PValue, 12);
        Assert.Equal(TestMethod.FisherExact, test.Method);
        Assert.True(test.IsSmallSample);
    }

    [Fact]
    public void FisherExact_Convictions_MatchesTheRDocumentation()
    {
        // R, ?fisher.test, Convictions of like-sex twins of criminals (Fleiss 1981, via Fisher 1962): [[2, 10], [15, 3]].
        // The documented one-sided p (alternative = "less") is 0.0004652; the two-sided p adds the far tail, 0.0005367.
        var test = Statistics.FisherExact(2, 10, 15, 3);
        Assert.Equal(0.0005367, test.PValue, 7);
    }

    [Fact]
    public void IndependenceTest_LargeExpectedCounts_IsTheChiSquareTest()
    {
        // Agresti (2007), Table 2.1 via R's chisq.test documentation: gender × party, X² = 30.07, df 2.
        long[][] table = [[762, 327, 468], [484, 239, 477]];
        var test = Statistics.IndependenceTest(table);

        Assert.Equal(Statistics.ChiSquareIndependence(table), test);
        Assert.Equal(TestMethod.ChiSquare, test.Method);
        Assert.False(test.IsSmallSample);
        Assert.Equal((0, 6), (test.SmallExpectedCells, test.Cells));
    }

    [Fact]
    public void IndependenceTest_SmallTwoByTwo_IsFishersExactTest()
    {
        var test = Statistics.IndependenceTest([[3, 1], [1, 3]]);
        Assert.Equal(Statistics.FisherExact(3, 1, 1, 3), test);
        Assert.Equal((4, 4), (test.SmallExpectedCells, test.Cells));
    }

    [Fact]
    public void IndependenceTest_SmallLargerTable_IsAReproducibleMonteCarloTestWithItsSeed()
    {
        // Three segments of 3–5 leads next to two large ones (the shape of issue 23's export).
        long[][] table = [[40, 160], [30, 170], [3, 1], [2, 3], [4, 1]];
        var test = Statistics.IndependenceTest(table);
        var again = Statistics.IndependenceTest(table);
        var otherSeed = Statistics.IndependenceTest(table, seed: 7);

        Assert.Equal(TestMethod.MonteCarloPermutation, test.Method);
        Assert.Equal((Statistics.DefaultSeed, Statistics.DefaultIterations), (test.Seed!.Value, test.Iterations));
        Assert.True(test.IsSmallSample);
        Assert.Equal(6, test.SmallExpectedCells);
        Assert.Equal(test, again);
        Assert.Equal(7, otherSeed.Seed);
        Assert.InRange(otherSeed.PValue - test.PValue, -0.02, 0.02);
        Assert.Contains("Monte-Carlo permutation test, 10000 tables, seed 20231", test.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CochranRule_EightyPercentBoundary_IsRespected()
    {
        // 8 of 10 cells (80%) with expected counts ≥ 5 and none below 1: chi-square.
        long[][] ok = [[20, 20], [20, 20], [20, 20], [20, 20], [3, 3]];
        Assert.Equal(TestMethod.ChiSquare, Statistics.IndependenceTest(ok).Method);

        // An expected count below 1 fails the rule even when 80% are large.
        long[][] tiny = [[50, 50], [50, 50], [50, 50], [50, 50], [1, 0]];
        Assert.True(Statistics.IndependenceTest(tiny).IsSmallSample);
    }

    [Fact]
    public void CompareProportions_SmallGroups_KeepTheSignOfZAndUseFisher()
    {
        var test = Statistics.CompareProportions(3, 4, 1, 4);
        Assert.True(test.Statistic > 0);
        Assert.Equal(Statistics.FisherExact(3, 1, 1, 3).PValue, test.PValue, 12);
        Assert.Equal(TestMethod.FisherExact, test.Method);

        var large = Statistics.CompareProportions(300, 400, 100, 400);
        Assert.Equal(Statistics.TwoProportionZTest(300, 400, 100, 400).PValue, large.PValue);
        Assert.Equal(TestMethod.ZTest, large.Method);
    }

    [Property(MaxTest = 200)]
    public bool PValues_AreInTheUnitInterval(byte a, byte b, byte c, byte d, byte e, byte f)
    {
        long[][] table = [[a % 13, b % 13], [c % 13, d % 13], [e % 13, f % 13]];
        var tests = new[]
        {
            Statistics.IndependenceTest(table, iterations: 200),
            Statistics.MonteCarloIndependence(table, iterations: 200),
            Statistics.ChiSquareIndependence(table),
            Statistics.FisherExact(table[0][0], table[0][1], table[1][0], table[1][1]),
        };
        return tests.All(t => t.PValue is >= 0 and <= 1);
    }

    [Property(MaxTest = 40)]
    public bool FisherExact_EqualsTheSumOverEveryTableNoMoreProbable(byte a, byte b, byte c, byte d)
    {
        long[][] table = [[a % 9, b % 9], [c % 9, d % 9]];
        var exact = ExactPermutation.PValue(table, byProbability: true);
        var fisher = Statistics.FisherExact(table[0][0], table[0][1], table[1][0], table[1][1]);
        return Math.Abs(exact - fisher.PValue) < 1e-9;
    }

    [Property(MaxTest = 25)]
    public bool MonteCarlo_ConvergesToTheExactPermutationPValue(byte a, byte b, byte c, byte d, byte e, byte f)
    {
        // Small 3 × 2 tables: every table with the observed margins is enumerated for the exact p-value (X² ordering).
        long[][] table = [[a % 7, b % 7], [c % 7, d % 7], [e % 7, f % 7]];
        const int iterations = 20_000;
        var exact = Math.Clamp(ExactPermutation.PValue(table, byProbability: false), 0, 1);
        var simulated = Statistics.MonteCarloIndependence(table, iterations: iterations).PValue;

        // Within 4.5 standard errors of the binomial estimate, plus the (1 + k) / (B + 1) offset.
        var tolerance = (4.5 * Math.Sqrt(exact * (1 - exact) / iterations)) + (2.0 / iterations);
        Assert.True(Math.Abs(simulated - exact) <= tolerance, $"exact {exact}, simulated {simulated}");
        return true;
    }

    /// <summary>The exact permutation p-value by enumerating every table with the observed margins (small tables only).</summary>
    private static class ExactPermutation
    {
        public static double PValue(long[][] table, bool byProbability)
        {
            var rows = table.Where(r => r.Sum() > 0).ToArray();
            var columns = Enumerable.Range(0, table[0].Length).Where(c => table.Sum(r => r[c]) > 0).ToArray();
            if (rows.Length < 2 || columns.Length < 2)
            {
                return 1;
            }

            var t = rows.Select(r => columns.Select(c => r[c]).ToArray()).ToArray();
            var rowSums = t.Select(r => r.Sum()).ToArray();
            var columnSums = Enumerable.Range(0, columns.Length).Select(c => t.Sum(r => r[c])).ToArray();
            var observedX2 = X2(t);
            var observedP = Probability(t, rowSums, columnSums);
            var p = 0.0;
            foreach (var candidate in Tables(rowSums, columnSums))
            {
                var probability = Probability(candidate, rowSums, columnSums);
                var counts = byProbability ? probability <= observedP * (1 + 1e-7) : X2(candidate) >= observedX2 * (1 - 1e-12);
                p += counts ? probability : 0;
            }

            return p;
        }

        private static IEnumerable<long[][]> Tables(long[] rowSums, long[] columnSums)
        {
            var r = rowSums.Length;
            var c = columnSums.Length;
            var cells = new long[r][];
            for (var i = 0; i < r; i++)
            {
                cells[i] = new long[c];
            }

            return Fill(0, 0, [.. columnSums], rowSums[0]);

            IEnumerable<long[][]> Fill(int row, int column, long[] remaining, long need)
            {
                if (row == r - 1)
                {
                    yield return [.. cells.Take(r - 1).Select(x => x.ToArray()), [.. remaining]];
                    yield break;
                }

                if (column == c - 1)
                {
                    if (need > remaining[column])
                    {
                        yield break;
                    }

                    cells[row][column] = need;
                    remaining[column] -= need;
                    foreach (var table in Fill(row + 1, 0, remaining, row + 1 < r ? rowSums[row + 1] : 0))
                    {
                        yield return table;
                    }

                    remaining[column] += need;
                    yield break;
                }

                for (var x = 0L; x <= Math.Min(need, remaining[column]); x++)
                {
                    cells[row][column] = x;
                    remaining[column] -= x;
                    foreach (var table in Fill(row, column + 1, remaining, need - x))
                    {
                        yield return table;
                    }

                    remaining[column] += x;
                }
            }
        }

        private static double Probability(long[][] t, long[] rowSums, long[] columnSums)
        {
            var log = rowSums.Sum(LogFactorial) + columnSums.Sum(LogFactorial) - LogFactorial(rowSums.Sum()) - t.Sum(r => r.Sum(LogFactorial));
            return Math.Exp(log);
        }

        private static double LogFactorial(long n)
        {
            var sum = 0.0;
            for (var k = 2; k <= n; k++)
            {
                sum += Math.Log(k);
            }

            return sum;
        }

        private static double X2(long[][] t)
        {
            var rowSums = t.Select(r => (double)r.Sum()).ToArray();
            var columnSums = Enumerable.Range(0, t[0].Length).Select(c => (double)t.Sum(r => r[c])).ToArray();
            var total = rowSums.Sum();
            var x2 = 0.0;
            for (var i = 0; i < t.Length; i++)
            {
                for (var j = 0; j < t[0].Length; j++)
                {
                    var expected = rowSums[i] * columnSums[j] / total;
                    x2 += expected == 0 ? 0 : (t[i][j] - expected) * (t[i][j] - expected) / expected;
                }
            }

            return x2;
        }
    }
}
