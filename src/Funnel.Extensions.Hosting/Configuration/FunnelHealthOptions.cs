namespace Funnel.Extensions.Hosting.Configuration;

/// <summary>Thresholds of the outbox health check (<c>Funnel:Health</c>): a backlog or an oldest waiting message beyond them is Degraded or Unhealthy.</summary>
/// <remarks>Filled once by the options system, then only read.</remarks>
public sealed class FunnelHealthOptions
{
    /// <summary>Gets or sets the pending messages from which the outbox is Degraded. <value>The default is 1000.</value></summary>
    public long BacklogDegraded { get; set; } = 1000;

    /// <summary>Gets or sets the pending messages from which the outbox is Unhealthy. <value>The default is 10000; at least <see cref="BacklogDegraded"/>.</value></summary>
    public long BacklogUnhealthy { get; set; } = 10_000;

    /// <summary>Gets or sets the age of the oldest pending message from which the outbox is Degraded. <value>The default is 5 minutes.</value></summary>
    public TimeSpan OldestAgeDegraded { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the age of the oldest pending message from which the outbox is Unhealthy. <value>The default is 30 minutes; at least <see cref="OldestAgeDegraded"/>.</value></summary>
    public TimeSpan OldestAgeUnhealthy { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets or sets a value indicating whether parked messages make the outbox Degraded. <value>The default is <see langword="true"/>.</value></summary>
    public bool ParkedIsDegraded { get; set; } = true;
}
