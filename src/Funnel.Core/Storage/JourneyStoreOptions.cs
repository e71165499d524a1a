using System.Collections.Immutable;

namespace Funnel.Core.Storage;

/// <summary>
/// Settings shared by every journey store: how stored journeys find their <see cref="FunnelDefinition"/> again,
/// and size limits that reject oversized input before it reaches the database.
/// </summary>
/// <remarks>Instances are immutable and thread-safe; the resolver must be thread-safe too.</remarks>
public sealed class JourneyStoreOptions
{
    /// <summary>The default <see cref="MaxPayloadLength"/>: 1,048,576 characters.</summary>
    public const int DefaultMaxPayloadLength = 1 << 20;

    /// <summary>The default <see cref="MaxTextLength"/> for ids, actors, notes and attribute values: 4096 characters.</summary>
    public const int DefaultMaxTextLength = 4096;

    /// <summary>
    /// The longest key a store accepts, in UTF-8 bytes: 1024. Keys are the journey id, attribute names, and the
    /// funnel, stage and loss-reason keys a journey carries; they are what the databases index and keep unique, and
    /// PostgreSQL cannot index a B-tree entry over 2704 bytes (two keys of 1024 bytes plus overhead fit). A key must also
    /// be at most <see cref="MaxTextLength"/> characters. Free text (attribute values, actors, notes, override records)
    /// is limited by <see cref="MaxTextLength"/> only.
    /// </summary>
    public const int MaxKeyByteLength = 1024;

    /// <summary>Creates options with a resolver function.</summary>
    /// <param name="definitionResolver">Finds a definition by its key; returns <see langword="null"/> when unknown.</param>
    /// <param name="maxPayloadLength">The longest outbox payload accepted, in characters; <see cref="DefaultMaxPayloadLength"/> by default.</param>
    /// <param name="maxTextLength">The longest id, actor, note, attribute name or value accepted, in characters; <see cref="DefaultMaxTextLength"/> by default. Keys are also limited to <see cref="MaxKeyByteLength"/> UTF-8 bytes.</param>
    /// <param name="timeProvider">The clock for bookkeeping times (when a schema migration was applied); <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="definitionResolver"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is less than 1.</exception>
    public JourneyStoreOptions(
        Func<string, FunnelDefinition?> definitionResolver,
        int maxPayloadLength = DefaultMaxPayloadLength,
        int maxTextLength = DefaultMaxTextLength,
        TimeProvider? timeProvider = null)
    {
        Guard.Against.Null(definitionResolver);
        Guard.Against.LessThan(maxPayloadLength, 1);
        Guard.Against.LessThan(maxTextLength, 1);
        DefinitionResolver = definitionResolver;
        MaxPayloadLength = maxPayloadLength;
        MaxTextLength = maxTextLength;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Creates options that resolve definitions from a fixed set, by <see cref="FunnelDefinition.Key"/>.</summary>
    /// <param name="definitions">The definitions; keys must be distinct.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definitions"/> is <see langword="null"/> or contains <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two definitions share a key.</exception>
    public static JourneyStoreOptions For(params IEnumerable<FunnelDefinition> definitions)
    {
        Guard.Against.Null(definitions);
        var builder = ImmutableDictionary.CreateBuilder<string, FunnelDefinition>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            Guard.Against.Null(definition, nameof(definitions));
            if (!builder.TryAdd(definition.Key, definition))
            {
                throw new ArgumentException($"Two definitions share the key '{definition.Key}'.", nameof(definitions));
            }
        }

        var map = builder.ToImmutable();
        return new JourneyStoreOptions(key => map.GetValueOrDefault(key));
    }

    /// <summary>Gets the function that finds a definition by key (<see langword="null"/> when unknown).</summary>
    public Func<string, FunnelDefinition?> DefinitionResolver { get; }

    /// <summary>Gets the longest outbox payload accepted, in characters.</summary>
    public int MaxPayloadLength { get; }

    /// <summary>Gets the clock for bookkeeping times; <see cref="TimeProvider.System"/> unless given.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the longest id, actor, note, attribute name or value accepted, in characters; keys are also limited to <see cref="MaxKeyByteLength"/> UTF-8 bytes.</summary>
    public int MaxTextLength { get; }
}
