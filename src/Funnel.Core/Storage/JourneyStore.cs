using System.Collections.Immutable;

namespace Funnel.Core.Storage;

/// <summary>
/// Keeps journeys, their full history and their outbox messages in a database, with optimistic concurrency on
/// <see cref="Journey.Version"/>. Adapters (<c>Funnel.Storage.Sqlite</c>, <c>Funnel.Storage.PostgreSql</c>) derive
/// from this class and implement the protected <c>…CoreAsync</c> methods; the public methods validate their input
/// first, so adapters see only well-formed requests.
/// </summary>
/// <remarks>
/// <para>Implementations are thread-safe: one instance serves concurrent callers, each call using its own
/// connection and transaction. Every statement is parameterised.</para>
/// <para>The schema is created or migrated only by <see cref="EnsureCreatedAsync"/>, never as a side effect of other
/// calls. Every write of a journey stores the journey row, its new history entries and its outbox messages in one
/// transaction: all of it is visible, or none.</para>
/// </remarks>
public abstract class JourneyStore : IAsyncDisposable
{
    /// <summary>Initializes the store with its options.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    protected JourneyStore(JourneyStoreOptions options)
    {
        Guard.Against.Null(options);
        Options = options;
    }

    /// <summary>Gets the options.</summary>
    public JourneyStoreOptions Options { get; }

    /// <summary>Creates the schema, or migrates it to the newest version this library knows. Safe to call concurrently and repeatedly.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The schema version now in place.</returns>
    /// <exception cref="FunnelStorageException">The database holds a newer schema version than this library knows.</exception>
    public Task<int> EnsureCreatedAsync(CancellationToken cancellationToken = default) => EnsureCreatedCoreAsync(cancellationToken);

    /// <summary>Stores a new journey (typically version 0, just started) with the outbox messages its start emitted.</summary>
    /// <param name="journey">The journey; its definition must be known to <see cref="JourneyStoreOptions.DefinitionResolver"/>.</param>
    /// <param name="outbox">Messages to store in the same transaction; optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see cref="SaveOutcome.Saved"/>, or <see cref="SaveOutcome.AlreadyExists"/> when the id is taken.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> or a message is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A text or payload exceeds the configured limits, a key exceeds <see cref="JourneyStoreOptions.MaxKeyByteLength"/> UTF-8 bytes, or a key or text holds a NUL character or an unpaired surrogate; the message names the field.</exception>
    /// <exception cref="FunnelStorageException">The resolver does not know the journey's definition key.</exception>
    public Task<JourneySaveResult> InsertAsync(Journey journey, IEnumerable<OutboxMessage>? outbox = null, CancellationToken cancellationToken = default)
    {
        var messages = Validate(journey, outbox);
        return InsertCoreAsync(journey, messages, cancellationToken);
    }

    /// <summary>
    /// Stores a changed journey if the stored version is still <paramref name="expectedVersion"/>: updates the journey
    /// row, appends the history entries not stored yet, and stores the outbox messages, in one transaction.
    /// </summary>
    /// <param name="journey">The changed journey; its <see cref="Journey.Version"/> is greater than <paramref name="expectedVersion"/>.</param>
    /// <param name="expectedVersion">The version the change was made from (the version that was loaded).</param>
    /// <param name="outbox">Messages the change emitted; optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see cref="SaveOutcome.Saved"/>; <see cref="SaveOutcome.VersionConflict"/> when another writer saved first; <see cref="SaveOutcome.NotFound"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> or a message is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is negative or not less than the journey's version.</exception>
    /// <exception cref="ArgumentException">A text or payload exceeds the configured limits, a key exceeds <see cref="JourneyStoreOptions.MaxKeyByteLength"/> UTF-8 bytes, or a key or text holds a NUL character or an unpaired surrogate; the message names the field.</exception>
    /// <exception cref="FunnelStorageException">The resolver does not know the definition, or the journey's history is shorter than the stored one.</exception>
    public Task<JourneySaveResult> SaveAsync(Journey journey, long expectedVersion, IEnumerable<OutboxMessage>? outbox = null, CancellationToken cancellationToken = default)
    {
        var messages = Validate(journey, outbox);
        Guard.Against.NegativeNumber(expectedVersion);
        Guard.Against.GreaterThanOrEqual(expectedVersion, journey.Version);
        return SaveCoreAsync(journey, expectedVersion, messages, cancellationToken);
    }

    /// <summary>Loads a journey with its full history, attributes and attempts.</summary>
    /// <param name="journeyId">The journey id; not blank.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The journey, or <see langword="null"/> when it is not stored.</returns>
    /// <exception cref="ArgumentException"><paramref name="journeyId"/> is blank, or holds a NUL character or an unpaired surrogate.</exception>
    /// <exception cref="FunnelStorageException">The stored definition key or a stored stage or reason is unknown to the definition.</exception>
    public Task<Journey?> LoadAsync(string journeyId, CancellationToken cancellationToken = default)
    {
        Guard.Against.NullOrBlank(journeyId);
        CheckArgument(journeyId, nameof(journeyId));
        return LoadCoreAsync(journeyId, cancellationToken);
    }

    /// <summary>Lists journeys matching a query, ordered by id.</summary>
    /// <param name="query">The filters and limit.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The journeys, at most <see cref="JourneyQuery.Limit"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A filter holds a NUL character or an unpaired surrogate.</exception>
    /// <exception cref="FunnelStorageException">A stored journey cannot be restored.</exception>
    public Task<IReadOnlyList<Journey>> QueryAsync(JourneyQuery query, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(query);
        CheckArgument(query.FunnelKey, nameof(query));
        CheckArgument(query.Stage.Value, nameof(query));
        CheckArgument(query.AttributeName, nameof(query));
        CheckArgument(query.AttributeValue, nameof(query));
        CheckArgument(query.AfterId, nameof(query));
        return QueryCoreAsync(query, cancellationToken);
    }

    /// <summary>
    /// Lists open journeys of a funnel that have stayed in their current stage longer than the stage's
    /// <see cref="Stage.IdleLimit"/> as of a time (entered before <c>asOf - IdleLimit</c>), longest idle first —
    /// the input of a sweeper that feeds idle automations. Stages without a limit never count as idle.
    /// </summary>
    /// <param name="definition">The funnel whose stage limits apply.</param>
    /// <param name="asOf">The time to measure at.</param>
    /// <param name="limit">The largest number returned; 1 to 100000, 1000 by default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The idle journeys.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is out of range.</exception>
    public Task<IReadOnlyList<Journey>> FindIdleAsync(FunnelDefinition definition, DateTimeOffset asOf, int limit = JourneyQuery.DefaultLimit, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(definition);
        Guard.Against.NotBetween(limit, 1, 100_000);
        return FindIdleCoreAsync(definition, asOf, limit, cancellationToken);
    }

    /// <summary>Reads a journey's full history, oldest first, without restoring the journey.</summary>
    /// <param name="journeyId">The journey id; not blank.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The history; empty when the journey is not stored.</returns>
    /// <exception cref="ArgumentException"><paramref name="journeyId"/> is blank, or holds a NUL character or an unpaired surrogate.</exception>
    public Task<ImmutableArray<JourneyTransition>> GetHistoryAsync(string journeyId, CancellationToken cancellationToken = default)
    {
        Guard.Against.NullOrBlank(journeyId);
        CheckArgument(journeyId, nameof(journeyId));
        return GetHistoryCoreAsync(journeyId, cancellationToken);
    }

    /// <summary>Reads outbox messages in write order.</summary>
    /// <param name="maxCount">The largest number returned; 1 to 100000, 100 by default.</param>
    /// <param name="includeAcknowledged"><see langword="true"/> to include acknowledged messages; by default only pending ones.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries, by ascending id.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is out of range.</exception>
    public Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(int maxCount = 100, bool includeAcknowledged = false, CancellationToken cancellationToken = default)
    {
        Guard.Against.NotBetween(maxCount, 1, 100_000);
        return ReadOutboxCoreAsync(maxCount, includeAcknowledged, cancellationToken);
    }

    /// <summary>Marks outbox messages delivered so that <see cref="ReadOutboxAsync"/> no longer returns them as pending.</summary>
    /// <param name="ids">The ids of the entries; unknown or already acknowledged ids are ignored.</param>
    /// <param name="acknowledgedAt">When they were delivered.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of entries that changed from pending to acknowledged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is <see langword="null"/>.</exception>
    public Task<int> AcknowledgeOutboxAsync(IEnumerable<long> ids, DateTimeOffset acknowledgedAt, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(ids);
        var list = ids.Distinct().ToArray();
        return list.Length == 0 ? Task.FromResult(0) : AcknowledgeOutboxCoreAsync(list, acknowledgedAt, cancellationToken);
    }

    /// <summary>
    /// Reads the messages a dispatcher may deliver: neither acknowledged nor parked, in write order (also those whose
    /// <see cref="OutboxEntry.NextAttemptAt"/> lies ahead, so that a dispatcher keeps a journey's later messages behind them).
    /// </summary>
    /// <param name="maxCount">The largest number returned; 1 to 100000.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries, by ascending id.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is out of range.</exception>
    /// <exception cref="NotSupportedException">The store does not track delivery attempts.</exception>
    public Task<IReadOnlyList<OutboxEntry>> ReadDeliverableOutboxAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        Guard.Against.NotBetween(maxCount, 1, 100_000);
        return ReadDeliverableOutboxCoreAsync(maxCount, cancellationToken);
    }

    /// <summary>
    /// Records a failed delivery attempt of a pending message: adds one to <see cref="OutboxEntry.FailedAttempts"/>,
    /// keeps the error, and either sets the time of the next attempt or parks the message (kept, no longer delivered).
    /// </summary>
    /// <param name="id">The entry id.</param>
    /// <param name="error">The error text; not <see langword="null"/>; cut to <see cref="JourneyStoreOptions.MaxTextLength"/> characters.</param>
    /// <param name="nextAttemptAt">The earliest time of the next attempt.</param>
    /// <param name="park"><see langword="true"/> to park the message at <paramref name="nextAttemptAt"/> instead of retrying it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when a pending, unparked message with that id was changed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">The store does not track delivery attempts.</exception>
    public Task<bool> RecordOutboxFailureAsync(long id, string error, DateTimeOffset nextAttemptAt, bool park, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(error);
        var text = error.Length > Options.MaxTextLength ? error[..Options.MaxTextLength] : error;
        if (StoredText.FindProblem(text) is not null)
        {
            // Stored text must be well-formed and NUL-free; an error text is for people, so replace what cannot be stored.
            var chars = text.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                var pairedHigh = char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]);
                if (pairedHigh)
                {
                    i++;
                }
                else if (chars[i] == '\0' || char.IsSurrogate(chars[i]))
                {
                    chars[i] = '\uFFFD';
                }
            }

            text = new string(chars);
        }

        return RecordOutboxFailureCoreAsync(id, text, nextAttemptAt, park, cancellationToken);
    }

    /// <summary>Counts the pending and parked outbox messages and finds the oldest pending one (for health checks and metrics).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The backlog.</returns>
    /// <exception cref="NotSupportedException">The store does not track delivery attempts.</exception>
    public Task<OutboxStatus> GetOutboxStatusAsync(CancellationToken cancellationToken = default) => GetOutboxStatusCoreAsync(cancellationToken);

    /// <summary>Reads the database's schema version without changing anything; it also shows that the database is reachable.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The database's version and the package's latest one.</returns>
    /// <exception cref="NotSupportedException">The store has no versioned schema.</exception>
    public Task<StoreSchemaStatus> GetSchemaStatusAsync(CancellationToken cancellationToken = default) => GetSchemaStatusCoreAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates or migrates the schema.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The schema version in place.</returns>
    protected internal abstract Task<int> EnsureCreatedCoreAsync(CancellationToken cancellationToken);

    /// <summary>Inserts a validated new journey and its messages in one transaction.</summary>
    /// <param name="journey">The journey.</param>
    /// <param name="outbox">The messages, validated.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    protected internal abstract Task<JourneySaveResult> InsertCoreAsync(Journey journey, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken);

    /// <summary>Saves a validated changed journey under optimistic concurrency, in one transaction.</summary>
    /// <param name="journey">The journey.</param>
    /// <param name="expectedVersion">The version that must be stored for the write to happen.</param>
    /// <param name="outbox">The messages, validated.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    protected internal abstract Task<JourneySaveResult> SaveCoreAsync(Journey journey, long expectedVersion, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken);

    /// <summary>Loads one journey.</summary>
    /// <param name="journeyId">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The journey or <see langword="null"/>.</returns>
    protected internal abstract Task<Journey?> LoadCoreAsync(string journeyId, CancellationToken cancellationToken);

    /// <summary>Lists journeys.</summary>
    /// <param name="query">The query.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The journeys.</returns>
    protected internal abstract Task<IReadOnlyList<Journey>> QueryCoreAsync(JourneyQuery query, CancellationToken cancellationToken);

    /// <summary>Lists idle journeys.</summary>
    /// <param name="definition">The funnel.</param>
    /// <param name="asOf">The time.</param>
    /// <param name="limit">The limit.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The journeys.</returns>
    protected internal abstract Task<IReadOnlyList<Journey>> FindIdleCoreAsync(FunnelDefinition definition, DateTimeOffset asOf, int limit, CancellationToken cancellationToken);

    /// <summary>Reads one journey's history.</summary>
    /// <param name="journeyId">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The history.</returns>
    protected internal abstract Task<ImmutableArray<JourneyTransition>> GetHistoryCoreAsync(string journeyId, CancellationToken cancellationToken);

    /// <summary>Reads outbox entries.</summary>
    /// <param name="maxCount">The limit.</param>
    /// <param name="includeAcknowledged">Whether acknowledged entries are included.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    protected internal abstract Task<IReadOnlyList<OutboxEntry>> ReadOutboxCoreAsync(int maxCount, bool includeAcknowledged, CancellationToken cancellationToken);

    /// <summary>Acknowledges outbox entries.</summary>
    /// <param name="ids">Distinct ids, at least one.</param>
    /// <param name="acknowledgedAt">The time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number changed.</returns>
    protected internal abstract Task<int> AcknowledgeOutboxCoreAsync(IReadOnlyList<long> ids, DateTimeOffset acknowledgedAt, CancellationToken cancellationToken);

    /// <summary>Reads the deliverable messages; see <see cref="ReadDeliverableOutboxAsync"/>. The default throws <see cref="NotSupportedException"/>.</summary>
    /// <param name="maxCount">The largest number returned (checked).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries, by ascending id.</returns>
    protected internal virtual Task<IReadOnlyList<OutboxEntry>> ReadDeliverableOutboxCoreAsync(int maxCount, CancellationToken cancellationToken) =>
        throw NotTracked();

    /// <summary>Records a failed attempt; see <see cref="RecordOutboxFailureAsync"/>. The default throws <see cref="NotSupportedException"/>.</summary>
    /// <param name="id">The entry id.</param>
    /// <param name="errorText">The error text (checked and cut).</param>
    /// <param name="nextAttemptAt">The earliest time of the next attempt, or the parking time.</param>
    /// <param name="park">Whether to park the message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether a message changed.</returns>
    protected internal virtual Task<bool> RecordOutboxFailureCoreAsync(long id, string errorText, DateTimeOffset nextAttemptAt, bool park, CancellationToken cancellationToken) =>
        throw NotTracked();

    /// <summary>Reads the backlog; see <see cref="GetOutboxStatusAsync"/>. The default throws <see cref="NotSupportedException"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The backlog.</returns>
    protected internal virtual Task<OutboxStatus> GetOutboxStatusCoreAsync(CancellationToken cancellationToken) => throw NotTracked();

    /// <summary>Reads the schema version; see <see cref="GetSchemaStatusAsync"/>. The default throws <see cref="NotSupportedException"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The versions.</returns>
    protected internal virtual Task<StoreSchemaStatus> GetSchemaStatusCoreAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} has no versioned schema.");

    /// <summary>Releases the adapter's resources; the default does nothing.</summary>
    /// <returns>A task that completes when done.</returns>
    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;

    /// <summary>Finds a definition through the options' resolver.</summary>
    /// <param name="funnelKey">The definition key.</param>
    /// <param name="journeyId">The journey the key belongs to, for the message.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="FunnelStorageException">The resolver does not know the key.</exception>
    protected FunnelDefinition ResolveDefinition(string funnelKey, string journeyId) =>
        Options.DefinitionResolver(funnelKey)
        ?? throw new FunnelStorageException($"Journey '{journeyId}' follows funnel '{funnelKey}', which the store's definition resolver does not know.");

    private NotSupportedException NotTracked() =>
        new($"{GetType().Name} does not track outbox delivery attempts; override the outbox delivery members to use it with a dispatcher.");

    private List<OutboxMessage> Validate(Journey journey, IEnumerable<OutboxMessage>? outbox)
    {
        Guard.Against.Null(journey);
        var max = Options.MaxTextLength;

        // The id and funnel key first: the messages below name them.
        StoredText.CheckKey(journey.Id, "journey id", journey.Id, max, limitKeyBytes: true);
        StoredText.CheckKey(journey.Definition.Key, "funnel key", journey.Id, max, limitKeyBytes: true);
        var definition = ResolveDefinition(journey.Definition.Key, journey.Id);
        if (!ReferenceEquals(definition, journey.Definition) && !definition.Equals(journey.Definition))
        {
            throw new FunnelStorageException(
                $"Journey '{journey.Id}' follows a funnel '{journey.Definition.Key}' that differs from the definition the store's resolver returns for that key.");
        }

        StoredText.CheckJourney(journey, max, limitKeyBytes: true);

        if (outbox is null)
        {
            return [];
        }

        var messages = new List<OutboxMessage>();
        foreach (var message in outbox)
        {
            Guard.Against.Null(message, nameof(outbox));
            if (message.Payload.Length > Options.MaxPayloadLength)
            {
                throw new ArgumentException(
                    $"The payload of outbox message {messages.Count} ('{message.Type}') for journey '{journey.Id}' is {message.Payload.Length} characters long; at most {Options.MaxPayloadLength} are allowed.",
                    nameof(outbox));
            }

            messages.Add(message);
        }

        return messages;
    }

    // No stored text holds a NUL or an unpaired surrogate, and SQLite would read an unpaired surrogate as U+FFFD and
    // match a different row, so a lookup with one is refused like a save.
    private static void CheckArgument(string? text, string paramName)
    {
        if (text is not null && StoredText.FindProblem(text) is { } problem)
        {
            throw new ArgumentException($"'{StoredText.Printable(text)}' contains {problem}; no stored journey can match it.", paramName);
        }
    }
}
