using System.Collections.Immutable;

namespace Funnel.Core.Storage;

/// <summary>
/// A <see cref="JourneyStore"/> that passes every call to an inner store, after the public methods have validated
/// it: the base of decorators (logging, caching, metering) and of adapter types that give an internal
/// implementation a public name, as the SQLite and PostgreSQL stores do. Override a <c>…CoreAsync</c> method to
/// change one call and let the rest pass through.
/// </summary>
/// <remarks>
/// <para>Thread-safe when the inner store is: it keeps no state of its own. <see cref="JourneyStore.Options"/> is the
/// inner store's. Disposing it disposes the inner store.</para>
/// </remarks>
public abstract class DelegatingJourneyStore : JourneyStore
{
    /// <summary>Initializes the store over the store it passes calls to.</summary>
    /// <param name="innerStore">The store that does the work; this store owns it and disposes it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerStore"/> is <see langword="null"/>.</exception>
    protected DelegatingJourneyStore(JourneyStore innerStore)
        : base(Inner(innerStore).Options) => InnerStore = innerStore;

    /// <summary>Gets the store that does the work.</summary>
    protected JourneyStore InnerStore { get; }

    /// <inheritdoc />
    protected internal override Task<int> EnsureCreatedCoreAsync(CancellationToken cancellationToken) =>
        InnerStore.EnsureCreatedCoreAsync(cancellationToken);

    /// <inheritdoc />
    protected internal override Task<JourneySaveResult> InsertCoreAsync(Journey journey, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken) =>
        InnerStore.InsertCoreAsync(journey, outbox, cancellationToken);

    /// <inheritdoc />
    protected internal override Task<JourneySaveResult> SaveCoreAsync(Journey journey, long expectedVersion, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken) =>
        InnerStore.SaveCoreAsync(journey, expectedVersion, outbox, cancellationToken);

    /// <inheritdoc />
    protected internal override Task<Journey?> LoadCoreAsync(string journeyId, CancellationToken cancellationToken) =>
        InnerStore.LoadCoreAsync(journeyId, cancellationToken);

    /// <inheritdoc />
    protected internal override Task<IReadOnlyList<Journey>> QueryCoreAsync(JourneyQuery query, CancellationToken cancellationToken) =>
        InnerStore.QueryCoreAsync(query, cancellationToken);

    /// <inheritdoc />
    protected internal override Task<IReadOnlyList<Journey>> FindIdleCoreAsync(FunnelDefinition definition, DateTimeOffset asOf, int limit, CancellationToken cancellationToken) =>
        InnerStore.FindIdleCoreAsync(definition, asOf, limit, cancellationToken);

    /// <inheritdoc />
    protected internal override Task<ImmutableArray<JourneyTransition>> GetHistoryCoreAsync(string journeyId, CancellationToken cancellationToken) =>
        InnerStore.GetHistoryCoreAsync(journeyId, cancellationToken);

    /// <inheritdoc />
    protected internal override Task<IReadOnlyList<OutboxEntry>> ReadOutboxCoreAsync(int maxCount, bool includeAcknowledged, CancellationToken cancellationToken) =>
        InnerStore.ReadOutboxCoreAsync(maxCount, includeAcknowledged, cancellationToken);

    /// <inheritdoc />
    protected internal override Task<int> AcknowledgeOutboxCoreAsync(IReadOnlyList<long> ids, DateTimeOffset acknowledgedAt, CancellationToken cancellationToken) =>
        InnerStore.AcknowledgeOutboxCoreAsync(ids, acknowledgedAt, cancellationToken);

    /// <inheritdoc />
    protected internal override Task<IReadOnlyList<OutboxEntry>> ReadDeliverableOutboxCoreAsync(int maxCount, CancellationToken cancellationToken) =>
        InnerStore.ReadDeliverableOutboxCoreAsync(maxCount, cancellationToken);

    /// <inheritdoc />
    protected internal override Task<bool> RecordOutboxFailureCoreAsync(long id, string errorText, DateTimeOffset nextAttemptAt, bool park, CancellationToken cancellationToken) =>
        InnerStore.RecordOutboxFailureCoreAsync(id, errorText, nextAttemptAt, park, cancellationToken);

    /// <inheritdoc />
    protected internal override Task<OutboxStatus> GetOutboxStatusCoreAsync(CancellationToken cancellationToken) =>
        InnerStore.GetOutboxStatusCoreAsync(cancellationToken);

    /// <inheritdoc />
    protected internal override Task<StoreSchemaStatus> GetSchemaStatusCoreAsync(CancellationToken cancellationToken) =>
        InnerStore.GetSchemaStatusCoreAsync(cancellationToken);

    /// <inheritdoc />
    protected override async ValueTask DisposeAsyncCore()
    {
        await InnerStore.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    private static JourneyStore Inner(JourneyStore innerStore)
    {
        Guard.Against.Null(innerStore);
        return innerStore;
    }
}
