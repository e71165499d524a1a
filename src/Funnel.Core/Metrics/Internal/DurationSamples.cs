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
