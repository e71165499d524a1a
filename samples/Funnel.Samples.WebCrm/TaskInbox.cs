using System.Collections.Concurrent;
using Funnel.Core.Rules;
using Funnel.Extensions.Hosting.Outbox;

namespace Funnel.Samples.WebCrm;

/// <summary>
/// The sample's outbox handler: a real app would create the task in its task system or send the e-mail; this one
/// logs the command and keeps it in memory (shown by <c>GET /api/outbox</c>). It is idempotent by message id, as
/// at-least-once delivery asks.
/// </summary>
public sealed partial class TaskInbox(ILogger<TaskInbox> logger) : IFunnelOutboxHandler
{
    private readonly ConcurrentDictionary<long, string> _done = new();

    /// <summary>Gets the delivered messages: message id and command text, in id order.</summary>
    public IReadOnlyList<KeyValuePair<long, string>> Delivered => [.. _done.OrderBy(p => p.Key)];

    /// <inheritdoc />
    public ValueTask HandleAsync(OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        var text = delivery.ReadCommand().ToString() ?? delivery.Type;
        if (_done.TryAdd(delivery.MessageId, text))
        {
            LogDelivered(logger, delivery.MessageId, text);
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox message {Id}: {Command}")]
    private static partial void LogDelivered(ILogger logger, long id, string command);
}
