using System.Collections.Immutable;
using System.Numerics;

namespace Funnel.Core.Bulk;

/// <summary>
/// An immutable multiset of stay durations (whole seconds, not negative) as a list of shared read-only segments:
/// durations below 2^32 in <c>uint</c> segments, larger ones in <c>long</c> segments. Union (merge) concatenates
/// the segment lists without copying, so it is associative and exact; the median is found by a radix select.
/// </summary>
internal sealed class DurationSet
{
    public static readonly DurationSet Empty = new([], [], 0);

    private const int SmallSortLimit = 4096;

    private DurationSet(ImmutableArray<ReadOnlyMemory<uint>> small, ImmutableArray<ReadOnlyMemory<long>> large, long count)
    {
        Small = small;
        Large = large;
        Count = count;
    }

    public ImmutableArray<ReadOnlyMemory<uint>> Small { get; }

    public ImmutableArray<ReadOnlyMemory<long>> Large { get; }

    public long Count { get; }

    public static DurationSet Create(ImmutableArray<ReadOnlyMemory<uint>> small, ImmutableArray<ReadOnlyMemory<long>> large)
    {
        long count = 0;
        foreach (var s in small)
        {
            count += s.Length;
        }

        foreach (var l in large)
        {
            count += l.Length;
        }

        return new DurationSet(small, large, count);
    }

    public DurationSet Union(DurationSet other) =>
        Count == 0 ? other
        : other.Count == 0 ? this
        : new DurationSet(Small.AddRange(other.Small), Large.AddRange(other.Large), Count + other.Count);

    /// <summary>Returns the element at <paramref name="rank"/> (0-based) of the sorted multiset.</summary>
    public long Select(long rank) => SelectTwo(rank, next: false).Lower;

    /// <summary>Returns the lower and upper medians: elements ⌊(n − 1)/2⌋ and ⌊n/2⌋ (equal for odd n), in one selection.</summary>
    public (long Lower, long Upper) Medians() =>
        Count == 0 ? (0, 0) : SelectTwo((Count - 1) / 2, next: Count % 2 == 0);

    /// <summary>Returns the element at <paramref name="rank"/> and, when <paramref name="next"/>, the one after it (otherwise the same).</summary>
    private (long Lower, long Upper) SelectTwo(long rank, bool next)
    {
        if (rank < 0 || rank >= Count || (next && rank + 1 >= Count))
        {
            throw new ArgumentOutOfRangeException(nameof(rank));
        }

        long smallCount = 0;
        foreach (var s in Small)
        {
            smallCount += s.Length;
        }

        // Every large duration is above every small one (small < 2^32 <= large).
        if (rank >= smallCount || (next && rank + 1 >= smallCount))
        {
            var all = new List<long>();
            foreach (var l in Large)
            {
                all.AddRange(l.ToArray());
            }

            all.Sort();
            if (rank >= smallCount)
            {
                var lower = all[(int)(rank - smallCount)];
                return (lower, next ? all[(int)(rank + 1 - smallCount)] : lower);
            }

            return (SelectTwo(rank, next: false).Lower, all[0]);
        }

        if (smallCount <= SmallSortLimit)
        {
            var copy = new uint[smallCount];
            var at = 0;
            foreach (var s in Small)
            {
                s.Span.CopyTo(copy.AsSpan(at));
                at += s.Length;
            }

            Array.Sort(copy);
            return (copy[rank], copy[next ? rank + 1 : rank]);
        }

        return RadixSelect(rank, next);
    }

    private (long Lower, long Upper) RadixSelect(long rank, bool next)
    {
        // Pass 1: which bits are used at all, so that the first histogram spreads over the top 16 used bits.
        uint bits = 0;
        foreach (var s in Small)
        {
            bits |= OrAll(s.Span);
        }

        var width = 32 - BitOperations.LeadingZeroCount(bits);
        var shift = Math.Max(0, width - 16);

        // Pass 2: histogram of the high part.
        var histogram = new long[1 << 16];
        foreach (var s in Small)
        {
            foreach (var v in s.Span)
            {
                histogram[(int)(v >> shift)]++;
            }
        }

        var high = FindBucket(histogram, ref rank);

        // The next element is in the same high bucket, or the smallest of the next non-empty one.
        var nextHigh = high;
        if (next && rank + 1 >= histogram[high])
        {
            nextHigh = high + 1;
            while (histogram[nextHigh] == 0)
            {
                nextHigh++;
            }
        }

        if (shift == 0)
        {
            return (high, nextHigh);
        }

        // Pass 3: histogram of the low part of the values in the chosen high bucket (the low part has at most 16 bits),
        // and the smallest value of the next bucket when the next element lies there.
        Array.Clear(histogram);
        var mask = (1u << shift) - 1;
        var highBits = (uint)high;
        var nextBits = (uint)nextHigh;
        var nextMin = uint.MaxValue;
        foreach (var s in Small)
        {
            foreach (var v in s.Span)
            {
                var h = v >> shift;
                if (h == highBits)
                {
                    histogram[(int)(v & mask)]++;
                }
                else if (h == nextBits && v < nextMin)
                {
                    nextMin = v;
                }
            }
        }

        var nextRank = rank + 1;
        var low = FindBucket(histogram, ref rank);
        var lower = (long)(((ulong)(uint)high << shift) | (uint)low);
        if (!next)
        {
            return (lower, lower);
        }

        if (nextHigh != high)
        {
            return (lower, nextMin);
        }

        var upperLow = FindBucket(histogram, ref nextRank);
        return (lower, (long)(((ulong)(uint)high << shift) | (uint)upperLow));
    }

    private static int FindBucket(long[] histogram, ref long rank)
    {
        for (var b = 0; b < histogram.Length; b++)
        {
            if (rank < histogram[b])
            {
                return b;
            }

            rank -= histogram[b];
        }

        throw new InvalidOperationException("The histogram holds fewer values than the rank.");
    }

    /// <summary>The sum of the durations, vectorised.</summary>
    public static long Sum(ReadOnlySpan<uint> values)
    {
        var i = 0;
        ulong total = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<uint>.Count)
        {
            // Each 64-bit lane adds at most 2^32 per step, far below overflow for any span length.
            var acc = Vector<ulong>.Zero;
            for (; i <= values.Length - Vector<uint>.Count; i += Vector<uint>.Count)
            {
                Vector.Widen(new Vector<uint>(values.Slice(i)), out var low, out var high);
                acc += low + high;
            }

            total = Vector.Sum(acc);
        }

        for (; i < values.Length; i++)
        {
            total += values[i];
        }

        return (long)total;
    }

    private static uint OrAll(ReadOnlySpan<uint> values)
    {
        var i = 0;
        uint acc = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<uint>.Count)
        {
            var v = Vector<uint>.Zero;
            for (; i <= values.Length - Vector<uint>.Count; i += Vector<uint>.Count)
            {
                v |= new Vector<uint>(values.Slice(i));
            }

            for (var k = 0; k < Vector<uint>.Count; k++)
            {
                acc |= v[k];
            }
        }

        for (; i < values.Length; i++)
        {
            acc |= values[i];
        }

        return acc;
    }
}
