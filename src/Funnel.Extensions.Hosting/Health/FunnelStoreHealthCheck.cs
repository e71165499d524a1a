using Funnel.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Funnel.Extensions.Hosting.Health;

/// <summary>The store is reachable and its schema at the version the package knows (an older or newer schema is Unhealthy).</summary>
internal sealed class FunnelStoreHealthCheck(JourneyStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        StoreSchemaStatus schema;
        try
        {
            schema = await store.GetSchemaStatusAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The journey store cannot be reached: {ex.Message}", ex);
        }

        var data = new Dictionary<string, object> { ["schemaVersion"] = schema.CurrentVersion, ["latestSchemaVersion"] = schema.LatestVersion };
        return schema.IsCurrent
            ? HealthCheckResult.Healthy($"The journey store is reachable at {schema}.", data)
            : new HealthCheckResult(
                context.Registration.FailureStatus,
                schema.CurrentVersion < schema.LatestVersion
                    ? $"The database is at {schema}: run EnsureCreatedAsync (or set Funnel:Store:CreateSchemaAtStart) to migrate it."
                    : $"The database is at {schema}, newer than this package knows: update the Funnel.Storage package.",
                data: data);
    }
}
