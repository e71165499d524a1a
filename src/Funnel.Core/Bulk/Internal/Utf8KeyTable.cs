using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Funnel.Core.Bulk;

/// <summary>
/// Interns UTF-8 keys to dense ids in order of first appearance without making a string per row: an
/// open-addressing table (linear probing) whose slots hold keys of up to 15 bytes inline (the bytes and the length
/// in two words), so that looking up a short key costs one cache line; longer keys keep their first 8 bytes and hash
/// in the slot and are compared with a byte arena only when those match. Keys become strings once, at the end
/// (<see cref="Utf8KeyArena"/>).
/// </summary>
/// <remarks>
/// <para>Keys that are plain decimal numbers (1 to 9 digits, no sign, no leading zero, as most CRMs export ids) below
/// the table's direct limit skip the hash table: their id is at their value in an array (value → id + 1), which is a
/// tenth of the hash table's size and needs no hashing, no key comparison and no probing. The array grows to the
/// largest such value seen, and never past the limit given at construction (a bound proportional to the rows of
/// the chunk), so a few huge numbers cannot make it large: they go to the hash table. Each key is in exactly one of
/// the two (the decimal text of a number is unique), so ids and their order of first appearance do not change.</para>
/// <para>Not thread-safe; <see cref="Find(ReadOnlySpan{byte})"/> may run on several threads while nobody adds.</para>
/// </remarks>
internal sealed class Utf8KeyTable
{
    private byte[] _arena;
    private int _arenaLength;
    private int[] _starts;
    private Slot[] _slots;
    private int _mask;
    private int _count;
    private int _hashed;
    private int _hashCapacity;
    private int[] _direct = [];
    private readonly int _directLimit;

    /// <summary>Creates an empty table.</summary>
    /// <param name="capacity">The number of keys expected (a hint).</param>
    /// <param name="directLimit">Decimal keys below this value are found by value (see the remarks); 0 hashes every key.</param>
    public Utf8KeyTable(int capacity = 1024, int directLimit = 0)
    {
        _slots = new Slot[16];
        _mask = 15;
        _hashCapacity = capacity;
        _directLimit = Math.Max(0, directLimit);
        _starts = new int[Math.Max(16, capacity) + 1];
        _arena = new byte[Math.Max(256, capacity * 8)];
    }

    public int Count => _count;

    /// <summary>Gets the number of bytes the keys take in the arena.</summary>
    public int ArenaLength => _arenaLength;

    /// <summary>Gets the bound below which decimal keys are found by value (see <see cref="IsDirect"/>).</summary>
    public int DirectLimit => _directLimit;

    public ReadOnlySpan<byte> Key(int id) => _arena.AsSpan(_starts[id], _starts[id + 1] - _starts[id]);

    /// <summary>Gets the keys' bytes, in id order, and the end of each key (key <c>i</c> ends at <c>ends[i]</c>).</summary>
    public (ReadOnlyMemory<byte> Bytes, ReadOnlyMemory<int> Ends) Keys => (_arena.AsMemory(0, _arenaLength), _starts.AsMemory(1, _count));

    /// <summary>Returns the id of the key, adding it with the next id when it is new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetOrAdd(ReadOnlySpan<byte> key)
    {
        if (IsDirect(key, out var value))
        {
            return GetOrAddDirect(value);
        }

        var hash = Prepare(key, out var a, out var b);
        return GetOrAdd(key, a, b, hash);
    }

    /// <summary>
    /// Whether the key is found by value in this table (<see cref="GetOrAddDirect"/>): plain decimal text below
    /// the direct limit. Such keys need no <see cref="Prepare"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsDirect(ReadOnlySpan<byte> key, out int value) => TryParseDecimal(key, out value) && value < _directLimit;

    /// <summary>Returns the id of the key whose text is the decimal text of <paramref name="value"/> (a value <see cref="IsDirect"/> gives), adding it when it is new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetOrAddDirect(int value)
    {
        if (value >= _direct.Length)
        {
            GrowDirect(value);
        }

        ref var entry = ref _direct[value];
        if (entry == 0)
        {
            entry = AppendDecimal(value) + 1;
        }

        return entry - 1;
    }

    /// <summary>
    /// Replaces each value in <paramref name="values"/> (values <see cref="IsDirect"/> gave, in row order) by its key's
    /// id, adding the new keys in that order: the same ids as <see cref="GetOrAddDirect"/> row by row, in a loop so
    /// small that the processor overlaps the cache misses of many rows.
    /// </summary>
    public void InternDirect(Span<int> values)
    {
        var direct = _direct;
        foreach (ref var value in values)
        {
            var v = value;
            if ((uint)v >= (uint)direct.Length)
            {
                GrowDirect(v);
                direct = _direct;
            }

            ref var entry = ref direct[v];
            if (entry == 0)
            {
                entry = AppendDecimal(v) + 1;
            }

            value = entry - 1;
        }
    }

    /// <summary>Stores the decimal text of <paramref name="value"/> under the next id.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int AppendDecimal(int value)
    {
        value.TryFormat(Reserve(10), out var length, default, CultureInfo.InvariantCulture);
        return Commit(length);
    }

    /// <summary>Returns the id of a key prepared with <see cref="Prepare"/> (and not <see cref="IsDirect"/>), adding it when it is new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetOrAdd(ReadOnlySpan<byte> key, ulong a, ulong b, uint hash)
    {
        var id = Find(key, a, b, hash, out var slot);
        return id >= 0 ? id : Add(key, a, b, hash, slot);
    }

    /// <summary>Returns the id of a key prepared with <see cref="Prepare"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key, ulong a, ulong b, uint hash)
    {
        if (IsDirect(key, out var value))
        {
            return FindDirect(value);
        }

        return Find(key, a, b, hash, out _);
    }

    /// <summary>Like <see cref="Touch"/> for a key for which <see cref="IsDirect"/> gave <paramref name="value"/> (making room for it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int TouchDirect(int value)
    {
        if (value >= _direct.Length)
        {
            GrowDirect(value);
        }

        return _direct[value];
    }

    /// <summary>Returns the id of the key for which <see cref="IsDirect"/> gave <paramref name="value"/>, or -1.</summary>
    public int FindDirect(int value) => value < _direct.Length ? _direct[value] - 1 : -1;

    /// <summary>1 to 9 ASCII digits without a leading zero (or "0"): the decimal text of <paramref name="value"/>, and no other text is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryParseDecimal(ReadOnlySpan<byte> key, out int value)
    {
        value = 0;
        if (key.Length is 0 or > 9 || (key[0] == (byte)'0' && key.Length > 1))
        {
            return false;
        }

        var v = 0;
        foreach (var c in key)
        {
            var digit = unchecked((uint)(c - '0'));
            if (digit > 9)
            {
                return false;
            }

            v = (v * 10) + (int)digit;
        }

        value = v;
        return true;
    }

    private void GrowDirect(int value)
    {
        var size = (int)Math.Min(Math.Max(_directLimit, 1), Math.Max(1024L, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)value + 1)));
        var bigger = new int[size];
        _direct.CopyTo(bigger, 0);
        _direct = bigger;
    }

    /// <summary>The words and hash a lookup compares; computed apart so that a batch of keys can be prepared, touched and then looked up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Prepare(ReadOnlySpan<byte> key, out ulong a, out ulong b)
    {
        (a, b) = Words(key);
        return key.Length <= InlineLength ? Mix(a, b) : Hash(key);
    }

    /// <summary>
    /// Reads the first slot a lookup of <paramref name="hash"/> reads, and returns a value that depends on it. Touching
    /// the slots of a batch of keys before looking them up lets the processor wait for their cache misses together,
    /// not one after the other.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Touch(uint hash) => _slots[(int)(hash & (uint)_mask)].Id;

    /// <summary>Returns the id of the key, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        if (IsDirect(key, out var value))
        {
            return FindDirect(value);
        }

        var (a, b) = Words(key);
        return Find(key, a, b, key.Length <= InlineLength ? Mix(a, b) : Hash(key), out _);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Find(ReadOnlySpan<byte> key, ulong a, ulong b, uint hash, out int slot)
    {
        var slots = _slots;
        var mask = _mask;
        slot = (int)(hash & (uint)mask);
        while (true)
        {
            ref var entry = ref slots[slot];
            if (entry.Id == 0)
            {
                return -1;
            }

            if (entry.A == a && entry.B == b && (b != LongKey || (entry.Hash == hash && Equal(entry.Id - 1, key))))
            {
                return entry.Id - 1;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>Drops the lookup table, keeping the keys (for <see cref="Key"/>); no key can be added or found after.</summary>
    public void DropLookup()
    {
        _slots = [];
        _mask = 0;
        _direct = [];
    }

    private const int InlineLength = 15;
    private const ulong LongKey = ulong.MaxValue;

    /// <summary>The key's first 8 bytes and the next 7 with the length in the top byte (zero padded), or the first 8 bytes and <see cref="LongKey"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong A, ulong B) Words(ReadOnlySpan<byte> key)
    {
        Span<byte> words = stackalloc byte[16];
        words.Clear();
        key[..Math.Min(key.Length, InlineLength)].CopyTo(words);
        var a = MemoryMarshal.Read<ulong>(words);
        var b = key.Length <= InlineLength ? MemoryMarshal.Read<ulong>(words[8..]) | ((ulong)key.Length << 56) : LongKey;
        return (a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mix(ulong a, ulong b)
    {
        unchecked
        {
            var h = (a * 0x9E3779B97F4A7C15UL) ^ ((b + 0x632BE59BD9B4E019UL) * 0xBF58476D1CE4E5B9UL);
            h ^= h >> 29;
            h *= 0x94D049BB133111EBUL;
            h ^= h >> 32;
            return (uint)h;
        }
    }

    private struct Slot
    {
        public ulong A;
        public ulong B;
        public uint Hash;
        public int Id; // id + 1; 0 = empty
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

    private int Add(ReadOnlySpan<byte> key, ulong a, ulong b, uint hash, int slot)
    {
        var id = Append(key);
        _slots[slot] = new Slot { A = a, B = b, Hash = hash, Id = id + 1 };
        _hashed++;
        if ((long)_hashed * 10 > (long)_slots.Length * 7)
        {
            Grow();
        }

        return id;
    }

    /// <summary>Stores the key's bytes under the next id.</summary>
    private int Append(ReadOnlySpan<byte> key)
    {
        key.CopyTo(Reserve(key.Length));
        return Commit(key.Length);
    }

    /// <summary>Makes room for the next key's id and <paramref name="length"/> bytes, and returns where its bytes go.</summary>
    private Span<byte> Reserve(int length)
    {
        if (_count + 1 == _starts.Length)
        {
            Array.Resize(ref _starts, (int)Math.Min(Array.MaxLength, (long)_starts.Length * 2));
        }

        if (_arena.Length - _arenaLength < length)
        {
            var size = Math.Max((long)_arena.Length * 2, (long)_arenaLength + length);
            if (size > Array.MaxLength)
            {
                throw new InvalidOperationException("The keys of this file take more than 2 GB.");
            }

            Array.Resize(ref _arena, (int)size);
        }

        return _arena.AsSpan(_arenaLength, length);
    }

    /// <summary>Gives the next id to the <paramref name="length"/> bytes written where <see cref="Reserve"/> said.</summary>
    private int Commit(int length)
    {
        var id = _count;
        _arenaLength += length;
        _starts[id + 1] = _arenaLength;
        _count = id + 1;
        return id;
    }

    /// <summary>
    /// Doubles the hash table; the first growth goes straight to the capacity hint, so that a table that only ever
    /// holds direct keys (or a few others) stays small, and one that needs the hint gets it at once.
    /// </summary>
    private void Grow()
    {
        var length = (int)Math.Min(1 << 30, Math.Max((long)_slots.Length * 2, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, _hashCapacity * 2))));
        _hashCapacity = 0;
        var slots = new Slot[length];
        var mask = slots.Length - 1;
        foreach (var entry in _slots)
        {
            if (entry.Id == 0)
            {
                continue;
            }

            var slot = (int)(entry.Hash & (uint)mask);
            while (slots[slot].Id != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = entry;
        }

        _slots = slots;
        _mask = mask;
    }
}

/// <summary>
/// Keys as UTF-8 in id order, in one byte array with one start offset per key: what a file's keys keep once they are
/// interned (4 bytes a key plus its text; a string would take 30 to 50). A key becomes a string only when asked for.
/// </summary>
/// <remarks>Filled once by <see cref="Append"/>, then read-only and safe to read from several threads.</remarks>
internal sealed class Utf8KeyArena
{
    private readonly byte[] _bytes;
    private readonly int[] _starts;
    private int _count;
    private int _length;

    /// <summary>Creates an arena for <paramref name="count"/> keys of <paramref name="bytes"/> bytes in all.</summary>
    /// <exception cref="InvalidOperationException">The keys take more than 2 GB.</exception>
    public Utf8KeyArena(int count, long bytes)
    {
        if (bytes > Array.MaxLength)
        {
            throw new InvalidOperationException("The keys of this file take more than 2 GB.");
        }

        _bytes = GC.AllocateUninitializedArray<byte>((int)bytes);
        _starts = new int[count + 1];
    }

    /// <summary>Gets the number of keys appended.</summary>
    public int Count => _count;

    /// <summary>Appends every key of a table, in its id order (the arena was sized for them).</summary>
    public void AppendAll(Utf8KeyTable table)
    {
        var (bytes, ends) = table.Keys;
        bytes.Span.CopyTo(_bytes.AsSpan(_length));
        var starts = _starts.AsSpan(_count + 1, ends.Length);
        ends.Span.CopyTo(starts);
        foreach (ref var end in starts)
        {
            end += _length;
        }

        _count += ends.Length;
        _length += bytes.Length;
    }

    /// <summary>Appends the next key (the arena was sized for it).</summary>
    public void Append(ReadOnlySpan<byte> key)
    {
        key.CopyTo(_bytes.AsSpan(_length));
        _length += key.Length;
        _starts[++_count] = _length;
    }

    /// <summary>Gets the bytes of a key.</summary>
    public ReadOnlySpan<byte> Key(int id) => _bytes.AsSpan(_starts[id], _starts[id + 1] - _starts[id]);

    /// <summary>Makes the string of one key.</summary>
    public string GetString(int id) => Encoding.UTF8.GetString(Key(id));

    /// <summary>Makes the strings of every key (valid UTF-8), in id order, on every core.</summary>
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
                strings[id] = GetString(id);
            }
        });
        var list = new List<string>(_count);
        list.AddRange(strings);
        return list;
    }
}
