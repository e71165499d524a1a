using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Funnel.Core;
using Funnel.Serialization.Json.Converters;

namespace Funnel.Serialization.Json;

/// <summary>
/// The source-generated serializer context for the Funnel types, so that trimmed and native-AOT apps can read and
/// write them without reflection. <see cref="FunnelJsonSerializerOptionsExtensions.ConfigureForFunnel"/> adds it to
/// the options' resolver chain when needed; add it yourself to combine it with your own context.
/// </summary>
/// <remarks>
/// <see cref="Default"/> writes every type and reads definitions and events; journeys and reports can be read only
/// through options configured with their definitions (<c>ConfigureForFunnel(f =&gt; f.AddDefinition(...))</c>).
/// The context is immutable and thread-safe.
/// </remarks>
[JsonSourceGenerationOptions(
    Converters = [typeof(FunnelDefinitionJsonConverter), typeof(FunnelDefinitionDocumentJsonConverter), typeof(FunnelEventJsonConverter), typeof(JourneyJsonConverter), typeof(FunnelReportJsonConverter)])]
[JsonSerializable(typeof(Funnel.Core.Metrics.FunnelReport))]
[JsonSerializable(typeof(FunnelDefinitionDocument))]
[JsonSerializable(typeof(FunnelDefinition))]
[JsonSerializable(typeof(FunnelDefinition[]))]
[JsonSerializable(typeof(List<FunnelDefinition>))]
[JsonSerializable(typeof(Journey))]
[JsonSerializable(typeof(Journey[]))]
[JsonSerializable(typeof(List<Journey>))]
[JsonSerializable(typeof(FunnelEvent))]
[JsonSerializable(typeof(FunnelEvent[]))]
[JsonSerializable(typeof(List<FunnelEvent>))]
[JsonSerializable(typeof(ImmutableArray<FunnelEvent>))]
public sealed partial class FunnelJsonContext : JsonSerializerContext
{
}
