using Funnel.Extensions.DependencyInjection;
using Funnel.Extensions.Hosting.Configuration;
using Funnel.Extensions.Hosting.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Funnel.Extensions.Hosting.Tests;

internal static class TestHosts
{
    /// <summary>A host with the test pipeline, the database's store (schema created at start; or what <c>store</c> registers) and, when given, a dispatcher with the handler.</summary>
    public static IHost Build(
        TestDatabase database,
        Func<OutboxDelivery, CancellationToken, ValueTask>? handler = null,
        Action<FunnelOutboxOptions>? outbox = null,
        Action<IServiceCollection>? services = null,
        Action<FunnelBuilder>? store = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        services?.Invoke(builder.Services);
        var funnel = builder.Services.AddFunnel().AddTestPipeline().ConfigureHosting(o => o.Store.CreateSchemaAtStart = true);
        if (store is null)
        {
            database.AddStore(funnel);
        }
        else
        {
            store(funnel);
        }
        if (handler is not null)
        {
            funnel.AddOutboxDispatcher(o =>
            {
                o.PollInterval = TimeSpan.FromMilliseconds(50);
                o.InitialBackoff = TimeSpan.FromMilliseconds(20);
                o.MaxBackoff = TimeSpan.FromMilliseconds(200);
                outbox?.Invoke(o);
            }).AddOutboxHandler(handler);
        }

        return builder.Build();
    }
}
