using Funnel.Core.Metrics;

namespace Funnel.Core.Tests.Metrics;

/// <summary>The statistics checked against published values; each value names its source.</summary>
public sealed class StatisticsTests
{
    [Theory]
    // R: qnorm(0.975) = 1.959963984540054, qnorm(0.995) = 2.575829303548901, qnorm(0.95) = 1.644853626951472,
    // qnorm(0.5) = 0, qnorm(1e-10) = -6.361340902404056 (R 4.x, print(digits = 16)); the same values are tabulated in
    // Abramowitz & Stegun, Table 26.5 (percentage points of the normal distribution) to the digits it gives.
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.995, 2.575829303548901)]
    [InlineData(0.95, 1.644853626951472)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.025, -1.959963984540054)]
    [InlineData(1e-10, -6.361340902404056)]
    public void NormalQuantile_PublishedValues_Match(double p, double expected)
    {
        Assert.Equal(expected, Statistics.NormalQuantile(p), 12);
    }

    [Theory]
    // Φ(1.96) = 0.9750021048517795, Φ(-3) = 0.0013498980316301, Φ(1) = 0.8413447460685429 (R pnorm, A&S Table 26.1).
    [InlineData(1.96, 0.9750021048517795)]
    [InlineData(-3.0, 0.0013498980316301)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(0.0, 0.5)]
    public void NormalCdf_PublishedValues_Match(double x, double expected)
    {
        Assert.Equal(expected, Statistics.NormalCdf(x), 13);
    }

    [Fact]
    public void NormalSurvival_FarTail_KeepsRelativePrecision()
    {
        // R: pnorm(10, lower.tail = FALSE) = 7.619853024160527e-24.
        var tail = Statistics.NormalSurvival(10);
        Assert.Equal(7.619853024160527e-24, tail, 7.619853024160527e-24 * 1e-9);
    }

    [Fact]
    public void NormalQuantile_RoundTripsThroughCdf()
    {
        for (var p = 0.001; p < 1; p += 0.0137)
        {
            Assert.Equal(p, Statistics.NormalCdf(Statistics.NormalQuantile(p)), 14);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void NormalQuantile_OutsideOpenUnitInterval_Throws(double p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.NormalQuantile(p));
    }

    [Theory]
    // Critical values of the chi-square distribution (NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.4,
    // upper-tail critical values): P(X² > 3.841) = 0.05 for df 1, P(X² > 5.991) = 0.05 for df 2,
    // P(X² > 11.345) = 0.01 for df 3, P(X² > 18.307) = 0.05 for df 10. Three decimals in the table, hence the tolerance.
    [InlineData(3.841, 1, 0.05)]
    [InlineData(5.991, 2, 0.05)]
    [InlineData(11.345, 3, 0.01)]
    [InlineData(18.307, 10, 0.05)]
    public void ChiSquareSurvival_NistCriticalValues_Match(double x, int df, double expected)
    {
        Assert.Equal(expected, Statistics.ChiSquareSurvival(x, df), 4);
    }

    [Fact]
    public void ChiSquareSurvival_ClosedForms_Match()
    {
        // df 2: Q = exp(-x/2); df 1: Q = erfc(sqrt(x/2)) = 2(1 − Φ(√x)).
        Assert.Equal(Math.Exp(-3.7), Statistics.ChiSquareSurvival(7.4, 2), 15);
        Assert.Equal(2 * Statistics.NormalSurvival(Math.Sqrt(6.1026)), Statistics.ChiSquareSurvival(6.1026, 1), 15);
        Assert.Equal(1, Statistics.ChiSquareSurvival(0, 4));
    }

    [Fact]
    public void LogGamma_KnownValues_Match()
    {
        Assert.Equal(Math.Log(24), Statistics.LogGamma(5), 13); // Γ(5) = 4!
        Assert.Equal(0.5 * Math.Log(Math.PI), Statistics.LogGamma(0.5), 13); // Γ(1/2) = √π
        Assert.Equal(Math.Log(Math.Sqrt(Math.PI) / 2), Statistics.LogGamma(1.5), 13);
    }

    [Theory]
    // Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion: comparison of seven methods.
    // Statistics in Medicine 17, 857–872, Table II, method 3 (Wilson score, no continuity correction), 95%:
    // 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605; 0/20 → 0.0000–0.1611; 1/29 → 0.0061–0.1718.
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Wilson_Newcombe1998_Match(long x, long n, double lower, double upper)
    {
        var interval = Statistics.Wilson(x, n);
        Assert.Equal(lower, interval.Lower, 4);
        Assert.Equal(upper, interval.Upper, 4);
        Assert.Equal(0.95, interval.Level);
    }

    [Fact]
    public void Wilson_HigherLevel_IsWider()
    {
        var narrow = Statistics.Wilson(30, 100, 0.8);
        var wide = Statistics.Wilson(30, 100, 0.99);
        Assert.True(wide.Lower < narrow.Lower && wide.Upper > narrow.Upper);
        Assert.True(narrow.Contains(0.3) && wide.Contains(0.3));
    }

    [Fact]
    public void Wilson_EdgeCases_StayInsideUnitInterval()
    {
        Assert.Equal(new ConfidenceInterval(0, 1, 0.95), Statistics.Wilson(0, 0));
        Assert.Equal(1, Statistics.Wilson(5, 5).Upper);
        Assert.Equal(0, Statistics.Wilson(0, 5).Lower);
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.Wilson(6, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.Wilson(-1, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.Wilson(1, 5, 1.0));
    }

    [Fact]
    public void TwoProportionZTest_InfluentialPointsPropTest_Match()
    {
        // https://influentialpoints.com/notes/n9rmf3.htm — R prop.test(tab1, correct = FALSE) on
        // a table whose sample estimates are "prop 1 0.4392523, prop 2 0.3046875" and whose output reads
        // "X-squared = 6.1026, df = 1, p-value = 0.01350". The page shows the estimates, not the counts: 94/214 vs 39/128
        // are the counts that give both estimates and that X² (47/107 vs 39/128 has the same estimates but X² = 4.548).
        // X² of the 2-sample test equals z².
        var result = Statistics.TwoProportionZTest(94, 214, 39, 128);
        Assert.Equal(6.1026, result.Statistic * result.Statistic, 4);
        Assert.Equal(0.01350, result.PValue, 5);
        Assert.True(result.Statistic > 0);
        Assert.True(result.IsSignificant());
        Assert.False(result.IsSignificant(0.01));
    }

    [Fact]
    public void TwoProportionZTest_AgreesWithChiSquareOnTheTwoByTwoTable()
    {
        var z = Statistics.TwoProportionZTest(94, 214, 39, 128);
        var chi = Statistics.ChiSquareHomogeneity([94, 39], [214, 128]);
        Assert.Equal(z.Statistic * z.Statistic, chi.Statistic, 10);
        Assert.Equal(z.PValue, chi.PValue, 12);
        Assert.Equal(1, chi.DegreesOfFreedom);
    }

    [Fact]
    public void TwoProportionZTest_NoVariation_IsNotSignificant()
    {
        Assert.Equal(new TestResult(0, 0, 1, TestMethod.ZTest), Statistics.TwoProportionZTest(0, 10, 0, 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.TwoProportionZTest(0, 0, 1, 2));
    }

    [Fact]
    public void ChiSquareIndependence_DataLearningCenterGuide_Match()
    {
        // https://repub.github.io/DLC_statistical_guides/docs/R/chi-sq-test — chisq.test on party × opinion
        // (138 83 64 / 64 67 84): "X-squared = 22.152, df = 2, p-value = 1.548e-05".
        var result = Statistics.ChiSquareIndependence([[138, 83, 64], [64, 67, 84]]);
        Assert.Equal(22.152, result.Statistic, 3);
        Assert.Equal(2, result.DegreesOfFreedom);
        Assert.Equal(1.548e-05, result.PValue, 8);
    }

    [Fact]
    public void ChiSquareIndependence_RChisqTestDocumentationExample_Match()
    {
        // R documentation of chisq.test (stats package), first example, from Agresti (2007), An Introduction to
        // Categorical Data Analysis, p. 39: gender × party (762 327 468 / 484 239 477) prints
        // "X-squared = 30.07, df = 2, p-value = 2.954e-07".
        var result = Statistics.ChiSquareIndependence([[762, 327, 468], [484, 239, 477]]);
        Assert.Equal(30.07, result.Statistic, 2);
        Assert.Equal(2, result.DegreesOfFreedom);
        Assert.Equal(2.954e-07, result.PValue, 10);
    }

    [Fact]
    public void ChiSquareIndependence_TutorialGenderParty_Match()
    {
        // https://tutoraspire.com/chi-square-test-of-independence-in-r/ — chisq.test on (120 90 40 / 110 95 45):
        // "X-squared = 0.86404, df = 2, p-value = 0.6492".
        var result = Statistics.ChiSquareIndependence([[120, 90, 40], [110, 95, 45]]);
        Assert.Equal(0.86404, result.Statistic, 5);
        Assert.Equal(0.6492, result.PValue, 4);
    }

    [Fact]
    public void ChiSquareHomogeneity_RPropTestSmokers_Match()
    {
        // R documentation of prop.test (stats package, example "smokers"): prop.test(smokers, patients) with
        // smokers = c(83, 90, 129, 70), patients = c(86, 93, 136, 82) prints "X-squared = 12.6, df = 3, p-value = 0.005585"
        // (no continuity correction is applied for more than two groups).
        var result = Statistics.ChiSquareHomogeneity([83, 90, 129, 70], [86, 93, 136, 82]);
        Assert.Equal(12.6, result.Statistic, 1);
        Assert.Equal(3, result.DegreesOfFreedom);
        Assert.Equal(0.005585, result.PValue, 6);
    }

    [Fact]
    public void ChiSquareIndependence_EmptyRowsAndColumns_AreLeftOut()
    {
        var full = Statistics.ChiSquareIndependence([[138, 83, 64], [64, 67, 84]]);
        var padded = Statistics.ChiSquareIndependence([[138, 0, 83, 64], [0, 0, 0, 0], [64, 0, 67, 84]]);
        Assert.Equal(full, padded);
        Assert.Equal(new TestResult(0, 0, 1), Statistics.ChiSquareIndependence([[5, 0], [7, 0]]));
    }

    [Fact]
    public void ChiSquareIndependence_BadTables_Throw()
    {
        Assert.Throws<ArgumentException>(() => Statistics.ChiSquareIndependence([[1, 2], [3]]));
        Assert.Throws<ArgumentException>(() => Statistics.ChiSquareIndependence([[1, -2], [3, 4]]));
        Assert.Throws<ArgumentException>(() => Statistics.ChiSquareHomogeneity([1], [2]));
    }
}
