using Funnel.Extensions.Hosting.Outbox;
using Microsoft.Extensions.Hosting;

namespace Funnel.Extensions.Hosting.Internal;

/// <summary>Runs the singleton dispatcher as a hosted service, so that the app can also resolve the dispatcher itself.</summary>
internal sealed class FunnelOutboxDispatcherHost(FunnelOutboxDispatcher dispatcher) : IHostedService, IDisposable
{
    public Task StartAsync(CancellationToken cancellationToken) => dispatcher.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => dispatcher.StopAsync(cancellationToken);

    public void Dispose() => dispatcher.Dispose();
}
