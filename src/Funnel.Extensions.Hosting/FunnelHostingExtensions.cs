using System.Diagnostics.CodeAnalysis;
using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Core.Storage;
using Funnel.Extensions.DependencyInjection;
using Funnel.Extensions.Hosting.Configuration;
using Funnel.Extensions.Hosting.Internal;
using Funnel.Extensions.Hosting.Journeys;
using Funnel.Extensions.Hosting.Outbox;
using Funnel.Extensions.Hosting.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Funnel.Extensions.Hosting;

/// <summary>
/// Hosting registrations chained on <c>services.AddFunnel()</c>: the store, the workflow, the outbox dispatcher and
/// its handler, the <c>"Funnel"</c> configuration section, and funnels as keyed services.
/// </summary>
/// <example>
/// <code>
/// builder.Services.AddFunnel()
///     .AddConfiguration(builder.Configuration.GetSection("Funnel"))
///     .AddSqliteStore()                                  // Funnel:Store:ConnectionString
///     .AddOutboxDispatcher()
///     .AddOutboxHandler&lt;CrmTaskHandler&gt;()
///     .AddKeyedFunnel("b2b-pipeline");
/// builder.Services.AddHealthChecks().AddFunnelHealthChecks();
/// </code>
/// </example>
public static class FunnelHostingExtensions
{
    /// <summary>
    /// Reads the <c>"Funnel"</c> configuration section: definitions (<c>Definitions</c>: file or folder paths, or
    /// <c>{ "Path": ... }</c> / <c>{ "Json": "..." }</c> entries), <c>Store</c>, <c>Outbox</c> and <c>Health</c>
    /// settings. At start-up every problem — a value that does not parse, an unknown key, a setting out of range, a
    /// bad definition — stops the host, all listed at once with their configuration paths.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section, such as <c>builder.Configuration.GetSection("Funnel")</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static FunnelBuilder AddConfiguration(this FunnelBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        AddHostingCore(builder.Services);
        ConfigurationReader.AddDefinitions(section, builder);
        builder.Services.Configure<FunnelHostingOptions>(options =>
        {
            options.SectionPath = section.Path;
            ConfigurationReader.Apply(section, options);
        });
        return builder;
    }

    /// <summary>Changes hosting settings in code (after the configuration is read); validated at start-up like the configuration.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the settings.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static FunnelBuilder ConfigureHosting(this FunnelBuilder builder, Action<FunnelHostingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddHostingCore(builder.Services);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Registers the journey store (a singleton the container disposes) and <see cref="FunnelJourneyWorkflow"/>. Store
    /// packages add their own forms (<c>AddSqliteStore</c>, <c>AddPostgreSqlStore</c>); use this one for any other
    /// <see cref="JourneyStore"/>. Build the store's options with <see cref="CreateStoreOptions"/>. A lease registered for
    /// the previous store is removed; register one for this store with <see cref="AddOutboxLease"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the store.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static FunnelBuilder AddStore(this FunnelBuilder builder, Func<IServiceProvider, JourneyStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        AddHostingCore(builder.Services);
        builder.Services.RemoveAll<JourneyStore>();
        builder.Services.RemoveAll<IFunnelOutboxLease>(); // a lease belongs to the store it guards
        builder.Services.AddSingleton(factory);
        builder.Services.TryAddSingleton<FunnelJourneyWorkflow>();
        return builder;
    }

    /// <summary>
    /// Creates the options of a store for the registered funnels: definitions resolved through
    /// <see cref="IFunnelRegistry"/>, times from the container's <see cref="TimeProvider"/>.
    /// </summary>
    /// <param name="services">The container.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static JourneyStoreOptions CreateStoreOptions(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registry = services.GetRequiredService<IFunnelRegistry>();
        return new JourneyStoreOptions(
            key => registry.TryGetFunnel(key, out var funnel) ? funnel.Definition : null,
            timeProvider: services.GetService<TimeProvider>());
    }

    /// <summary>Gets the connection string of <c>Funnel:Store:ConnectionString</c>, for store registrations called without one.</summary>
    /// <param name="services">The container.</param>
    /// <param name="storeName">The store's name for the message, such as <c>AddSqliteStore()</c>.</param>
    /// <returns>The connection string.</returns>
    /// <exception cref="InvalidOperationException">None is configured.</exception>
    public static string GetConfiguredConnectionString(IServiceProvider services, string storeName)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptions<FunnelHostingOptions>>().Value;
        return options.Store.ConnectionString is { Length: > 0 } connectionString
            ? connectionString
            : throw new InvalidOperationException($"{storeName} was called without a connection string, and {options.SectionPath}:Store:ConnectionString is not set.");
    }

    /// <summary>
    /// Adds the outbox dispatcher (<see cref="FunnelOutboxDispatcher"/>, a hosted <c>BackgroundService</c>). Register a
    /// handler with <see cref="AddOutboxHandler{THandler}"/> or the delegate form, and a store.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the outbox settings after the configuration; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static FunnelBuilder AddOutboxDispatcher(this FunnelBuilder builder, Action<FunnelOutboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddHostingCore(builder.Services);
        if (configure is not null)
        {
            builder.Services.Configure<FunnelHostingOptions>(options => configure(options.Outbox));
        }

        builder.Services.TryAddSingleton<FunnelOutboxDispatcher>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FunnelOutboxDispatcherHost>());
        return builder;
    }

    /// <summary>
    /// Registers the lease that lets one of several app instances on one database run the outbox dispatcher at a time,
    /// replacing the one a store registered (<c>AddSqliteStore</c>: a lock file beside the database file;
    /// <c>AddPostgreSqlStore</c>: an advisory lock). Call it after the store.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the lease (a singleton; disposed with the container when disposable).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static FunnelBuilder AddOutboxLease(this FunnelBuilder builder, Func<IServiceProvider, IFunnelOutboxLease> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.RemoveAll<IFunnelOutboxLease>();
        builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>Registers the handler that carries out outbox messages (a singleton).</summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static FunnelBuilder AddOutboxHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this FunnelBuilder builder)
        where THandler : class, IFunnelOutboxHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IFunnelOutboxHandler>();
        builder.Services.AddSingleton<IFunnelOutboxHandler, THandler>();
        return builder;
    }

    /// <summary>Registers a delegate that carries out outbox messages.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="handler">Carries out one message; throwing fails the attempt.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static FunnelBuilder AddOutboxHandler(this FunnelBuilder builder, Func<OutboxDelivery, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(handler);
        builder.Services.RemoveAll<IFunnelOutboxHandler>();
        builder.Services.AddSingleton<IFunnelOutboxHandler>(new DelegateOutboxHandler(handler));
        return builder;
    }

    /// <summary>
    /// Makes one funnel injectable by its definition key: <see cref="RegisteredFunnel"/>, <see cref="FunnelDefinition"/>
    /// and <see cref="RuleSet"/> as keyed singletons (<c>[FromKeyedServices("b2b")] FunnelDefinition definition</c>).
    /// A key that no definition has stops the host at start-up.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="definitionKey">The definition key, also the service key.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="definitionKey"/> is blank.</exception>
    public static FunnelBuilder AddKeyedFunnel(this FunnelBuilder builder, string definitionKey)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(definitionKey);
        var services = builder.Services;
        services.TryAddKeyedSingleton(definitionKey, (sp, _) => sp.GetRequiredService<IFunnelRegistry>().GetFunnel(definitionKey));
        services.TryAddKeyedSingleton(definitionKey, (sp, key) => sp.GetRequiredKeyedService<RegisteredFunnel>(key).Definition);
        services.TryAddKeyedSingleton(definitionKey, (sp, key) => sp.GetRequiredKeyedService<RegisteredFunnel>(key).Rules);
        services.AddSingleton<IValidateOptions<FunnelOptions>>(new KeyedFunnelValidator(definitionKey));
        return builder;
    }

    private static void AddHostingCore(IServiceCollection services)
    {
        services.AddOptions<FunnelHostingOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FunnelHostingOptions>, FunnelHostingOptionsValidator>());
        services.TryAddSingleton<FunnelOutboxSignal>();
        services.TryAddSingleton<FunnelHostingInstruments>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FunnelSchemaInitializer>());
    }
}
