using System.Diagnostics;
using Funnel.Core.Storage;
using Funnel.Extensions.Hosting.Configuration;
using Funnel.Extensions.Hosting.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Funnel.Extensions.Hosting.Outbox;

/// <summary>
/// Delivers the store's outbox messages to the <see cref="IFunnelOutboxHandler"/>: in write order, one journey's
/// messages one after the other; acknowledges each as soon as the handler returns; retries a failure after a capped
/// exponential backoff (the journey's later messages wait behind it), records the attempt count and last error, and
/// parks a message after <see cref="FunnelOutboxOptions.MaxAttempts"/> failures (kept and visible, no longer
/// delivered; the journey's later messages then go on). Registered by <c>AddOutboxDispatcher</c>.
/// </summary>
/// <remarks>
/// <para>At-least-once: a message whose handler finished but whose acknowledgement was lost (crash, stop) comes
/// again with the same <see cref="OutboxDelivery.MessageId"/>.</para>
/// <para>On stop, the handler's token is cancelled and no further message starts; a message the handler did not
/// finish stays pending and comes first again after a restart.</para>
/// <para>Several app instances on one database: the background loop delivers only while it holds the
/// <see cref="IFunnelOutboxLease"/> (registered by the store packages), so one instance delivers and the others wait
/// in standby; without a lease, run one dispatcher per database. <see cref="DispatchOnceAsync"/> itself takes no
/// lease.</para>
/// <para>Thread-safe; the host calls it from one background task.</para>
/// </remarks>
public sealed partial class FunnelOutboxDispatcher : BackgroundService
{
    private readonly JourneyStore _store;
    private readonly IFunnelOutboxHandler _handler;
    private readonly FunnelOutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly FunnelOutboxSignal _signal;
    private readonly FunnelHostingInstruments _instruments;
    private readonly ILogger _logger;
    private readonly IFunnelOutboxLease? _lease;
    private volatile bool _active;

    /// <summary>Creates the dispatcher.</summary>
    /// <param name="store">The store whose outbox is delivered.</param>
    /// <param name="handler">Carries out the messages.</param>
    /// <param name="options">The outbox settings.</param>
    /// <param name="timeProvider">The clock for backoff and acknowledgement times.</param>
    /// <param name="signal">Wakes the dispatcher after saves.</param>
    /// <param name="instruments">The metrics.</param>
    /// <param name="loggerFactory">Logs failures; optional.</param>
    /// <param name="lease">Lets one of several instances on one database deliver at a time; optional (without it,
    /// this dispatcher always delivers).</param>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    public FunnelOutboxDispatcher(
        JourneyStore store,
        IFunnelOutboxHandler handler,
        IOptions<FunnelHostingOptions> options,
        TimeProvider timeProvider,
        FunnelOutboxSignal signal,
        FunnelHostingInstruments instruments,
        ILoggerFactory? loggerFactory = null,
        IFunnelOutboxLease? lease = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(instruments);
        _store = store;
        _handler = handler;
        _options = options.Value.Outbox;
        _time = timeProvider;
        _signal = signal;
        _instruments = instruments;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Funnel.Outbox");
        _lease = lease;
    }

    /// <summary>
    /// Gets a value indicating whether the background loop delivers now: it holds the lease (or has none) and has not
    /// stopped. <see langword="false"/> before the first pass and while in standby.
    /// </summary>
    public bool IsActive
    {
        get => _active;
        private set => _active = value;
    }

    /// <summary>
    /// Delivers what is due now, once: reads one batch and hands each due message to the handler, keeping one
    /// journey's messages in order. The background loop calls it; tests and tools may call it directly.
    /// </summary>
    /// <param name="cancellationToken">Cancels the pass; the message in hand is not acknowledged.</param>
    /// <returns>The number of attempts made (delivered or failed).</returns>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken = default)
    {
        var batch = await _store.ReadDeliverableOutboxAsync(_options.BatchSize, cancellationToken).ConfigureAwait(false);
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        var attempts = 0;
        foreach (var entry in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = _time.GetUtcNow();
            if (blocked.Contains(entry.JourneyId) || entry.NextAttemptAt > now)
            {
                // A journey's later messages wait behind one that waits for its retry.
                blocked.Add(entry.JourneyId);
                continue;
            }

            attempts++;
            if (!await DeliverAsync(entry, cancellationToken).ConfigureAwait(false))
            {
                blocked.Add(entry.JourneyId);
            }
        }

        return attempts;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            IsActive = false;
            if (_lease is not null)
            {
                await _lease.ReleaseAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var idle = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            int attempts;
            try
            {
                var holds = _lease is null || await _lease.TryHoldAsync(stoppingToken).ConfigureAwait(false);
                if (holds != IsActive)
                {
                    IsActive = holds;
                    if (_lease is not null)
                    {
                        LogLeaseChanged(_logger, holds ? "holds the lease and delivers" : "waits in standby: another instance holds the lease");
                    }
                }

                attempts = holds ? await DispatchOnceAsync(stoppingToken).ConfigureAwait(false) : 0;
                idle = TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The store is unreachable (or the schema missing): wait longer each time, up to the backoff cap.
                idle = idle == TimeSpan.Zero ? _options.PollInterval : TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, Math.Max(_options.MaxBackoff.Ticks, _options.PollInterval.Ticks)));
                LogStoreFailed(_logger, idle, ex);
                attempts = 0;
            }

            if (attempts == 0)
            {
                try
                {
                    await _signal.WaitAsync(idle == TimeSpan.Zero ? _options.PollInterval : idle, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private async Task<bool> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var delivery = new OutboxDelivery(entry);
        using var activity = FunnelHostingInstruments.Source.StartActivity(FunnelHostingTelemetry.DispatchActivity, ActivityKind.Consumer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("funnel.journey", entry.JourneyId);
            activity.SetTag("funnel.outbox.id", entry.Id);
            activity.SetTag("funnel.outbox.type", entry.Message.Type);
            activity.SetTag("funnel.outbox.attempt", delivery.Attempt);
        }

        try
        {
            await _handler.HandleAsync(delivery, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            activity?.SetTag("funnel.outcome", "cancelled");
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var failures = entry.FailedAttempts + 1;
            var park = failures >= _options.MaxAttempts;
            var now = _time.GetUtcNow();
            var next = park ? now : now + _options.BackoffAfter(failures);
            await _store.RecordOutboxFailureAsync(entry.Id, $"{ex.GetType().Name}: {ex.Message}", next, park, CancellationToken.None).ConfigureAwait(false);
            if (_instruments.OutboxFailures.Enabled)
            {
                _instruments.OutboxFailures.Add(1, new KeyValuePair<string, object?>("type", entry.Message.Type), new KeyValuePair<string, object?>("parked", park));
            }

            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.SetTag("funnel.outcome", park ? "parked" : "retry");
            if (park)
            {
                LogParked(_logger, entry.Id, entry.Message.Type, entry.JourneyId, failures, ex);
            }
            else
            {
                LogFailed(_logger, entry.Id, entry.Message.Type, entry.JourneyId, failures, next, ex);
            }

            return park;
        }

        // Acknowledged even while stopping: the handler finished, so sending it again would only duplicate it.
        var acknowledgedAt = _time.GetUtcNow();
        await _store.AcknowledgeOutboxAsync([entry.Id], acknowledgedAt, CancellationToken.None).ConfigureAwait(false);
        activity?.SetTag("funnel.outcome", "delivered");
        var type = new KeyValuePair<string, object?>("type", entry.Message.Type);
        if (_instruments.OutboxDelivered.Enabled)
        {
            _instruments.OutboxDelivered.Add(1, type);
        }

        if (_instruments.OutboxDeliveryLag.Enabled)
        {
            _instruments.OutboxDeliveryLag.Record(Math.Max(0, (acknowledgedAt - entry.Message.CreatedAt).TotalSeconds), type);
        }

        return true;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Outbox message {Id} ({Type}) of journey {JourneyId} failed (attempt {Attempt}); next attempt at {NextAttemptAt:O}")]
    private static partial void LogFailed(ILogger logger, long id, string type, string journeyId, int attempt, DateTimeOffset nextAttemptAt, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Outbox message {Id} ({Type}) of journey {JourneyId} parked after {Attempts} failed attempts")]
    private static partial void LogParked(ILogger logger, long id, string type, string journeyId, int attempts, Exception exception);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "The outbox dispatcher {State}")]
    private static partial void LogLeaseChanged(ILogger logger, string state);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "The outbox could not be read; the dispatcher tries again in {Wait}")]
    private static partial void LogStoreFailed(ILogger logger, TimeSpan wait, Exception exception);
}
