using Funnel.Extensions.DependencyInjection;
using Funnel.Extensions.Hosting;

namespace Funnel.Storage.Sqlite.DependencyInjection;

/// <summary>Registers a <see cref="SqliteJourneyStore"/> on <c>services.AddFunnel()</c>.</summary>
public static class SqliteFunnelBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="SqliteJourneyStore"/> as the container's journey store (a singleton), with the
    /// workflow. Definitions are resolved through the registered funnels, times come from the container's clock.
    /// The schema is created at start only when <c>Funnel:Store:CreateSchemaAtStart</c> is true.
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

        return builder.AddStore(services => new SqliteJourneyStore(
            connectionString ?? FunnelHostingExtensions.GetConfiguredConnectionString(services, nameof(AddSqliteStore) + "()"),
            FunnelHostingExtensions.CreateStoreOptions(services)));
    }
}
