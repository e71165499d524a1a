using Funnel.Extensions.Hosting.Outbox;

namespace Funnel.Extensions.Hosting.Internal;

/// <summary>An outbox handler over a delegate.</summary>
internal sealed class DelegateOutboxHandler(Func<OutboxDelivery, CancellationToken, ValueTask> handler) : IFunnelOutboxHandler
{
    public ValueTask HandleAsync(OutboxDelivery delivery, CancellationToken cancellationToken) => handler(delivery, cancellationToken);
}
