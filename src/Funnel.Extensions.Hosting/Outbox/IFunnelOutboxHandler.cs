namespace Funnel.Extensions.Hosting.Outbox;

/// <summary>
/// Carries out outbox messages for the dispatcher (creates the task, sends the e-mail). Delivery is at-least-once: a
/// message may come again after a crash or a failed acknowledgement, always with the same
/// <see cref="OutboxDelivery.MessageId"/>; use it to make the handler idempotent.
/// </summary>
/// <remarks>
/// Messages of one journey come one at a time, in the order they were written. Throwing fails the attempt: the
/// message is retried after a backoff and parked after <c>MaxAttempts</c> failures. Implementations must be
/// thread-safe if registered for several dispatchers.
/// </remarks>
public interface IFunnelOutboxHandler
{
    /// <summary>Carries out one message.</summary>
    /// <param name="delivery">The message, its stable id and the attempt number.</param>
    /// <param name="cancellationToken">Signalled when the host stops; a cancelled message is not acknowledged and comes again.</param>
    /// <returns>A task that completes when the message is carried out.</returns>
    ValueTask HandleAsync(OutboxDelivery delivery, CancellationToken cancellationToken);
}
