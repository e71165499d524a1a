using System.Data.Common;
using Funnel.Core;
using Funnel.Core.Storage;

namespace Funnel.Storage.Internal;

/// <summary>
/// What differs between the SQL databases that <see cref="SqlJourneyStore"/> and <see cref="SqlEventLogStore"/> talk
/// to: connections, transactions, the schema's column types and indexes, and the bulk append. A new SQL store is a
/// subclass of this type, two public types over the shared stores, and a test project that runs
/// tests/Funnel.Storage.Specification against it.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>Gets the schema migrations; element i moves the schema from version i to i + 1.</summary>
    public abstract IReadOnlyList<string[]> Migrations { get; }

    /// <summary>Gets a statement that serialises concurrent migrations inside the migration transaction, or <see langword="null"/>.</summary>
    public abstract string? MigrationLockSql { get; }

    /// <summary>Gets the condition that an attribute row <c>a</c> has the value <c>@avalue</c>, in the form the attribute index serves.</summary>
    public abstract string AttributeValueMatch { get; }

    /// <summary>Gets the expression that orders journey ids ordinally (byte order), for listing and paging.</summary>
    public abstract string OrdinalId { get; }

    /// <summary>Gets a query that returns 1 when the <c>funnel_schema</c> table exists and 0 otherwise.</summary>
    public abstract string SchemaTableExistsSql { get; }

    /// <summary>Runs once before the migration transaction (settings that cannot change inside a transaction); the default does nothing.</summary>
    public virtual Task BeforeMigrationAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Opens a new connection.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Starts a write transaction that serialises with other writers of the same rows.</summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Starts a read-only transaction that sees one consistent snapshot.</summary>
    public abstract ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Stores the rows in <c>funnel_events</c> in one transaction, the fastest way the database offers; a bad row (the reader throws) leaves nothing stored.</summary>
    public abstract Task<long> AppendEventsAsync(FunnelDefinition definition, EventRowReader rows, CancellationToken cancellationToken);

    /// <summary>Releases what the dialect owns (a connection pool); the default does nothing.</summary>
    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
