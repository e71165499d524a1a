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
    private readonly List<TKey> _keys;
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
    /// Creates an interner that already holds <paramref name="distinctKeys"/> (id = index), distinct under the
    /// comparer. The lookup table is built on the first <see cref="Intern"/> or <see cref="TryGetId"/>, so a reader
    /// that hands over a million keys does not pay for a dictionary nobody asks for.
    /// </summary>
    internal EntityInterner(List<TKey> distinctKeys, IEqualityComparer<TKey>? comparer)
    {
        _comparer = comparer;
        _keys = distinctKeys;
    }

    /// <summary>Gets the number of distinct keys interned so far (the next id to be given).</summary>
    public int Count => _keys.Count;

    /// <summary>Returns the id of a key, giving it the next id when it is new.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The dense id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public int Intern(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ref var id = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Ids, key, out var exists);
        if (!exists)
        {
            id = _keys.Count;
            _keys.Add(key);
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
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, _keys.Count);
        return _keys[id];
    }

    /// <summary>Returns a snapshot of the keys, indexed by id.</summary>
    /// <returns>The keys in id order.</returns>
    public ImmutableArray<TKey> ToImmutableArray() => [.. _keys];

    private Dictionary<TKey, int> Ids
    {
        get
        {
            if (_ids is null)
            {
                var ids = new Dictionary<TKey, int>(_keys.Count, _comparer);
                for (var i = 0; i < _keys.Count; i++)
                {
                    ids.Add(_keys[i], i);
                }

                _ids = ids;
            }

            return _ids;
        }
    }
}
