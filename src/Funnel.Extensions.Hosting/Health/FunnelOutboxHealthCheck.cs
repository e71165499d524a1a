using System.Globalization;
using Funnel.Core.Storage;
using Funnel.Extensions.Hosting.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Funnel.Extensions.Hosting.Health;

/// <summary>The outbox backlog and the age of its oldest pending message against the thresholds of <see cref="FunnelHealthOptions"/>.</summary>
internal sealed class FunnelOutboxHealthCheck(JourneyStore store, IOptions<FunnelHostingOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        OutboxStatus status;
        try
        {
            status = await store.GetOutboxStatusAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The outbox cannot be read: {ex.Message}", ex);
        }

        var limits = options.Value.Health;
        var age = status.OldestPendingCreatedAt is { } oldest ? time.GetUtcNow() - oldest : TimeSpan.Zero;
        var data = new Dictionary<string, object>
        {
            ["pending"] = status.PendingCount,
            ["parked"] = status.ParkedCount,
            ["oldestPendingAgeSeconds"] = Math.Max(0, Math.Round(age.TotalSeconds, 3)),
        };
        var problems = new List<string>();
        var result = HealthStatus.Healthy;
        void Over(bool unhealthy, bool degraded, string text)
        {
            if (unhealthy)
            {
                result = HealthStatus.Unhealthy;
                problems.Add(text);
            }
            else if (degraded)
            {
                result = result == HealthStatus.Unhealthy ? result : HealthStatus.Degraded;
                problems.Add(text);
            }
        }

        Over(status.PendingCount >= limits.BacklogUnhealthy, status.PendingCount >= limits.BacklogDegraded, string.Create(CultureInfo.InvariantCulture, $"{status.PendingCount} messages pending (degraded from {limits.BacklogDegraded}, unhealthy from {limits.BacklogUnhealthy})"));
        Over(status.PendingCount > 0 && age >= limits.OldestAgeUnhealthy, status.PendingCount > 0 && age >= limits.OldestAgeDegraded, string.Create(CultureInfo.InvariantCulture, $"the oldest pending message waits for {age:c} (degraded from {limits.OldestAgeDegraded:c}, unhealthy from {limits.OldestAgeUnhealthy:c})"));
        Over(false, limits.ParkedIsDegraded && status.ParkedCount > 0, string.Create(CultureInfo.InvariantCulture, $"{status.ParkedCount} messages parked after too many failed attempts"));
        if (result == HealthStatus.Unhealthy)
        {
            result = context.Registration.FailureStatus;
        }

        var description = problems.Count == 0 ? $"Outbox: {status}." : $"Outbox: {string.Join("; ", problems)}.";
        return new HealthCheckResult(result, description, data: data);
    }
}
