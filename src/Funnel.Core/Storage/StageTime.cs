namespace Funnel.Core.Storage;

/// <summary>
/// How long entities stayed in one stage: the number of stays, their total and their exact lower median, in whole
/// seconds. A stay is the time between an event at the stage and the entity's next event.
/// </summary>
/// <remarks>The <see langword="default"/> value means no stays (every field 0). Immutable and thread-safe.</remarks>
public readonly struct StageTime : IEquatable<StageTime>
{
    /// <summary>Creates a value.</summary>
    /// <param name="count">The number of stays; not negative.</param>
    /// <param name="totalSeconds">The sum of the stays.</param>
    /// <param name="medianSeconds">The lower median: the element at index <c>(count-1)/2</c> of the sorted stays; 0 when there are none.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public StageTime(long count, long totalSeconds, long medianSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        TotalSeconds = totalSeconds;
        MedianSeconds = medianSeconds;
    }

    /// <summary>Gets the number of stays.</summary>
    public long Count { get; }

    /// <summary>Gets the sum of the stays, in seconds.</summary>
    public long TotalSeconds { get; }

    /// <summary>Gets the lower median stay, in seconds; 0 when there are none.</summary>
    public long MedianSeconds { get; }

    /// <summary>Gets the mean stay in seconds (total / count); 0 when there are none.</summary>
    public double MeanSeconds => Count == 0 ? 0 : (double)TotalSeconds / Count;

    /// <summary>Compares two values.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(StageTime left, StageTime right) => left.Equals(right);

    /// <summary>Compares two values.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when different.</returns>
    public static bool operator !=(StageTime left, StageTime right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(StageTime other) => Count == other.Count && TotalSeconds == other.TotalSeconds && MedianSeconds == other.MedianSeconds;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StageTime other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Count, TotalSeconds, MedianSeconds);

    /// <summary>Returns the values as text.</summary>
    /// <returns>A text such as <c>n=3 total=360s median=100s</c>.</returns>
    public override string ToString() => FormattableString.Invariant($"n={Count} total={TotalSeconds}s median={MedianSeconds}s");
}
