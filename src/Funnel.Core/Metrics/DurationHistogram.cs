using System.Collections.Immutable;
using System.Globalization;

namespace Funnel.Core.Metrics;

/// <summary>
/// A histogram of durations in whole seconds (time to convert): adjacent bins, every value in exactly one bin, with
/// automatic bins (<see cref="Automatic"/>) or explicit edges (<see cref="WithEdges"/>). See docs/metrics.md, "Time to convert".
/// </summary>
/// <remarks>
/// <para>Automatic bins: b = min(20, ⌈log2 n⌉ + 1) bins (Sturges; 1 for n = 1, none for n = 0), of the smallest width
/// of the ladder 1 s, 5 s, 15 s, 30 s, 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 6 h, 12 h, 1 d, 2 d, 7 d, 14 d, 30 d,
/// 90 d, 365 d, then multiples of 365 d, with min + b · width &gt; max. The first bin starts at min rounded down to a
/// multiple of the width; bins are [from, from + width) up to the one holding max (so there are no trailing empty bins;
/// because of the rounding that can be b + 1 bins).</para>
/// <para>Explicit edges e_0 &lt; … &lt; e_m give the bins [e_0, e_1), …, [e_{m−1}, e_m) and [e_m, ∞), preceded by
/// (−∞, e_0) when some value lies below e_0; empty bins are kept.</para>
/// <para>Instances are immutable and thread-safe; two histograms with the same bins are equal.</para>
/// </remarks>
public sealed class DurationHistogram : IEquatable<DurationHistogram>
{
    private static readonly long[] Ladder =
    [
        1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 21600, 43200, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 90 * 86400, 365 * 86400,
    ];

    private DurationHistogram(ImmutableArray<DurationBin> bins)
    {
        Bins = bins;
        long total = 0;
        foreach (var bin in bins)
        {
            total = checked(total + bin.Count);
        }

        Total = total;
    }

    /// <summary>Gets the histogram of no values (no bins).</summary>
    public static DurationHistogram Empty { get; } = new([]);

    /// <summary>Gets the bins, in ascending order, each starting where the previous one ends.</summary>
    public ImmutableArray<DurationBin> Bins { get; }

    /// <summary>Gets the number of values (the sum of the bins' counts).</summary>
    public long Total { get; }

    /// <summary>Builds the histogram of durations with automatic bins (see the remarks).</summary>
    /// <param name="seconds">The durations in whole seconds.</param>
    /// <returns>The histogram.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="seconds"/> is <see langword="null"/>.</exception>
    public static DurationHistogram Automatic(IEnumerable<long> seconds)
    {
        Guard.Against.Null(seconds);
        var values = seconds.ToArray();
        Array.Sort(values);
        return AutomaticOfSorted(values);
    }

    /// <summary>Builds the histogram of durations with explicit bin edges (see the remarks).</summary>
    /// <param name="seconds">The durations in whole seconds.</param>
    /// <param name="edgeSeconds">The edges in seconds, strictly ascending; at least one.</param>
    /// <returns>The histogram.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="edgeSeconds"/> is empty or not strictly ascending.</exception>
    public static DurationHistogram WithEdges(IEnumerable<long> seconds, IEnumerable<long> edgeSeconds)
    {
        Guard.Against.Null(seconds);
        Guard.Against.Null(edgeSeconds);
        var edges = edgeSeconds.ToArray();
        CheckEdges(edges, nameof(edgeSeconds));
        var values = seconds.ToArray();
        Array.Sort(values);
        return WithEdgesOfSorted(values, edges);
    }

    /// <summary>Restores a histogram from its bins, such as a serialized report; the bins are checked, not recomputed.</summary>
    /// <param name="bins">The bins in ascending order: each starts where the previous one ends, only the first may have an open start and only the last an open end, each is non-empty as a range and its count is not negative.</param>
    /// <returns>The histogram.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="bins"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The bins are not adjacent and ascending, or a count is negative; the message names the bin.</exception>
    public static DurationHistogram FromBins(IEnumerable<DurationBin> bins)
    {
        Guard.Against.Null(bins);
        ImmutableArray<DurationBin> list = [.. bins];
        for (var i = 0; i < list.Length; i++)
        {
            var bin = list[i];
            if (bin.Count < 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Bin {i} ({bin}) has a negative count."), nameof(bins));
            }

            if ((bin.FromSeconds is null && i > 0) || (bin.ToSeconds is null && i < list.Length - 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Bin {i} ({bin}) is open-ended but not the first (open start) or last (open end) bin."), nameof(bins));
            }

            if (bin.FromSeconds is { } from && bin.ToSeconds is { } to && to <= from)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Bin {i} ({bin}) must end after it starts."), nameof(bins));
            }

            if (i > 0 && list[i - 1].ToSeconds != bin.FromSeconds)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Bin {i} ({bin}) must start where bin {i - 1} ({list[i - 1]}) ends."), nameof(bins));
            }
        }

        return new DurationHistogram(list);
    }

    /// <inheritdoc />
    public bool Equals(DurationHistogram? other) => other is not null && Bins.SequenceEqual(other.Bins);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DurationHistogram);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var bin in Bins)
        {
            hash.Add(bin);
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns the bins as text.</summary>
    /// <returns>A text such as <c>[0, 3600): 2, [3600, 7200): 1</c>, or <c>(empty)</c>.</returns>
    public override string ToString() => Bins.IsEmpty ? "(empty)" : string.Join(", ", Bins);

    /// <summary>The automatic histogram of values sorted ascending.</summary>
    internal static DurationHistogram AutomaticOfSorted(long[] sorted) =>
        sorted.Length == 0
            ? Empty
            : AutomaticOf(sorted.Length, sorted[0], sorted[^1], (counts, binOf) =>
            {
                foreach (var value in sorted)
                {
                    counts[binOf(value)]++;
                }
            });

    /// <summary>The histogram with automatic bins of the samples of a report, counted where they lie (no sorted copy).</summary>
    internal static DurationHistogram AutomaticOf(DurationSamples samples)
    {
        if (samples.Count == 0)
        {
            return Empty;
        }

        var (min, max) = samples.Range();
        return AutomaticOf(samples.Count, min, max, samples.CountInto);
    }

    /// <summary>The automatic bins of <paramref name="n"/> values from <paramref name="min"/> to <paramref name="max"/>; <paramref name="count"/> adds each value to its bin.</summary>
    private static DurationHistogram AutomaticOf(long n, long min, long max, Action<long[], Func<long, int>> count)
    {
        var b = n <= 1 ? 1 : Math.Min(20, 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(n - 1)) + 1);
        var width = 0L;
        foreach (var w in Ladder)
        {
            if ((Int128)min + ((Int128)b * w) > max)
            {
                width = w;
                break;
            }
        }

        if (width == 0)
        {
            // Multiples of 365 days: the smallest m ≥ 2 with min + b · m · year > max.
            const long Year = 365 * 86400L;
            var m = Int128.Max(2, (((Int128)max - min) / ((Int128)b * Year)) + 1);
            width = (long)(m * Year);
        }

        var from = FloorTo(min, width);
        var binCount = (int)((((Int128)max - from) / width) + 1);
        var counts = new long[binCount];
        count(counts, value => (int)(((Int128)value - from) / width));

        var bins = ImmutableArray.CreateBuilder<DurationBin>(binCount);
        for (var i = 0; i < binCount; i++)
        {
            var start = from + (i * width);
            bins.Add(new DurationBin(start, start + width, counts[i]));
        }

        return new DurationHistogram(bins.MoveToImmutable());
    }

    /// <summary>The histogram of values sorted ascending over checked edges.</summary>
    internal static DurationHistogram WithEdgesOfSorted(long[] sorted, long[] edges) =>
        WithEdgesOf(edges, (counts, binOf) =>
        {
            foreach (var value in sorted)
            {
                counts[binOf(value)]++;
            }
        });

    /// <summary>The histogram over checked edges of the samples of a report, counted where they lie (no sorted copy).</summary>
    internal static DurationHistogram WithEdgesOf(DurationSamples samples, long[] edges) => WithEdgesOf(edges, samples.CountInto);

    /// <summary>The histogram over checked edges; <paramref name="count"/> adds each value to its bin: 0 below the first edge, else 1 + the last edge at or below it.</summary>
    private static DurationHistogram WithEdgesOf(long[] edges, Action<long[], Func<long, int>> count)
    {
        var counts = new long[edges.Length + 1];
        count(counts, value =>
        {
            // The number of edges at or below the value.
            var index = Array.BinarySearch(edges, value);
            return index >= 0 ? index + 1 : ~index;
        });

        var bins = ImmutableArray.CreateBuilder<DurationBin>(edges.Length + 1);
        if (counts[0] > 0)
        {
            bins.Add(new DurationBin(null, edges[0], counts[0]));
        }

        for (var e = 0; e < edges.Length; e++)
        {
            bins.Add(new DurationBin(edges[e], e + 1 < edges.Length ? edges[e + 1] : null, counts[e + 1]));
        }

        return new DurationHistogram(bins.ToImmutable());
    }

    internal static void CheckEdges(long[] edges, string name)
    {
        if (edges.Length == 0)
        {
            throw new ArgumentException("At least one bin edge is needed.", name);
        }

        for (var i = 1; i < edges.Length; i++)
        {
            if (edges[i] <= edges[i - 1])
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The bin edges must be strictly ascending: edge {i} ({edges[i]} s) is not after edge {i - 1} ({edges[i - 1]} s)."), name);
            }
        }
    }

    private static long FloorTo(long value, long width)
    {
        var q = value / width;
        if (value % width != 0 && value < 0)
        {
            q--;
        }

        return q * width;
    }
}
