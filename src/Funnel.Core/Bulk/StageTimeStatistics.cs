using System.Globalization;

using Funnel.Core.Metrics;

namespace Funnel.Core.Bulk;

/// <summary>
/// Time in one stage: the number of stays, their total and exact lower and upper medians in whole seconds. A stay is the time from
/// an event of an entity in the stage to the entity's next event. The total is a 128-bit integer, so that it stays
/// exact however many long stays are summed (a 64-bit sum overflows past about 2.9 × 10^11 years of stays).
/// </summary>
/// <remarks>
/// The <see langword="default"/> value describes stage 0 with no stays. This type is an immutable value and is thread-safe.
/// </remarks>
public readonly struct StageTimeStatistics : IEquatable<StageTimeStatistics>
{
    /// <summary>Creates statistics.</summary>
    /// <param name="stage">The stage ordinal.</param>
    /// <param name="count">The number of stays.</param>
    /// <param name="totalSeconds">The sum of the stays in seconds.</param>
    /// <param name="medianSeconds">The lower median in seconds; ignored (0) when <paramref name="count"/> is 0.</param>
    /// <remarks>The upper median (<see cref="UpperMedianSeconds"/>) is set to the lower one; use the overload with both when they differ.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative.</exception>
    public StageTimeStatistics(int stage, long count, Int128 totalSeconds, long medianSeconds)
        : this(stage, count, totalSeconds, medianSeconds, medianSeconds)
    {
    }

    /// <summary>Creates statistics with both medians.</summary>
    /// <param name="stage">The stage ordinal.</param>
    /// <param name="count">The number of stays.</param>
    /// <param name="totalSeconds">The sum of the stays in seconds.</param>
    /// <param name="medianSeconds">The lower median in seconds (element ⌊(n − 1)/2⌋); ignored (0) when <paramref name="count"/> is 0.</param>
    /// <param name="upperMedianSeconds">The upper median in seconds (element ⌊n/2⌋); ignored (0) when <paramref name="count"/> is 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative, or the upper median is below the lower one.</exception>
    public StageTimeStatistics(int stage, long count, Int128 totalSeconds, long medianSeconds, long upperMedianSeconds)
    {
        Guard.Against.NegativeNumber(stage);
        Guard.Against.NegativeNumber(count);
        if (totalSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(totalSeconds), totalSeconds, "A total of durations cannot be negative.");
        }

        Guard.Against.NegativeNumber(medianSeconds);
        Guard.Against.LessThan(upperMedianSeconds, medianSeconds);
        Stage = stage;
        Count = count;
        TotalSeconds = totalSeconds;
        MedianSeconds = count == 0 ? 0 : medianSeconds;
        UpperMedianSeconds = count == 0 ? 0 : upperMedianSeconds;
    }

    /// <summary>Gets the stage ordinal.</summary>
    public int Stage { get; }

    /// <summary>Gets the number of stays.</summary>
    public long Count { get; }

    /// <summary>Gets the sum of the stays in seconds.</summary>
    public Int128 TotalSeconds { get; }

    /// <summary>Gets the exact lower median in seconds (the element at index (Count-1)/2 of the sorted durations); 0 when there is no stay.</summary>
    public long MedianSeconds { get; }

    /// <summary>Gets the exact upper median in seconds (the element at index Count/2 of the sorted durations; equal to <see cref="MedianSeconds"/> for an odd count); 0 when there is no stay.</summary>
    public long UpperMedianSeconds { get; }

    /// <summary>Returns the median of the given kind in seconds: <see cref="MedianKind.Lower"/> is <see cref="MedianSeconds"/>, <see cref="MedianKind.Interpolated"/> the mean of the lower and upper medians (may end in .5).</summary>
    /// <param name="kind">The median.</param>
    /// <returns>The median in seconds; 0 when there is no stay.</returns>
    public double MedianSecondsOf(MedianKind kind) =>
        kind == MedianKind.Interpolated ? (MedianSeconds / 2.0) + (UpperMedianSeconds / 2.0) : MedianSeconds;

    /// <summary>Gets the mean in seconds (<see cref="TotalSeconds"/> / <see cref="Count"/>); 0 when there is no stay.</summary>
    public double MeanSeconds => Count == 0 ? 0 : (double)TotalSeconds / Count;

    /// <summary>Compares two values for equality.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when all fields are equal.</returns>
    public static bool operator ==(StageTimeStatistics left, StageTimeStatistics right) => left.Equals(right);

    /// <summary>Compares two values for inequality.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when a field differs.</returns>
    public static bool operator !=(StageTimeStatistics left, StageTimeStatistics right) => !left.Equals(right);

    /// <inheritdoc />
    /// <remarks>
    /// Compares the stage, count, total and lower median, not <see cref="UpperMedianSeconds"/>: the SQL push-downs
    /// and <see cref="TransitionReport.Create"/> know only the lower median (they set the upper one to it), and their
    /// reports must stay equal to the engine's.
    /// </remarks>
    public bool Equals(StageTimeStatistics other) =>
        Stage == other.Stage && Count == other.Count && TotalSeconds == other.TotalSeconds && MedianSeconds == other.MedianSeconds;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StageTimeStatistics other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Stage, Count, TotalSeconds, MedianSeconds);

    /// <summary>Returns the statistics as text.</summary>
    /// <returns>A text such as <c>stage 1: 10 stays, total 3600 s, median 300 s</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"stage {Stage}: {Count} stays, total {TotalSeconds} s, median {MedianSeconds} s{(UpperMedianSeconds != MedianSeconds ? $" (upper {UpperMedianSeconds} s)" : string.Empty)}");
}
