using Funnel.Extensions.Hosting.Outbox;
using Npgsql;

namespace Funnel.Storage.PostgreSql.DependencyInjection;

/// <summary>
/// The outbox lease of a PostgreSQL database: a session advisory lock keyed by the database and the current schema,
/// held on one open connection while this instance delivers. The server frees it when that session ends, so a dead
/// instance's lease passes to a waiting one; a holder whose session was lost finds out at its next check.
/// </summary>
internal sealed class PostgreSqlOutboxLease : IFunnelOutboxLease, IAsyncDisposable
{
    private const string Key = "hashtextextended('funnel.outbox:' || current_database() || '.' || coalesce(current_schema(), ''), 0)";
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _held;

    public PostgreSqlOutboxLease(NpgsqlDataSource dataSource, bool ownsDataSource)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

    public async ValueTask<bool> TryHoldAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_held is not null)
            {
                try
                {
                    // A session lock lasts as long as the session: an answer means it is still ours.
                    await using var check = new NpgsqlCommand("SELECT 1", _held);
                    await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
                {
                    // The session is gone, and the lock with it: try to take it again below.
                    await _held.DisposeAsync().ConfigureAwait(false);
                    _held = null;
                }
            }

            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({Key})", connection);
                if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
                {
                    (_held, connection) = (connection, null);
                    return true;
                }

                return false;
            }
            finally
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask ReleaseAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_held is null)
            {
                return;
            }

            try
            {
                // Explicitly: a pooled connection keeps its session (and the lock) after it is returned.
                await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({Key})", _held);
                await unlock.ExecuteScalarAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // The session is gone already, and the lock with it.
            }
            finally
            {
                await _held.DisposeAsync().ConfigureAwait(false);
                _held = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync().ConfigureAwait(false);
        _gate.Dispose();
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }
}
