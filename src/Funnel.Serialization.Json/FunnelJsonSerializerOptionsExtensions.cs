using System.Text.Json;
using Funnel.Serialization.Json.Converters;

namespace Funnel.Serialization.Json;

/// <summary>The one entry point that makes a <see cref="JsonSerializerOptions"/> read and write Funnel types.</summary>
public static class FunnelJsonSerializerOptionsExtensions
{
    /// <summary>
    /// Adds the converters for <see cref="Core.FunnelDefinition"/>, <see cref="FunnelDefinitionDocument"/> (a
    /// definition with its rules), <see cref="Core.Journey"/> and
    /// <see cref="Core.FunnelEvent"/> (and arrays and lists of them), <see cref="Core.Metrics.FunnelReport"/>, <see cref="Core.Bulk.TransitionReport"/> (reflection-based options only), and the source-generated
    /// <see cref="FunnelJsonContext"/> so that trimmed and native-AOT apps work.
    /// </summary>
    /// <remarks>
    /// <para>Converters for Funnel types that the options already hold are replaced. When the options have type-info
    /// resolvers (a source-generated context of the app), <see cref="FunnelJsonContext.Default"/> is appended to the
    /// chain; when they have none and reflection is disabled (native AOT), it becomes the resolver; otherwise the
    /// default reflection-based resolver uses the converters.</para>
    /// <para>Reading errors are <see cref="JsonException"/>s whose message names the JSON path of every problem;
    /// <see cref="FunnelJson"/> turns them into a <see cref="FunnelJsonException"/> with a line number per problem.</para>
    /// <para>Call this before the options are first used: options become read-only then.</para>
    /// </remarks>
    /// <param name="options">The options to configure.</param>
    /// <param name="configure">Adds the definitions that journeys and reports refer to and sets the rule types; optional.</param>
    /// <returns>The same options, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The options are read-only (already used).</exception>
    /// <example>
    /// <code>
    /// var options = new JsonSerializerOptions { WriteIndented = true }.ConfigureForFunnel(f => f.AddDefinitions(FunnelTemplates.All));
    /// string json = JsonSerializer.Serialize(FunnelTemplates.Aida, options);
    /// </code>
    /// </example>
    public static JsonSerializerOptions ConfigureForFunnel(this JsonSerializerOptions options, Action<FunnelJsonConfiguration>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuration = new FunnelJsonConfiguration();
        configure?.Invoke(configuration);
        var journeys = new JourneyJsonConverter(configuration.Definitions);

        for (var i = options.Converters.Count - 1; i >= 0; i--)
        {
            if (options.Converters[i] is FunnelDefinitionJsonConverter or FunnelDefinitionDocumentJsonConverter or FunnelEventJsonConverter or JourneyJsonConverter or FunnelReportJsonConverter or TransitionReportJsonConverter)
            {
                options.Converters.RemoveAt(i);
            }
        }

        options.Converters.Add(FunnelDefinitionJsonConverter.Instance);
        options.Converters.Add(new FunnelDefinitionDocumentJsonConverter(configuration.RuleTypes));
        options.Converters.Add(FunnelEventJsonConverter.Instance);
        options.Converters.Add(journeys);
        options.Converters.Add(new FunnelReportJsonConverter(configuration.Definitions));
        options.Converters.Add(TransitionReportJsonConverter.Instance);
        if (options.TypeInfoResolverChain.Count > 0 || !JsonSerializer.IsReflectionEnabledByDefault)
        {
            if (!options.TypeInfoResolverChain.Contains(FunnelJsonContext.Default))
            {
                options.TypeInfoResolverChain.Add(FunnelJsonContext.Default);
            }
        }

        return options;
    }
}
