using System.Collections.Immutable;

namespace Funnel.Extensions.Hosting.Configuration;

/// <summary>
/// The settings of the hosting integration: the store, the outbox dispatcher and the health checks. Filled from the
/// <c>"Funnel"</c> configuration section by <see cref="FunnelHostingExtensions.AddConfiguration"/> and by the
/// <c>configure</c> delegates of the builder methods; validated at start-up with every problem and its path.
/// </summary>
/// <remarks>The options system creates and fills an instance once; after that it is only read, from any thread.</remarks>
public sealed class FunnelHostingOptions
{
    /// <summary>Gets the store settings (<c>Funnel:Store</c>).</summary>
    public FunnelStoreOptions Store { get; } = new();

    /// <summary>Gets the outbox dispatcher settings (<c>Funnel:Outbox</c>).</summary>
    public FunnelOutboxOptions Outbox { get; } = new();

    /// <summary>Gets the health check thresholds (<c>Funnel:Health</c>).</summary>
    public FunnelHealthOptions Health { get; } = new();

    /// <summary>Gets or sets the configuration path the settings were read from, for messages; <c>Funnel</c> by default.</summary>
    internal string SectionPath { get; set; } = "Funnel";

    /// <summary>Gets the problems found while reading the configuration, each with its configuration path.</summary>
    internal ImmutableArray<string>.Builder ConfigurationProblems { get; } = ImmutableArray.CreateBuilder<string>();
}
