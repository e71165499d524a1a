using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Funnel.Core;

/// <summary>
/// A journey's history as a persistent, appendable list: every journey version is a view (a shared buffer and a
/// length), and appending to the newest view writes into the buffer's spare capacity instead of copying. A move
/// costs amortised O(1) instead of copying the whole history (issue 18, defect 10).
/// </summary>
/// <remarks>
/// Immutable and thread-safe from the outside. Appending to an older view (a branch: two changes derived from the
/// same journey) finds its slot taken and copies, so branches never see each other's entries. A slot is claimed with
/// a compare-and-swap before it is written, so two threads appending to the same view cannot both take it. A view
/// only reads indexes below its length, which were written before the view existed.
/// </remarks>
internal readonly struct HistoryLog
{
    private const int MinimumCapacity = 4;

    private readonly Buffer _buffer;

    private HistoryLog(Buffer buffer, int count)
    {
        _buffer = buffer;
        Count = count;
    }

    public int Count { get; }

    public JourneyTransition this[int index] => AsSpan()[index];

    /// <summary>A log holding exactly the given entries, sharing their array (it is full, so never written).</summary>
    public static HistoryLog From(ImmutableArray<JourneyTransition> entries)
    {
        var items = ImmutableCollectionsMarshal.AsArray(entries)!;
        return new HistoryLog(new Buffer(items, items.Length), items.Length);
    }

    public static HistoryLog Of(JourneyTransition first)
    {
        var items = new JourneyTransition[MinimumCapacity];
        items[0] = first;
        return new HistoryLog(new Buffer(items, 1), 1);
    }

    public HistoryLog Add(JourneyTransition entry)
    {
        var buffer = _buffer;
        var count = Count;
        if (count < buffer.Items.Length && Interlocked.CompareExchange(ref buffer.Claimed, count + 1, count) == count)
        {
            buffer.Items[count] = entry;
            return new HistoryLog(buffer, count + 1);
        }

        var items = new JourneyTransition[Math.Max(MinimumCapacity, count * 2)];
        Array.Copy(buffer.Items, items, count);
        items[count] = entry;
        return new HistoryLog(new Buffer(items, count + 1), count + 1);
    }

    public ReadOnlySpan<JourneyTransition> AsSpan() => new(_buffer.Items, 0, Count);

    /// <summary>An immutable copy of this view; no copy when the view fills its buffer (nothing can write it any more).</summary>
    public ImmutableArray<JourneyTransition> ToImmutableArray() =>
        Count == _buffer.Items.Length
            ? ImmutableCollectionsMarshal.AsImmutableArray(_buffer.Items)
            : ImmutableArray.Create(_buffer.Items, 0, Count);

    private sealed class Buffer(JourneyTransition[] items, int claimed)
    {
        public readonly JourneyTransition[] Items = items;

        // The number of slots handed out; only ever grows, through Interlocked.CompareExchange.
        public int Claimed = claimed;
    }
}
