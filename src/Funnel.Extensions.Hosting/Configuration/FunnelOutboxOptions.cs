namespace Funnel.Extensions.Hosting.Configuration;

/// <summary>How the outbox dispatcher reads, retries and parks messages (<c>Funnel:Outbox</c>).</summary>
/// <remarks>Filled once by the options system, then only read.</remarks>
public sealed class FunnelOutboxOptions
{
    /// <summary>Gets or sets the number of messages read at once. <value>The default is 100; 1 to 10000.</value></summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Gets or sets how long the dispatcher waits when nothing is due (a save through the workflow wakes it earlier). <value>The default is 1 second; more than zero.</value></summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the failed attempts after which a message is parked (kept, no longer delivered). <value>The default is 10; at least 1.</value></summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Gets or sets the wait after the first failure; it doubles with every further failure. <value>The default is 1 second; more than zero.</value></summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest wait between two attempts. <value>The default is 5 minutes; at least <see cref="InitialBackoff"/>.</value></summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets the wait before attempt <paramref name="failedAttempts"/> + 1: <see cref="InitialBackoff"/> × 2^(failures − 1), at most <see cref="MaxBackoff"/>.</summary>
    /// <param name="failedAttempts">The failures so far; at least 1.</param>
    /// <returns>The wait.</returns>
    public TimeSpan BackoffAfter(int failedAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var factor = Math.Pow(2, Math.Min(failedAttempts - 1, 40));
        var ticks = InitialBackoff.Ticks * factor;
        return ticks >= MaxBackoff.Ticks ? MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }
}
