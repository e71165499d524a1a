using Funnel.Extensions.DependencyInjection;
using Funnel.Extensions.Hosting;

namespace Funnel.Storage.Sqlite.DependencyInjection;

/// <summary>Registers a <see cref="SqliteJourneyStore"/> on <c>services.AddFunnel()</c>.</summary>
public static class SqliteFunnelBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="SqliteJourneyStore"/> as the container's journey store (a singleton), with the
    /// workflow. Definitions are resolved through the registered funnels, times come from the container's clock.
    /// The schema is created at start only when <c>Funnel:Store:CreateSchemaAtStart</c> is true. The outbox dispatcher's
    /// lease is an exclusive lock on <c>&lt;database file&gt;-outbox.lock</c>, so that of several processes on one
    /// database file one delivers at a time.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string such as <c>Data Source=crm.db</c>; when
    /// <see langword="null"/>, <c>Funnel:Store:ConnectionString</c> is used.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <example><code>
    /// builder.Services.AddFunnel().AddDefinition(FunnelTemplates.B2BPipeline).AddSqliteStore("Data Source=crm.db");
    /// </code></example>
    public static FunnelBuilder AddSqliteStore(this FunnelBuilder builder, string? connectionString = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (connectionString is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        }

        string ConnectionString(IServiceProvider services) =>
            connectionString ?? FunnelHostingExtensions.GetConfiguredConnectionString(services, nameof(AddSqliteStore) + "()");
        return builder
            .AddStore(services => new SqliteJourneyStore(ConnectionString(services), FunnelHostingExtensions.CreateStoreOptions(services)))
            .AddOutboxLease(services => new SqliteOutboxLease(ConnectionString(services)));
    }
}
