namespace Funnel.Core.Metrics;

/// <summary>A two-sided confidence interval for a proportion, with the level it was computed at.</summary>
/// <remarks>
/// <para>The <see langword="default"/> value is the empty interval [0, 0] at level 0 (no data). This type is an
/// immutable value and is thread-safe.</para>
/// </remarks>
public readonly struct ConfidenceInterval : IEquatable<ConfidenceInterval>
{
    /// <summary>Creates an interval.</summary>
    /// <param name="lower">The lower bound.</param>
    /// <param name="upper">The upper bound; not below <paramref name="lower"/>.</param>
    /// <param name="level">The confidence level in (0, 1), such as 0.95.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not a number, the upper bound is below the lower, or the level is outside (0, 1).</exception>
    public ConfidenceInterval(double lower, double upper, double level)
    {
        if (double.IsNaN(lower) || double.IsNaN(upper) || upper < lower)
        {
            throw new ArgumentOutOfRangeException(nameof(upper), upper, "The bounds must be numbers with lower <= upper.");
        }

        Guard.Against.OutsideOpenUnitInterval(level, "The confidence level must lie strictly between 0 and 1.");

        Lower = lower;
        Upper = upper;
        Level = level;
    }

    /// <summary>Gets the lower bound.</summary>
    public double Lower { get; }

    /// <summary>Gets the upper bound.</summary>
    public double Upper { get; }

    /// <summary>Gets the confidence level, such as 0.95; 0 for the <see langword="default"/> value.</summary>
    public double Level { get; }

    /// <summary>Gets the width of the interval.</summary>
    public double Width => Upper - Lower;

    /// <summary>Compares two intervals for equality.</summary>
    /// <param name="left">The first interval.</param>
    /// <param name="right">The second interval.</param>
    /// <returns><see langword="true"/> when bounds and level are equal.</returns>
    public static bool operator ==(ConfidenceInterval left, ConfidenceInterval right) => left.Equals(right);

    /// <summary>Compares two intervals for inequality.</summary>
    /// <param name="left">The first interval.</param>
    /// <param name="right">The second interval.</param>
    /// <returns><see langword="true"/> when a bound or the level differs.</returns>
    public static bool operator !=(ConfidenceInterval left, ConfidenceInterval right) => !left.Equals(right);

    /// <summary>Tells whether a value lies inside the interval (bounds included).</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when <c>Lower &lt;= value &lt;= Upper</c>.</returns>
    public bool Contains(double value) => value >= Lower && value <= Upper;

    /// <inheritdoc />
    public bool Equals(ConfidenceInterval other) =>
        Lower.Equals(other.Lower) && Upper.Equals(other.Upper) && Level.Equals(other.Level);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ConfidenceInterval other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Lower, Upper, Level);

    /// <summary>Returns the interval as text.</summary>
    /// <returns>A text such as <c>[0.2553, 0.3662] (95%)</c>.</returns>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{Lower:0.####}, {Upper:0.####}] ({Level:P0})");
}
