using System.Data.Common;

namespace Funnel.Storage.Internal;

/// <summary>What differs between the SQL databases the shared engines talk to.</summary>
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
}
