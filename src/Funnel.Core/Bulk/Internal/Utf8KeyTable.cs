using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Funnel.Core.Bulk;

/// <summary>
/// Interns UTF-8 keys to dense ids in order of first appearance without making a string per row: an
/// open-addressing table over a byte arena. Each slot holds the key's 32-bit hash and id, so a probe touches the
/// arena only when the hashes match. Keys become strings once, at the end (<see cref="ToStrings"/>).
/// </summary>
/// <remarks>Not thread-safe; <see cref="Find"/> may run on several threads while nobody adds.</remarks>
internal sealed class Utf8KeyTable
{
    private byte[] _arena;
    private int _arenaLength;
    private int[] _starts;
    private uint[] _hashes;
    private ulong[] _slots;
    private int _mask;
    private int _count;

    public Utf8KeyTable(int capacity = 1024)
    {
        var slots = (int)Math.Min(1 << 30, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity * 2)));
        _slots = new ulong[slots];
        _mask = slots - 1;
        _starts = new int[Math.Max(16, capacity) + 1];
        _hashes = new uint[Math.Max(16, capacity)];
        _arena = new byte[Math.Max(256, capacity * 8)];
    }

    public int Count => _count;

    public uint HashOf(int id) => _hashes[id];

    public ReadOnlySpan<byte> Key(int id) => _arena.AsSpan(_starts[id], _starts[id + 1] - _starts[id]);

    /// <summary>Returns the id of the key, adding it with the next id when it is new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetOrAdd(ReadOnlySpan<byte> key, uint hash)
    {
        var slot = (int)(hash & (uint)_mask);
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                return Add(key, hash, slot);
            }

            if ((entry >> 32) == hash)
            {
                var id = (int)(entry & 0x7FFF_FFFF) - 1;
                if (Equal(id, key))
                {
                    return id;
                }
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>Returns the id of the key, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key, uint hash)
    {
        var slot = (int)(hash & (uint)_mask);
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                return -1;
            }

            if ((entry >> 32) == hash)
            {
                var id = (int)(entry & 0x7FFF_FFFF) - 1;
                if (Equal(id, key))
                {
                    return id;
                }
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>Makes the strings of the keys (valid UTF-8), in id order, on every core.</summary>
    public List<string> ToStrings()
    {
        var strings = new string[_count];
        const int Block = 1 << 14;
        var blocks = (_count + Block - 1) / Block;
        Parallel.For(0, blocks, b =>
        {
            var end = Math.Min(_count, (b + 1) * Block);
            for (var id = b * Block; id < end; id++)
            {
                strings[id] = Encoding.UTF8.GetString(Key(id));
            }
        });
        var list = new List<string>(_count);
        list.AddRange(strings);
        return list;
    }

    /// <summary>A 32-bit hash of a key: 8-byte words folded with multiplies; keys of 4 to 16 bytes cost two loads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(ReadOnlySpan<byte> key)
    {
        unchecked
        {
            const ulong K1 = 0x9E3779B97F4A7C15UL;
            const ulong K2 = 0xBF58476D1CE4E5B9UL;
            ref var p = ref MemoryMarshal.GetReference(key);
            var n = key.Length;
            ulong h = (ulong)n * K1;
            if (n >= 8)
            {
                var i = 0;
                for (; i + 8 < n; i += 8)
                {
                    h = (h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i))) * K2;
                    h ^= h >> 31;
                }

                h = (h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, n - 8))) * K2;
            }
            else if (n >= 4)
            {
                var v = Unsafe.ReadUnaligned<uint>(ref p) | ((ulong)Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, n - 4)) << 32);
                h = (h ^ v) * K2;
            }
            else if (n > 0)
            {
                var v = p | ((ulong)Unsafe.Add(ref p, n >> 1) << 8) | ((ulong)Unsafe.Add(ref p, n - 1) << 16);
                h = (h ^ v) * K2;
            }

            h ^= h >> 29;
            h *= K1;
            h ^= h >> 32;
            return (uint)h;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Equal(int id, ReadOnlySpan<byte> key)
    {
        var start = _starts[id];
        return _starts[id + 1] - start == key.Length && key.SequenceEqual(_arena.AsSpan(start, key.Length));
    }

    private int Add(ReadOnlySpan<byte> key, uint hash, int slot)
    {
        var id = _count;
        if (id == _hashes.Length)
        {
            var size = (int)Math.Min(Array.MaxLength - 1, (long)id * 2);
            Array.Resize(ref _hashes, size);
            Array.Resize(ref _starts, size + 1);
        }

        if (_arena.Length - _arenaLength < key.Length)
        {
            var size = Math.Max((long)_arena.Length * 2, (long)_arenaLength + key.Length);
            if (size > Array.MaxLength)
            {
                throw new InvalidOperationException("The keys of this file take more than 2 GB.");
            }

            Array.Resize(ref _arena, (int)size);
        }

        key.CopyTo(_arena.AsSpan(_arenaLength));
        _arenaLength += key.Length;
        _starts[id + 1] = _arenaLength;
        _hashes[id] = hash;
        _slots[slot] = ((ulong)hash << 32) | (uint)(id + 1);
        _count = id + 1;
        if ((long)_count * 2 > _slots.Length)
        {
            Grow();
        }

        return id;
    }

    private void Grow()
    {
        var slots = new ulong[_slots.Length * 2];
        var mask = slots.Length - 1;
        for (var id = 0; id < _count; id++)
        {
            var hash = _hashes[id];
            var slot = (int)(hash & (uint)mask);
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = ((ulong)hash << 32) | (uint)(id + 1);
        }

        _slots = slots;
        _mask = mask;
    }
}
