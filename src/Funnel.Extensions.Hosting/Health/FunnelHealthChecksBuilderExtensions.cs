using Funnel.Extensions.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Funnel.Extensions.Hosting.Health;

/// <summary>Adds Funnel's health checks to <c>services.AddHealthChecks()</c>.</summary>
public static class FunnelHealthChecksBuilderExtensions
{
    /// <summary>The name of the store check: <c>funnel-store</c> (reachable, schema at the latest version).</summary>
    public const string StoreCheckName = "funnel-store";

    /// <summary>The name of the outbox check: <c>funnel-outbox</c> (backlog, oldest pending age, parked messages).</summary>
    public const string OutboxCheckName = "funnel-outbox";

    /// <summary>
    /// Adds two checks over the registered <see cref="Core.Storage.JourneyStore"/>: <c>funnel-store</c> (the store
    /// is reachable and its schema at the package's version) and <c>funnel-outbox</c> (the backlog and the age of the
    /// oldest pending message against <see cref="FunnelHealthOptions"/>; parked messages make it Degraded).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="tags">Tags for both checks, such as <c>ready</c>; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHealthChecksBuilder AddFunnelHealthChecks(this IHealthChecksBuilder builder, params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<FunnelHostingOptions>();
        return builder
            .AddCheck<FunnelStoreHealthCheck>(StoreCheckName, HealthStatus.Unhealthy, tags)
            .AddCheck<FunnelOutboxHealthCheck>(OutboxCheckName, HealthStatus.Unhealthy, tags);
    }
}
