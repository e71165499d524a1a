using System.Globalization;

namespace Funnel.Core.Metrics;

/// <summary>A summary of durations in whole seconds: count, total, mean, exact median and 90th percentile.</summary>
/// <remarks>
/// <para>The median is the lower median (the element at index (n − 1) / 2 of the sorted durations), the canonical
/// definition shared with the bulk engine; <see cref="UpperMedianSeconds"/> (index n / 2) is kept too, so that
/// <see cref="MedianOf"/> gives the interpolated median of <see cref="MedianKind.Interpolated"/>. The 90th percentile is the nearest-rank percentile: the element at index
/// ⌈0.9 n⌉ − 1 of the sorted durations. Both are observed values, never interpolated.</para>
/// <para>The total is a 128-bit integer, exact however many long durations are summed (a 64-bit sum would overflow
/// past 2^63 seconds, which a few million stays of a century each reach), like the bulk engine's
/// <see cref="Bulk.StageTimeStatistics.TotalSeconds"/>.</para>
/// <para>The <see langword="default"/> value is the empty summary (count 0, everything 0). This type is an immutable value
/// and is thread-safe.</para>
/// </remarks>
public readonly struct DurationSummary : IEquatable<DurationSummary>
{
    private DurationSummary(long count, Int128 totalSeconds, long medianSeconds, long upperMedianSeconds, long p90Seconds)
    {
        Count = count;
        TotalSeconds = totalSeconds;
        MedianSeconds = medianSeconds;
        UpperMedianSeconds = upperMedianSeconds;
        P90Seconds = p90Seconds;
    }

    /// <summary>Gets the number of samples.</summary>
    public long Count { get; }

    /// <summary>Gets the exact sum of the samples in seconds.</summary>
    public Int128 TotalSeconds { get; }

    /// <summary>Gets the mean in seconds (<see cref="TotalSeconds"/> / <see cref="Count"/>); 0 when empty.</summary>
    public double MeanSeconds => Count == 0 ? 0 : (double)TotalSeconds / Count;

    /// <summary>Gets the lower median in seconds; 0 when empty.</summary>
    public long MedianSeconds { get; }

    /// <summary>
    /// Gets the upper median in seconds: the element at index ⌊n / 2⌋ of the sorted durations (the same as
    /// <see cref="MedianSeconds"/> for an odd count); 0 when empty. With <see cref="MedianSeconds"/> it gives the
    /// interpolated median (<see cref="MedianSecondsOf"/>).
    /// </summary>
    public long UpperMedianSeconds { get; }

    /// <summary>Gets the nearest-rank 90th percentile in seconds; 0 when empty.</summary>
    public long P90Seconds { get; }

    /// <summary>Gets the mean as a time span.</summary>
    public TimeSpan Mean => TimeSpan.FromSeconds(MeanSeconds);

    /// <summary>Gets the lower median as a time span.</summary>
    public TimeSpan Median => TimeSpan.FromSeconds(MedianSeconds);

    /// <summary>Gets the 90th percentile as a time span.</summary>
    public TimeSpan P90 => TimeSpan.FromSeconds(P90Seconds);

    /// <summary>
    /// Returns the median of the given kind in seconds: the lower median (<see cref="MedianSeconds"/>) for
    /// <see cref="MedianKind.Lower"/>, the mean of the lower and upper medians for <see cref="MedianKind.Interpolated"/>
    /// (so {3600, 7200} gives 5400 and {1, 2} gives 1.5); 0 when empty.
    /// </summary>
    /// <param name="kind">Which median.</param>
    /// <returns>The median in seconds.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is unknown.</exception>
    public double MedianSecondsOf(MedianKind kind) => kind switch
    {
        MedianKind.Lower => MedianSeconds,
        MedianKind.Interpolated => (MedianSeconds / 2.0) + (UpperMedianSeconds / 2.0),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown MedianKind value."),
    };

    /// <summary>Returns the median of the given kind as a time span (see <see cref="MedianSecondsOf"/>).</summary>
    /// <param name="kind">Which median.</param>
    /// <returns>The median.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is unknown.</exception>
    public TimeSpan MedianOf(MedianKind kind) => TimeSpan.FromSeconds(MedianSecondsOf(kind));

    /// <summary>Compares two summaries for equality.</summary>
    /// <param name="left">The first summary.</param>
    /// <param name="right">The second summary.</param>
    /// <returns><see langword="true"/> when all values are equal.</returns>
    public static bool operator ==(DurationSummary left, DurationSummary right) => left.Equals(right);

    /// <summary>Compares two summaries for inequality.</summary>
    /// <param name="left">The first summary.</param>
    /// <param name="right">The second summary.</param>
    /// <returns><see langword="true"/> when a value differs.</returns>
    public static bool operator !=(DurationSummary left, DurationSummary right) => !left.Equals(right);

    /// <summary>Summarizes durations given in whole seconds.</summary>
    /// <param name="seconds">The samples; none negative.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="seconds"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A sample is negative.</exception>
    public static DurationSummary FromSeconds(IEnumerable<long> seconds)
    {
        Guard.Against.Null(seconds);
        var sorted = seconds.ToArray();
        if (sorted.Any(s => s < 0))
        {
            throw new ArgumentException("A duration must not be negative.", nameof(seconds));
        }

        return FromOwnedArray(sorted);
    }

    /// <inheritdoc />
    public bool Equals(DurationSummary other) =>
        Count == other.Count && TotalSeconds == other.TotalSeconds && MedianSeconds == other.MedianSeconds && UpperMedianSeconds == other.UpperMedianSeconds && P90Seconds == other.P90Seconds;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DurationSummary other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Count, TotalSeconds, MedianSeconds, UpperMedianSeconds, P90Seconds);

    /// <summary>Returns the summary as text.</summary>
    /// <returns>A text such as <c>n=3, mean 01:00:00, median 00:30:00, p90 02:00:00</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"n={Count}, mean {Mean:c}, median {Median:c}, p90 {P90:c}");

    /// <summary>
    /// Restores a summary from its aggregates, such as a stored or serialized report (<see cref="FunnelReport.Restore"/>),
    /// without the samples and without the upper median: <see cref="UpperMedianSeconds"/> is set to the lower median
    /// (exact for an odd count; for a summary saved before the upper median existed). The values are checked for
    /// consistency, not recomputed.
    /// </summary>
    /// <param name="count">The number of samples; not negative.</param>
    /// <param name="totalSeconds">The exact sum of the samples in seconds; not negative, 0 when <paramref name="count"/> is 0.</param>
    /// <param name="medianSeconds">The lower median in seconds; not negative, 0 when <paramref name="count"/> is 0.</param>
    /// <param name="p90Seconds">The nearest-rank 90th percentile in seconds; between the median and the total, 0 when <paramref name="count"/> is 0.</param>
    /// <returns>The summary; the <see langword="default"/> (empty) summary when <paramref name="count"/> is 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative, an empty summary has a non-zero value, or
    /// median ≤ 90th percentile ≤ total does not hold.</exception>
    public static DurationSummary FromAggregates(long count, Int128 totalSeconds, long medianSeconds, long p90Seconds) =>
        FromAggregates(count, totalSeconds, medianSeconds, medianSeconds, p90Seconds);

    /// <summary>
    /// Restores a summary from its aggregates, the upper median included, such as a stored or serialized report
    /// (<see cref="FunnelReport.Restore"/>), without the samples. The values are checked for consistency, not recomputed.
    /// </summary>
    /// <param name="count">The number of samples; not negative.</param>
    /// <param name="totalSeconds">The exact sum of the samples in seconds; not negative, 0 when <paramref name="count"/> is 0.</param>
    /// <param name="medianSeconds">The lower median in seconds; not negative, 0 when <paramref name="count"/> is 0.</param>
    /// <param name="upperMedianSeconds">The upper median in seconds (<see cref="UpperMedianSeconds"/>); between the lower median and the 90th percentile, equal to the lower median when <paramref name="count"/> is odd.</param>
    /// <param name="p90Seconds">The nearest-rank 90th percentile in seconds; between the upper median and the total, 0 when <paramref name="count"/> is 0.</param>
    /// <returns>The summary; the <see langword="default"/> (empty) summary when <paramref name="count"/> is 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative, an empty summary has a non-zero value,
    /// median ≤ upper median ≤ 90th percentile ≤ total does not hold, or the medians differ for an odd count.</exception>
    public static DurationSummary FromAggregates(long count, Int128 totalSeconds, long medianSeconds, long upperMedianSeconds, long p90Seconds)
    {
        Guard.Against.NegativeNumber(upperMedianSeconds);
        Guard.Against.NegativeNumber(count);
        Guard.Against.NegativeNumber(totalSeconds);
        Guard.Against.NegativeNumber(medianSeconds);
        Guard.Against.NegativeNumber(p90Seconds);
        if (count == 0)
        {
            if (totalSeconds != 0 || medianSeconds != 0 || upperMedianSeconds != 0 || p90Seconds != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(count), count, "A summary of no samples must have total, median and 90th percentile 0.");
            }

            return default;
        }

        if (medianSeconds > p90Seconds || p90Seconds > totalSeconds)
        {
            throw new ArgumentOutOfRangeException(
                nameof(p90Seconds),
                p90Seconds,
                string.Create(CultureInfo.InvariantCulture, $"The median ({medianSeconds} s), the 90th percentile ({p90Seconds} s) and the total ({totalSeconds} s) must be in ascending order."));
        }

        if (upperMedianSeconds < medianSeconds || upperMedianSeconds > p90Seconds || (count % 2 == 1 && upperMedianSeconds != medianSeconds))
        {
            throw new ArgumentOutOfRangeException(
                nameof(upperMedianSeconds),
                upperMedianSeconds,
                string.Create(CultureInfo.InvariantCulture, $"The upper median must lie between the median ({medianSeconds} s) and the 90th percentile ({p90Seconds} s), and equal the median for an odd count ({count})."));
        }

        return new DurationSummary(count, totalSeconds, medianSeconds, upperMedianSeconds, p90Seconds);
    }

    internal static DurationSummary FromOwnedArray(long[] samples)
    {
        if (samples.Length == 0)
        {
            return default;
        }

        Array.Sort(samples);
        Int128 total = 0;
        foreach (var s in samples)
        {
            total += s;
        }

        var n = samples.Length;
        return new DurationSummary(n, total, samples[LowerMedianRank(n)], samples[UpperMedianRank(n)], samples[P90Rank(n)]);
    }

    /// <summary>A summary from its order statistics, for samples that are not held in one sorted array (the ranks are <see cref="LowerMedianRank"/>, <see cref="UpperMedianRank"/> and <see cref="P90Rank"/>).</summary>
    internal static DurationSummary FromOrderStatistics(long count, Int128 totalSeconds, long medianSeconds, long upperMedianSeconds, long p90Seconds) =>
        count == 0 ? default : new DurationSummary(count, totalSeconds, medianSeconds, upperMedianSeconds, p90Seconds);

    /// <summary>The index of the lower median among <paramref name="n"/> sorted samples (n ≥ 1).</summary>
    internal static int LowerMedianRank(int n) => (n - 1) / 2;

    /// <summary>The index of the upper median among <paramref name="n"/> sorted samples (n ≥ 1).</summary>
    internal static int UpperMedianRank(int n) => n / 2;

    /// <summary>The index of the nearest-rank 90th percentile among <paramref name="n"/> sorted samples (n ≥ 1).</summary>
    internal static int P90Rank(int n) => Math.Clamp((int)Math.Ceiling(0.9 * n) - 1, 0, n - 1);
}
