using System.Collections.Immutable;

namespace Funnel.Core.Bulk;

/// <summary>
/// Maps entity keys (strings, GUIDs, ...) to dense ids 0, 1, 2, ... in order of first appearance, the ids a
/// <see cref="TransitionLog"/> needs.
/// </summary>
/// <typeparam name="TKey">The key type; compared with the given comparer (default: <see cref="EqualityComparer{T}.Default"/>, ordinal for strings).</typeparam>
/// <remarks>Instances are not thread-safe; intern from one thread (for example the reader that builds the log).</remarks>
public sealed class EntityInterner<TKey>
    where TKey : notnull
{
    private readonly IEqualityComparer<TKey>? _comparer;
    private List<TKey>? _keys;
    private Func<List<TKey>>? _makeKeys;
    private Func<int, TKey>? _makeKey;
    private int _pendingCount;
    private Dictionary<TKey, int>? _ids;

    /// <summary>Creates an empty interner.</summary>
    /// <param name="comparer">The key comparer; <see langword="null"/> for the default comparer.</param>
    public EntityInterner(IEqualityComparer<TKey>? comparer = null)
    {
        _comparer = comparer;
        _keys = [];
        _ids = new Dictionary<TKey, int>(comparer);
    }

    /// <summary>
    /// Creates an interner that already holds <paramref name="count"/> keys, distinct under the comparer, which
    /// <paramref name="makeKeys"/> makes (id = index) when they are first asked for; the lookup table is built on the
    /// first <see cref="Intern"/> or <see cref="TryGetId"/>. So a reader that interned a million keys from their bytes
    /// makes no strings and no dictionary that nobody asks for. Until then <see cref="GetKey"/> and
    /// <see cref="AsReadOnlyList"/> make one key at a time with <paramref name="makeKey"/>, when one is given.
    /// </summary>
    internal EntityInterner(int count, Func<List<TKey>> makeKeys, Func<int, TKey>? makeKey, IEqualityComparer<TKey>? comparer)
    {
        _comparer = comparer;
        _pendingCount = count;
        _makeKeys = makeKeys;
        _makeKey = makeKey;
    }

    /// <summary>
    /// Creates an interner that already holds <paramref name="count"/> keys, distinct under the comparer, with ids
    /// 0 to <paramref name="count"/> - 1, each made by <paramref name="keyAt"/> only when it is asked for: a reader that
    /// keeps its keys in a compact form of its own (numbers, bytes) returns them this way without making a key object
    /// per entity, and the lookup table is built on the first <see cref="Intern"/> or <see cref="TryGetId"/>.
    /// </summary>
    /// <param name="count">The number of keys.</param>
    /// <param name="keyAt">Makes the key with an id; called with ids below <paramref name="count"/>, from one thread at a time, possibly more than once per id.</param>
    /// <param name="comparer">The key comparer; <see langword="null"/> for the default comparer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyAt"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <remarks>Keys that are not distinct make the lookup table fail, with an <see cref="InvalidOperationException"/> naming the key, when it is built.</remarks>
    public EntityInterner(int count, Func<int, TKey> keyAt, IEqualityComparer<TKey>? comparer = null)
        : this(Guard.Against.Negative(count), MakeAll(count, Guard.Against.Null(keyAt)), keyAt, comparer)
    {
    }

    private static Func<List<TKey>> MakeAll(int count, Func<int, TKey> keyAt) => () =>
    {
        var keys = new List<TKey>(count);
        for (var id = 0; id < count; id++)
        {
            keys.Add(keyAt(id));
        }

        return keys;
    };

    private List<TKey> Keys
    {
        get
        {
            if (_keys is null)
            {
                _keys = _makeKeys!();
                _makeKeys = null;
                _makeKey = null;
            }

            return _keys;
        }
    }

    /// <summary>Gets the number of distinct keys interned so far (the next id to be given).</summary>
    public int Count => _keys?.Count ?? _pendingCount;

    /// <summary>Returns the id of a key, giving it the next id when it is new.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The dense id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public int Intern(TKey key)
    {
        Guard.Against.Null(key);
        ref var id = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Ids, key, out var exists);
        if (!exists)
        {
            id = Keys.Count;
            Keys.Add(key);
        }

        return id;
    }

    /// <summary>Looks up the id of a key without adding it.</summary>
    /// <param name="key">The key.</param>
    /// <param name="id">The id when found.</param>
    /// <returns><see langword="true"/> when the key has been interned.</returns>
    public bool TryGetId(TKey key, out int id) => Ids.TryGetValue(key, out id);

    /// <summary>Returns the key that has the given id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> has not been given.</exception>
    public TKey GetKey(int id)
    {
        Guard.Against.IndexOutOfRange(id, Count);
        return _keys is null && _makeKey is { } makeKey ? makeKey(id) : Keys[id];
    }

    /// <summary>
    /// Returns a read-only view of the keys, indexed by id, that makes no copy: a key read through it comes from
    /// <see cref="GetKey"/>, and keys interned later appear in it. The keys of an interner that a reader returns (such
    /// as <see cref="TransitionLogCsvResult.Entities"/>) stay in the reader's compact form and are made one at a time
    /// as they are read, so passing this view to <see cref="TransitionLogMetrics"/> keeps millions of key strings out of
    /// memory, where <see cref="ToImmutableArray"/> makes them all.
    /// </summary>
    /// <returns>The view; not thread-safe while keys are being interned, safe to read from several threads otherwise.</returns>
    public IReadOnlyList<TKey> AsReadOnlyList() => new KeyView(this);

    /// <summary>Returns a snapshot of the keys, indexed by id.</summary>
    /// <returns>The keys in id order.</returns>
    public ImmutableArray<TKey> ToImmutableArray() => [.. Keys];

    private Dictionary<TKey, int> Ids
    {
        get
        {
            if (_ids is null)
            {
                var keys = Keys;
                var ids = new Dictionary<TKey, int>(keys.Count, _comparer);
                for (var i = 0; i < keys.Count; i++)
                {
                    if (!ids.TryAdd(keys[i], i))
                    {
                        throw new InvalidOperationException($"The key '{keys[i]}' has the ids {ids[keys[i]]} and {i}: the keys given to the interner are not distinct.");
                    }
                }

                _ids = ids;
            }

            return _ids;
        }
    }

    private sealed class KeyView(EntityInterner<TKey> interner) : IReadOnlyList<TKey>
    {
        public int Count => interner.Count;

        public TKey this[int index] => interner.GetKey(index);

        public IEnumerator<TKey> GetEnumerator()
        {
            for (var id = 0; id < interner.Count; id++)
            {
                yield return interner.GetKey(id);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
