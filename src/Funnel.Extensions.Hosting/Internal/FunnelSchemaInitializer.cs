using Funnel.Core.Storage;
using Funnel.Extensions.Hosting.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Funnel.Extensions.Hosting.Internal;

/// <summary>Creates or migrates the store's schema when the host starts, if <see cref="FunnelStoreOptions.CreateSchemaAtStart"/> says so.</summary>
internal sealed class FunnelSchemaInitializer(IServiceProvider services, IOptions<FunnelHostingOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Store.CreateSchemaAtStart)
        {
            var store = (JourneyStore?)services.GetService(typeof(JourneyStore))
                ?? throw new InvalidOperationException("Funnel:Store:CreateSchemaAtStart is true, but no journey store is registered: call AddSqliteStore, AddPostgreSqlStore or AddStore.");
            await store.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
