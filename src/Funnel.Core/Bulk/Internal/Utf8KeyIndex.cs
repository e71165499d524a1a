using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Funnel.Core.Bulk;

/// <summary>
/// Finds a fixed set of UTF-8 keys (a definition's stage or loss-reason keys) by their exact bytes, in one probe of a
/// small open-addressing table for keys of up to 16 bytes (two word loads, no call, no byte loop); longer keys are
/// compared one by one.
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
internal sealed class Utf8KeyIndex
{
    private readonly Entry[] _entries;
    private readonly int _mask;
    private readonly byte[][] _keys;

    /// <summary>Indexes <paramref name="keys"/>; a key's ordinal is its index (the first, if two are equal).</summary>
    public Utf8KeyIndex(byte[][] keys)
    {
        _keys = keys;
        _entries = new Entry[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(8, keys.Length * 4))];
        _mask = _entries.Length - 1;
        for (var i = 0; i < keys.Length; i++)
        {
            var key = keys[i];
            if (key.Length is 0 or > 16)
            {
                continue;
            }

            var (a, b) = Words(key);
            var slot = Slot(a, b, _mask);
            while (_entries[slot].Ordinal != 0 && !_entries[slot].Is(a, b, key.Length))
            {
                slot = (slot + 1) & _mask;
            }

            if (_entries[slot].Ordinal == 0)
            {
                _entries[slot] = new Entry(a, b, key.Length, i + 1);
            }
        }
    }

    /// <summary>The ordinal of the key whose bytes are exactly <paramref name="text"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ReadOnlySpan<byte> text)
    {
        if (text.Length is 0 or > 16)
        {
            return FindLong(text);
        }

        var (a, b) = Words(text);
        var entries = _entries;
        var slot = Slot(a, b, _mask);
        while (true)
        {
            ref readonly var entry = ref entries[slot];
            if (entry.Ordinal == 0 || entry.Is(a, b, text.Length))
            {
                return entry.Ordinal - 1;
            }

            slot = (slot + 1) & _mask;
        }
    }

    private int FindLong(ReadOnlySpan<byte> text)
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            if (text.SequenceEqual(_keys[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Two words that, with the length, tell apart any two texts of 1 to 16 bytes: overlapping loads of the first and last bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong A, ulong B) Words(ReadOnlySpan<byte> text)
    {
        ref var p = ref MemoryMarshal.GetReference(text);
        var n = text.Length;
        if (n >= 8)
        {
            return (Unsafe.ReadUnaligned<ulong>(ref p), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, n - 8)));
        }

        if (n >= 4)
        {
            return (Unsafe.ReadUnaligned<uint>(ref p) | ((ulong)Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, n - 4)) << 32), 0);
        }

        return (p | ((ulong)Unsafe.Add(ref p, n >> 1) << 8) | ((ulong)Unsafe.Add(ref p, n - 1) << 16), 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot(ulong a, ulong b, int mask)
    {
        unchecked
        {
            var h = (a * 0x9E3779B97F4A7C15UL) ^ (b * 0xBF58476D1CE4E5B9UL);
            return (int)(h >> 40) & mask;
        }
    }

    private readonly record struct Entry(ulong A, ulong B, int Length, int Ordinal)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Is(ulong a, ulong b, int length) => A == a && B == b && Length == length;
    }
}
