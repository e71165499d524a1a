using Funnel.Core.Bulk;

namespace Funnel.Core.Storage;

/// <summary>
/// An <see cref="EventLogStore"/> that passes every call to an inner store, after the public methods have validated
/// it: the base of decorators and of adapter types that give an internal implementation a public name, as the
/// SQLite and PostgreSQL event logs do. Override a <c>…CoreAsync</c> method to change one call and let the rest pass
/// through.
/// </summary>
/// <remarks>Thread-safe when the inner store is: it keeps no state of its own. Disposing it disposes the inner store.</remarks>
public abstract class DelegatingEventLogStore : EventLogStore
{
    /// <summary>Initializes the store over the store it passes calls to.</summary>
    /// <param name="innerStore">The store that does the work; this store owns it and disposes it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerStore"/> is <see langword="null"/>.</exception>
    protected DelegatingEventLogStore(EventLogStore innerStore)
    {
        Guard.Against.Null(innerStore);
        InnerStore = innerStore;
    }

    /// <summary>Gets the store that does the work.</summary>
    protected EventLogStore InnerStore { get; }

    /// <inheritdoc />
    protected internal override Task<int> EnsureCreatedCoreAsync(CancellationToken cancellationToken) =>
        InnerStore.EnsureCreatedCoreAsync(cancellationToken);

    /// <inheritdoc />
    protected internal override Task<long> AppendCoreAsync(FunnelDefinition definition, EventRowReader rows, CancellationToken cancellationToken) =>
        InnerStore.AppendCoreAsync(definition, rows, cancellationToken);

    /// <inheritdoc />
    protected internal override IAsyncEnumerable<EventLogChunk> ReadCoreAsync(FunnelDefinition definition, int chunkSize, CancellationToken cancellationToken) =>
        InnerStore.ReadCoreAsync(definition, chunkSize, cancellationToken);

    /// <inheritdoc />
    protected internal override Task<long> CountCoreAsync(string funnelKey, CancellationToken cancellationToken) =>
        InnerStore.CountCoreAsync(funnelKey, cancellationToken);

    /// <inheritdoc />
    protected internal override Task<long> DeleteCoreAsync(string funnelKey, CancellationToken cancellationToken) =>
        InnerStore.DeleteCoreAsync(funnelKey, cancellationToken);

    /// <inheritdoc />
    protected internal override Task<TransitionReport> ComputeAggregatesCoreAsync(FunnelDefinition definition, TransitionAnalyzer analyzer, CancellationToken cancellationToken) =>
        InnerStore.ComputeAggregatesCoreAsync(definition, analyzer, cancellationToken);

    /// <inheritdoc />
    public override PushDownOptions SupportedPushDownOptions => InnerStore.SupportedPushDownOptions;

    /// <inheritdoc />
    protected override async ValueTask DisposeAsyncCore()
    {
        await InnerStore.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }
}
