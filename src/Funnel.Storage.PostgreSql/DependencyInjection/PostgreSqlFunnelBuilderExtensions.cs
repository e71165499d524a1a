using Funnel.Extensions.DependencyInjection;
using Funnel.Extensions.Hosting;
using Npgsql;

namespace Funnel.Storage.PostgreSql.DependencyInjection;

/// <summary>Registers a <see cref="PostgreSqlJourneyStore"/> on <c>services.AddFunnel()</c>.</summary>
public static class PostgreSqlFunnelBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="PostgreSqlJourneyStore"/> as the container's journey store (a singleton), with the
    /// workflow. The connection comes from, in this order: <paramref name="connectionString"/>; an
    /// <see cref="NpgsqlDataSource"/> registered in the container (for example by <c>AddNpgsqlDataSource</c>), which
    /// the container keeps and disposes; <c>Funnel:Store:ConnectionString</c>. The schema is created at start only
    /// when <c>Funnel:Store:CreateSchemaAtStart</c> is true. The outbox dispatcher's lease is a session advisory lock
    /// keyed by the database and the current schema, so that of several instances on one database one delivers at a
    /// time.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">An Npgsql connection string, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static FunnelBuilder AddPostgreSqlStore(this FunnelBuilder builder, string? connectionString = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (connectionString is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        }

        string ConnectionString(IServiceProvider services) =>
            connectionString ?? FunnelHostingExtensions.GetConfiguredConnectionString(services, nameof(AddPostgreSqlStore) + "()");
        NpgsqlDataSource? Shared(IServiceProvider services) =>
            connectionString is null ? services.GetService(typeof(NpgsqlDataSource)) as NpgsqlDataSource : null;
        return builder
            .AddStore(services =>
            {
                var options = FunnelHostingExtensions.CreateStoreOptions(services);
                return Shared(services) is { } dataSource
                    ? new PostgreSqlJourneyStore(dataSource, options)
                    : new PostgreSqlJourneyStore(ConnectionString(services), options);
            })
            .AddOutboxLease(services => Shared(services) is { } dataSource
                ? new PostgreSqlOutboxLease(dataSource, ownsDataSource: false)
                : new PostgreSqlOutboxLease(NpgsqlDataSource.Create(ConnectionString(services)), ownsDataSource: true));
    }
}
