namespace Funnel.Extensions.Hosting.Configuration;

/// <summary>The store settings: the connection string the store registrations use when given none, and whether to create the schema at start.</summary>
/// <remarks>Filled once by the options system, then only read.</remarks>
public sealed class FunnelStoreOptions
{
    /// <summary>Gets or sets the connection string (<c>Funnel:Store:ConnectionString</c>) that <c>AddSqliteStore()</c> and <c>AddPostgreSqlStore()</c> use when called without one.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the host creates or migrates the schema when it starts, before the
    /// outbox dispatcher runs (<c>Funnel:Store:CreateSchemaAtStart</c>). <value>The default is <see langword="false"/>:
    /// schema changes are a deployment step; turn it on explicitly for development and samples.</value>
    /// </summary>
    public bool CreateSchemaAtStart { get; set; }
}
