namespace Funnel.Extensions.Hosting.Outbox;

/// <summary>Wakes the outbox dispatcher when new messages were saved, so it does not wait for its poll interval.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class FunnelOutboxSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes the dispatcher (if it waits).</summary>
    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits for the next <see cref="Notify"/>, at most <paramref name="timeout"/> of <paramref name="time"/>.</summary>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="time">The clock.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when notified or when the time is up.</returns>
    internal async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var notified = Volatile.Read(ref _next).Task;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, stop.Token);
        await Task.WhenAny(notified, delay).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
