namespace Funnel.Extensions.Hosting.Outbox;

/// <summary>
/// Lets one of several app instances that share a database deliver the outbox at a time, so that two dispatchers
/// neither deliver the same message twice nor interleave one journey's messages. The dispatcher asks
/// <see cref="TryHoldAsync"/> before every pass and waits in standby while another instance holds the lease; when
/// the holder stops or dies, the lease becomes free and a waiting instance takes over.
/// </summary>
/// <remarks>
/// <para><c>AddSqliteStore</c> registers a lock file beside the database file; <c>AddPostgreSqlStore</c> a
/// PostgreSQL session advisory lock per database and schema. Both are freed by the operating system or the server
/// when the holding process dies. Register another with <c>AddOutboxLease</c>.</para>
/// <para>Implementations are called by one dispatcher loop at a time, but must be thread-safe.</para>
/// </remarks>
public interface IFunnelOutboxLease
{
    /// <summary>Takes the lease when it is free, or confirms that this instance still holds it.</summary>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns><see langword="true"/> while this instance holds the lease; <see langword="false"/> while another does.</returns>
    ValueTask<bool> TryHoldAsync(CancellationToken cancellationToken);

    /// <summary>Gives the lease up, if held; the dispatcher calls it when it stops.</summary>
    /// <returns>A task that completes when the lease is free.</returns>
    ValueTask ReleaseAsync();
}
