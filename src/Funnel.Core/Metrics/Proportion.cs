using System.Globalization;

namespace Funnel.Core.Metrics;

/// <summary>
/// A rate with its evidence: successes out of trials, the rate, its Wilson score interval and a flag when it rests
/// on fewer trials than the query's minimum sample (so it is not presented as fact).
/// </summary>
/// <remarks>
/// <para>With 0 trials the <see cref="Value"/> is 0, the interval is [0, 1] and <see cref="HasData"/> is
/// <see langword="false"/>. The <see langword="default"/> value is 0 of 0 with the default interval (level 0). This type is an
/// immutable value and is thread-safe.</para>
/// </remarks>
public readonly struct Proportion : IEquatable<Proportion>
{
    /// <summary>Creates a proportion with its Wilson interval.</summary>
    /// <param name="successes">The successes; 0 ≤ successes ≤ trials.</param>
    /// <param name="trials">The trials; not negative.</param>
    /// <param name="level">The confidence level in (0, 1); 0.95 when omitted.</param>
    /// <param name="minimumSample">The trials below which <see cref="IsSmallSample"/> is set; 30 when omitted.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, successes exceed trials, the level is outside (0, 1), or the minimum is negative.</exception>
    public Proportion(long successes, long trials, double level = 0.95, int minimumSample = 30)
    {
        Guard.Against.NegativeNumber(minimumSample);
        Interval = Statistics.Wilson(successes, trials, level);
        Successes = successes;
        Trials = trials;
        IsSmallSample = trials < minimumSample;
    }

    /// <summary>Gets the successes (leads that converted).</summary>
    public long Successes { get; }

    /// <summary>Gets the trials (leads that could convert).</summary>
    public long Trials { get; }

    /// <summary>Gets a value indicating whether there is at least one trial.</summary>
    public bool HasData => Trials > 0;

    /// <summary>Gets the rate successes / trials in [0, 1]; 0 without trials.</summary>
    public double Value => Trials == 0 ? 0 : (double)Successes / Trials;

    /// <summary>Gets the Wilson score interval at the query's confidence level.</summary>
    public ConfidenceInterval Interval { get; }

    /// <summary>Gets a value indicating whether the rate rests on fewer trials than the minimum sample and should not be taken as fact.</summary>
    public bool IsSmallSample { get; }

    /// <summary>Compares two proportions for equality.</summary>
    /// <param name="left">The first proportion.</param>
    /// <param name="right">The second proportion.</param>
    /// <returns><see langword="true"/> when all values are equal.</returns>
    public static bool operator ==(Proportion left, Proportion right) => left.Equals(right);

    /// <summary>Compares two proportions for inequality.</summary>
    /// <param name="left">The first proportion.</param>
    /// <param name="right">The second proportion.</param>
    /// <returns><see langword="true"/> when a value differs.</returns>
    public static bool operator !=(Proportion left, Proportion right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(Proportion other) =>
        Successes == other.Successes && Trials == other.Trials && Interval == other.Interval && IsSmallSample == other.IsSmallSample;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Proportion other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Successes, Trials, Interval, IsSmallSample);

    /// <summary>Returns the proportion as text.</summary>
    /// <returns>A text such as <c>12/40 = 30.0% [17.9%, 45.8%]</c>, with <c>(small sample)</c> when flagged.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Successes}/{Trials} = {Value:P1} [{Interval.Lower:P1}, {Interval.Upper:P1}]{(IsSmallSample ? " (small sample)" : "")}");
}
