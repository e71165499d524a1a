using Funnel.Extensions.Hosting.Outbox;
using Microsoft.Data.Sqlite;

namespace Funnel.Storage.Sqlite.DependencyInjection;

/// <summary>
/// The outbox lease of a SQLite database: an exclusive lock on <c>&lt;database file&gt;-outbox.lock</c>, held open
/// while this instance delivers. Only processes on one machine share a SQLite file, and the operating system frees
/// the lock when the holder dies. An in-memory database has one process by nature: its lease is always held.
/// </summary>
internal sealed class SqliteOutboxLease : IFunnelOutboxLease, IDisposable
{
    private readonly string? _lockFile;
    private readonly object _gate = new();
    private FileStream? _held;

    public SqliteOutboxLease(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var source = builder.DataSource;
        var memory = builder.Mode == SqliteOpenMode.Memory || source.Length == 0 || source == ":memory:"
            || source.StartsWith("file::memory:", StringComparison.OrdinalIgnoreCase);
        _lockFile = memory ? null : Path.GetFullPath(source) + "-outbox.lock";
    }

    public ValueTask<bool> TryHoldAsync(CancellationToken cancellationToken)
    {
        if (_lockFile is null)
        {
            return ValueTask.FromResult(true);
        }

        lock (_gate)
        {
            if (_held is null)
            {
                try
                {
                    // FileShare.None takes an exclusive advisory lock (flock on Unix, a share lock on Windows) that
                    // another open of the file, in this process or another, cannot take until it is closed.
                    _held = new FileStream(_lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                }
                catch (IOException) when (File.Exists(_lockFile))
                {
                    return ValueTask.FromResult(false);
                }
            }

            return ValueTask.FromResult(true);
        }
    }

    public ValueTask ReleaseAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _held?.Dispose();
            _held = null;
        }
    }
}
