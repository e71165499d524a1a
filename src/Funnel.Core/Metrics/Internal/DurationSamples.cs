using System.Buffers;

namespace Funnel.Core.Metrics;

/// <summary>
/// The duration samples (whole seconds) behind one exact median of a report, gathered in chunks of 4-byte values:
/// half the memory of a list of longs, no copy of everything when a list would double, and merging or sharing
/// another store's samples appends references to its chunks instead of copying them. Values outside 0..<see cref="uint.MaxValue"/>
/// (136 years; a negative or longer duration is possible only for odd data) are kept apart as longs.
/// </summary>
/// <remarks>
/// Appending another store (<see cref="AddFrom"/>) takes a snapshot of its chunks: the other store may go on adding
/// (it writes past the snapshot or into a new chunk), and neither store ever writes into a chunk it did not allocate.
/// Not thread-safe: one store per thread while adding; reading (<see cref="ToArray"/>) from several threads is safe.
/// </remarks>
internal sealed class DurationSamples
{
    /// <summary>The length of the first chunk; each next one is twice as long, up to <see cref="MaxChunkLength"/>.</summary>
    internal const int FirstChunkLength = 64;

    /// <summary>The longest chunk: 64 KiB, below the large object heap's threshold.</summary>
    internal const int MaxChunkLength = 1 << 14;

    // Chunks no longer written by this store (its own full ones and every chunk taken from others), with their counts.
    private readonly List<(uint[] Chunk, int Count)> _sealed = [];
    private uint[] _current = [];
    private int _currentCount;
    private List<long>? _outside;
    private long _count;

    /// <summary>Gets the number of samples.</summary>
    public long Count => _count;

    /// <summary>Adds one sample.</summary>
    /// <param name="seconds">The duration in seconds.</param>
    public void Add(long seconds)
    {
        _count++;
        if (seconds is < 0 or > uint.MaxValue)
        {
            (_outside ??= []).Add(seconds);
            return;
        }

        if (_currentCount == _current.Length)
        {
            if (_currentCount > 0)
            {
                _sealed.Add((_current, _currentCount));
            }

            _current = new uint[_current.Length == 0 ? FirstChunkLength : Math.Min(_current.Length * 2, MaxChunkLength)];
            _currentCount = 0;
        }

        _current[_currentCount++] = (uint)seconds;
    }

    /// <summary>Adds the samples another store holds now, sharing its chunks (see the remarks).</summary>
    /// <param name="other">The other store.</param>
    public void AddFrom(DurationSamples other)
    {
        _sealed.AddRange(other._sealed);
        if (other._currentCount > 0)
        {
            _sealed.Add((other._current, other._currentCount));
        }

        if (other._outside is { Count: > 0 } outside)
        {
            (_outside ??= []).AddRange(outside);
        }

        _count += other._count;
    }

    /// <summary>Copies the samples into a new array of exactly <see cref="Count"/> elements, in no particular order.</summary>
    /// <returns>The samples.</returns>
    public long[] ToArray()
    {
        var samples = GC.AllocateUninitializedArray<long>(checked((int)_count));
        var at = 0;
        foreach (var (chunk, count) in _sealed)
        {
            at = Widen(chunk.AsSpan(0, count), samples, at);
        }

        at = Widen(_current.AsSpan(0, _currentCount), samples, at);
        _outside?.CopyTo(samples, at);
        return samples;
    }

    /// <summary>
    /// The summary of the samples (count, exact total, lower and upper median, nearest-rank 90th percentile), equal to
    /// <see cref="DurationSummary.FromOwnedArray"/> of <see cref="ToArray"/> but without that copy of 8 bytes a sample and
    /// its sort: the ranks are selected where the samples lie, by a count of their high 16 bits, then of the low 16 bits
    /// inside the (at most three) buckets that hold the ranks. Two passes over the 4-byte samples and no array of their size.
    /// </summary>
    /// <returns>The summary; the empty one when there are no samples.</returns>
    public DurationSummary ToSummary()
    {
        if (_count == 0)
        {
            return default;
        }

        var n = checked((int)_count);
        Span<long> ranks = [DurationSummary.LowerMedianRank(n), DurationSummary.UpperMedianRank(n), DurationSummary.P90Rank(n)];
        Span<long> values = stackalloc long[ranks.Length];
        var total = Select(ranks, values);
        return DurationSummary.FromOrderStatistics(n, total, values[0], values[1], values[2]);
    }

    /// <summary>The smallest and the largest sample; (0, 0) when there are none.</summary>
    public (long Min, long Max) Range()
    {
        if (_count == 0)
        {
            return (0, 0);
        }

        var min = long.MaxValue;
        var max = long.MinValue;
        foreach (var chunk in Chunks())
        {
            foreach (var v in chunk.Span)
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        foreach (var v in _outside ?? [])
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return (min, max);
    }

    /// <summary>Adds one to <paramref name="counts"/>[<paramref name="binOf"/>(sample)] for every sample (the bins of a histogram).</summary>
    /// <param name="counts">The counts.</param>
    /// <param name="binOf">The bin of a sample.</param>
    public void CountInto(long[] counts, Func<long, int> binOf)
    {
        foreach (var chunk in Chunks())
        {
            foreach (var v in chunk.Span)
            {
                counts[binOf(v)]++;
            }
        }

        foreach (var v in _outside ?? [])
        {
            counts[binOf(v)]++;
        }
    }

    /// <summary>Finds the samples of the given ranks (indexes in the sorted samples, each below <see cref="Count"/>) and returns the exact sum of all samples.</summary>
    private Int128 Select(ReadOnlySpan<long> ranks, Span<long> values)
    {
        // The samples sort as: the negative longs kept apart, the 4-byte samples, the longs beyond uint.MaxValue.
        long[] outside = _outside is null ? [] : [.. _outside];
        Array.Sort(outside);
        var negative = 0;
        while (negative < outside.Length && outside[negative] < 0)
        {
            negative++;
        }

        var inside = _count - outside.Length;
        Int128 total = 0;
        foreach (var v in outside)
        {
            total += v;
        }

        const int Buckets = 1 << 16;
        var high = ArrayPool<long>.Shared.Rent(Buckets);
        var low = ArrayPool<long>.Shared.Rent(Buckets * ranks.Length);
        try
        {
            // Pass 1: the high 16 bits, and the sum (below 2^32 · 2^31, so it fits in 64 bits).
            high.AsSpan(0, Buckets).Clear();
            ulong sum = 0;
            foreach (var chunk in Chunks())
            {
                foreach (var v in chunk.Span)
                {
                    high[v >> 16]++;
                    sum += v;
                }
            }

            total += sum;

            // The bucket of each rank among the 4-byte samples, and the rank inside it.
            Span<int> bucket = stackalloc int[ranks.Length];
            Span<long> within = stackalloc long[ranks.Length];
            for (var r = 0; r < ranks.Length; r++)
            {
                var rank = ranks[r];
                bucket[r] = -1;
                if (rank < negative)
                {
                    values[r] = outside[rank];
                    continue;
                }

                rank -= negative;
                if (rank >= inside)
                {
                    values[r] = outside[negative + (rank - inside)];
                    continue;
                }

                var b = 0;
                while (rank >= high[b])
                {
                    rank -= high[b];
                    b++;
                }

                bucket[r] = b;
                within[r] = rank;
            }

            if (bucket.IndexOfAnyExcept(-1) < 0)
            {
                return total;
            }

            // Pass 2: the low 16 bits of the samples in each rank's bucket.
            low.AsSpan(0, Buckets * ranks.Length).Clear();
            foreach (var chunk in Chunks())
            {
                foreach (var v in chunk.Span)
                {
                    var b = (int)(v >> 16);
                    for (var r = 0; r < bucket.Length; r++)
                    {
                        if (bucket[r] == b)
                        {
                            low[(r * Buckets) + (int)(v & 0xFFFF)]++;
                        }
                    }
                }
            }

            for (var r = 0; r < ranks.Length; r++)
            {
                if (bucket[r] < 0)
                {
                    continue;
                }

                var rank = within[r];
                var counts = low.AsSpan(r * Buckets, Buckets);
                var l = 0;
                while (rank >= counts[l])
                {
                    rank -= counts[l];
                    l++;
                }

                values[r] = ((long)bucket[r] << 16) | (long)l;
            }

            return total;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(high);
            ArrayPool<long>.Shared.Return(low);
        }
    }

    /// <summary>The 4-byte samples, chunk by chunk.</summary>
    private IEnumerable<ReadOnlyMemory<uint>> Chunks()
    {
        foreach (var (chunk, count) in _sealed)
        {
            yield return chunk.AsMemory(0, count);
        }

        yield return _current.AsMemory(0, _currentCount);
    }

    private static int Widen(ReadOnlySpan<uint> from, long[] to, int at)
    {
        var target = to.AsSpan(at, from.Length);
        for (var i = 0; i < from.Length; i++)
        {
            target[i] = from[i];
        }

        return at + from.Length;
    }
}
