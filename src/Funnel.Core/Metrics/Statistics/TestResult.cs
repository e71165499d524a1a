namespace Funnel.Core.Metrics;

/// <summary>
/// The outcome of a significance test: the statistic, its degrees of freedom, the p-value, the method that produced
/// the p-value and whether the expected counts were too small for the chi-square approximation.
/// </summary>
/// <remarks>
/// <para>The <see langword="default"/> value has statistic 0, 0 degrees of freedom and p-value 0 and means "no
/// test". This type is an immutable value and is thread-safe.</para>
/// </remarks>
public readonly struct TestResult : IEquatable<TestResult>
{
    /// <summary>Creates a test result.</summary>
    /// <param name="statistic">The test statistic (z or chi-square).</param>
    /// <param name="degreesOfFreedom">The degrees of freedom; 0 for a z-test.</param>
    /// <param name="pValue">The p-value in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">The p-value is outside [0, 1] or the degrees of freedom are negative.</exception>
    public TestResult(double statistic, int degreesOfFreedom, double pValue)
        : this(statistic, degreesOfFreedom, pValue, TestMethod.Unspecified)
    {
    }

    /// <summary>Creates a test result that says how it was computed.</summary>
    /// <param name="statistic">The test statistic: z for a z-test, X² otherwise (for an exact or permutation test, the observed X², for reference).</param>
    /// <param name="degreesOfFreedom">The degrees of freedom of the table; 0 for a z-test.</param>
    /// <param name="pValue">The p-value in [0, 1].</param>
    /// <param name="method">The method that produced the p-value.</param>
    /// <param name="smallExpectedCells">The cells whose expected count is below 5; not negative.</param>
    /// <param name="cells">The cells of the table tested (rows and columns with a zero total left out); not negative.</param>
    /// <param name="isSmallSample">Whether the expected counts fail Cochran's rule (see <see cref="IsSmallSample"/>).</param>
    /// <param name="seed">The seed of a Monte-Carlo test, or <see langword="null"/>.</param>
    /// <param name="iterations">The random tables of a Monte-Carlo test; 0 otherwise; not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">The p-value is outside [0, 1], or a count is negative.</exception>
    public TestResult(double statistic, int degreesOfFreedom, double pValue, TestMethod method, int smallExpectedCells = 0, int cells = 0, bool isSmallSample = false, int? seed = null, int iterations = 0)
    {
        Guard.Against.NegativeNumber(smallExpectedCells);
        Guard.Against.NegativeNumber(cells);
        Guard.Against.NegativeNumber(iterations);
        Guard.Against.NegativeNumber(degreesOfFreedom);
        if (!(pValue >= 0 && pValue <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pValue), pValue, "A p-value lies in [0, 1].");
        }

        Statistic = statistic;
        DegreesOfFreedom = degreesOfFreedom;
        PValue = pValue;
        Method = method;
        SmallExpectedCells = smallExpectedCells;
        Cells = cells;
        IsSmallSample = isSmallSample;
        Seed = seed;
        Iterations = iterations;
    }

    /// <summary>Gets the test statistic: z for a z-test, X² for a chi-square test.</summary>
    public double Statistic { get; }

    /// <summary>Gets the degrees of freedom of a chi-square test; 0 for a z-test.</summary>
    public int DegreesOfFreedom { get; }

    /// <summary>Gets the (two-sided) p-value.</summary>
    public double PValue { get; }

    /// <summary>Gets the method that produced the p-value.</summary>
    public TestMethod Method { get; }

    /// <summary>Gets the number of cells of the tested table whose expected count is below 5.</summary>
    public int SmallExpectedCells { get; }

    /// <summary>Gets the number of cells of the tested table (rows and columns with a zero total left out).</summary>
    public int Cells { get; }

    /// <summary>
    /// Gets a value indicating whether the table's expected counts fail Cochran's rule (fewer than 80% of the cells with
    /// an expected count of at least 5, or a cell below 1): the chi-square approximation is not trusted there, and the
    /// p-value comes from an exact or permutation test instead (<see cref="Method"/>). A report should flag the result.
    /// </summary>
    public bool IsSmallSample { get; }

    /// <summary>Gets the seed of a Monte-Carlo permutation test (the same seed gives the same p-value), or <see langword="null"/>.</summary>
    public int? Seed { get; }

    /// <summary>Gets the number of random tables of a Monte-Carlo permutation test; 0 for other methods.</summary>
    public int Iterations { get; }

    /// <summary>Compares two results for equality.</summary>
    /// <param name="left">The first result.</param>
    /// <param name="right">The second result.</param>
    /// <returns><see langword="true"/> when all values are equal.</returns>
    public static bool operator ==(TestResult left, TestResult right) => left.Equals(right);

    /// <summary>Compares two results for inequality.</summary>
    /// <param name="left">The first result.</param>
    /// <param name="right">The second result.</param>
    /// <returns><see langword="true"/> when a value differs.</returns>
    public static bool operator !=(TestResult left, TestResult right) => !left.Equals(right);

    /// <summary>Tells whether the result is significant at a level.</summary>
    /// <param name="alpha">The significance level in (0, 1); 0.05 when omitted.</param>
    /// <returns><see langword="true"/> when <see cref="PValue"/> &lt; <paramref name="alpha"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is outside (0, 1).</exception>
    public bool IsSignificant(double alpha = 0.05)
    {
        Guard.Against.OutsideOpenUnitInterval(alpha, "The significance level must lie strictly between 0 and 1.");

        return PValue < alpha;
    }

    /// <inheritdoc />
    public bool Equals(TestResult other) =>
        Statistic.Equals(other.Statistic) && DegreesOfFreedom == other.DegreesOfFreedom && PValue.Equals(other.PValue)
        && Method == other.Method && SmallExpectedCells == other.SmallExpectedCells && Cells == other.Cells
        && IsSmallSample == other.IsSmallSample && Seed == other.Seed && Iterations == other.Iterations;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TestResult other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Statistic, DegreesOfFreedom, PValue, Method, SmallExpectedCells, IsSmallSample, Seed, Iterations);

    /// <summary>Returns the result as text.</summary>
    /// <returns>A text such as <c>statistic 30.07, df 2, p 2.954E-07</c>, with the method and the small-sample flag when known.</returns>
    public override string ToString() =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"statistic {Statistic:G6}, df {DegreesOfFreedom}, p {PValue:G4}{Method switch
            {
                TestMethod.ZTest => " (z-test)",
                TestMethod.ChiSquare => " (chi-square)",
                TestMethod.FisherExact => " (Fisher's exact test)",
                TestMethod.MonteCarloPermutation => $" (Monte-Carlo permutation test, {Iterations} tables, seed {Seed})",
                _ => "",
            }}{(IsSmallSample ? $", small sample: {SmallExpectedCells} of {Cells} expected counts below 5" : "")}");
}
