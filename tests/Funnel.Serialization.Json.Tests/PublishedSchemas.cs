using System.Text.Json;
using Json.Schema;

namespace Funnel.Serialization.Json.Tests;

/// <summary>
/// The JSON Schemas the package publishes, checked by a full validator (JsonSchema.Net): every JSON the adapter writes
/// must follow its schema, and so must every sample file that refers to one.
/// </summary>
internal static class PublishedSchemas
{
    /// <summary>The definition schema (<see cref="FunnelJson.DefinitionSchema"/>, <c>schemas/funnel-definition.schema.json</c>).</summary>
    public static readonly JsonSchema Definition = JsonSchema.FromText(FunnelJson.DefinitionSchema);

    /// <summary>The journey schema (<c>schemas/funnel-journey.schema.json</c>, copied beside the tests).</summary>
    public static readonly JsonSchema Journey = JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "funnel-journey.schema.json")));

    /// <summary>The report schema (<c>schemas/funnel-report.schema.json</c>, copied beside the tests).</summary>
    public static readonly JsonSchema Report = Load("funnel-report.schema.json");

    /// <summary>The bulk report schema (<c>schemas/funnel-transition-report.schema.json</c>, copied beside the tests).</summary>
    public static readonly JsonSchema TransitionReport = Load("funnel-transition-report.schema.json");

    /// <summary>
    /// The schema of <c>funnel analyze --format json</c> (<c>schemas/funnel-analyze.schema.json</c>), which refers to the
    /// two report schemas by their <c>$id</c>; built after them, so that they are registered.
    /// </summary>
    public static readonly JsonSchema Analyze = Load("funnel-analyze.schema.json");

    /// <summary>Formats are checked too ("date-time"), not only collected as annotations.</summary>
    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    /// <summary>Builds a published schema and registers it by its <c>$id</c>, so that other schemas can refer to it.</summary>
    private static JsonSchema Load(string fileName)
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", fileName)));
        if (SchemaRegistry.Global.Get(schema.BaseUri) is null)
        {
            SchemaRegistry.Global.Register(schema);
        }

        return schema;
    }

    /// <summary>Every place where <paramref name="json"/> breaks <paramref name="schema"/>, as "JSON pointer: keyword: message"; empty when it follows the schema.</summary>
    public static List<string> Problems(this JsonSchema schema, string json)
    {
        using var document = JsonDocument.Parse(json);
        return schema.Problems(document.RootElement);
    }

    /// <inheritdoc cref="Problems(JsonSchema, string)"/>
    public static List<string> Problems(this JsonSchema schema, JsonElement json)
    {
        var results = schema.Evaluate(json, Options);
        var problems = new List<string>();
        if (results.IsValid)
        {
            return problems;
        }

        foreach (var node in (IEnumerable<EvaluationResults>?)results.Details ?? [])
        {
            foreach (var (keyword, message) in (IEnumerable<KeyValuePair<string, string>>?)node.Errors ?? [])
            {
                problems.Add($"{node.InstanceLocation}: {keyword}: {message}");
            }
        }

        // A failed result without details still fails the check, with its own location.
        if (problems.Count == 0)
        {
            problems.Add($"{results.InstanceLocation}: the JSON does not follow the schema");
        }

        return problems;
    }
}
