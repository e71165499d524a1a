using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Funnel.Extensions.DependencyInjection.Internal;

namespace Funnel.Extensions.DependencyInjection;

/// <summary>Registers Funnel.Core in a <see cref="IServiceCollection"/>.</summary>
public static class FunnelServiceCollectionExtensions
{
    /// <summary>
    /// Adds Funnel.Core: the <see cref="IFunnelRegistry"/> of definitions, the <see cref="FunnelJourneyService"/>,
    /// <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is registered, and validation of every
    /// definition at start-up (a bad definition stops the host with the full problem list).
    /// </summary>
    /// <remarks>
    /// Defaults are registered with <c>TryAdd*</c>, so registrations made before or after this call win. Calling it
    /// again adds nothing twice; each call may add more definitions. The funnels' rule sets record their measurements
    /// on a meter from the container's <see cref="System.Diagnostics.Metrics.IMeterFactory"/> when one is registered
    /// (<c>services.AddMetrics()</c>, or any host), else on Funnel.Core's static meter.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adds definitions; optional (chain on the returned builder instead).</param>
    /// <returns>A builder to add definitions and to let other Funnel packages chain their registrations.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <example>
    /// <code>
    /// builder.Services.AddFunnel()
    ///     .AddDefinition(FunnelTemplates.B2BPipeline)
    ///     .AddJsonDefinitions("funnels");
    /// </code>
    /// </example>
    public static FunnelBuilder AddFunnel(this IServiceCollection services, Action<FunnelBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(FunnelMarker)))
        {
            services.AddSingleton<FunnelMarker>();
            services.AddOptions<FunnelOptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<FunnelOptions>, FunnelOptionsLoader>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FunnelOptions>, FunnelOptionsValidator>());
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton<IFunnelRegistry, FunnelRegistry>();
            services.TryAddSingleton<FunnelJourneyService>();
        }

        var builder = new FunnelBuilder(services);
        configure?.Invoke(builder);
        return builder;
    }
}
