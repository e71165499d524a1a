namespace Funnel.Core.Metrics;

/// <summary>The outcome of a significance test: the statistic, its degrees of freedom and the p-value.</summary>
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
    {
        ArgumentOutOfRangeException.ThrowIfNegative(degreesOfFreedom);
        if (!(pValue >= 0 && pValue <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pValue), pValue, "A p-value lies in [0, 1].");
        }

        Statistic = statistic;
        DegreesOfFreedom = degreesOfFreedom;
        PValue = pValue;
    }

    /// <summary>Gets the test statistic: z for a z-test, X² for a chi-square test.</summary>
    public double Statistic { get; }

    /// <summary>Gets the degrees of freedom of a chi-square test; 0 for a z-test.</summary>
    public int DegreesOfFreedom { get; }

    /// <summary>Gets the (two-sided) p-value.</summary>
    public double PValue { get; }

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
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The significance level must lie strictly between 0 and 1.");
        }

        return PValue < alpha;
    }

    /// <inheritdoc />
    public bool Equals(TestResult other) =>
        Statistic.Equals(other.Statistic) && DegreesOfFreedom == other.DegreesOfFreedom && PValue.Equals(other.PValue);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TestResult other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Statistic, DegreesOfFreedom, PValue);

    /// <summary>Returns the result as text.</summary>
    /// <returns>A text such as <c>statistic 30.07, df 2, p 2.954E-07</c>.</returns>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"statistic {Statistic:G6}, df {DegreesOfFreedom}, p {PValue:G4}");
}
