using System.Text.Json;
using Funnel.Core.Rules;
using Funnel.Serialization.Json.Internal;

namespace Funnel.Serialization.Json.Converters;

/// <summary>Reads and writes a <see cref="FunnelDefinitionDocument"/>: the definition format plus <c>"rules"</c>.</summary>
internal sealed class FunnelDefinitionDocumentJsonConverter : FunnelJsonConverter<FunnelDefinitionDocument>
{
    private readonly RuleTypeRegistry _registry;

    /// <summary>Creates a converter that checks rules against <see cref="RuleTypeRegistry.Default"/>. Used by <see cref="FunnelJsonContext"/>.</summary>
    public FunnelDefinitionDocumentJsonConverter()
        : this(RuleTypeRegistry.Default)
    {
    }

    public FunnelDefinitionDocumentJsonConverter(RuleTypeRegistry registry) => _registry = registry;

    protected override FunnelDefinitionDocument ReadCore(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var definition = FunnelDefinitionJsonConverter.ReadObject(ref reader, context, _registry, out var rules);
        return new FunnelDefinitionDocument(definition, rules);
    }

    internal override void WriteCore(Utf8JsonWriter writer, FunnelDefinitionDocument value) =>
        FunnelDefinitionJsonConverter.WriteObject(writer, value.Definition, value.Rules);
}
