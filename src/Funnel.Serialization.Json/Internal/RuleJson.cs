using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Funnel.Core.Rules;

namespace Funnel.Serialization.Json.Internal;

/// <summary>
/// Rules in definition JSON: <c>{"type": "max-attempts", "parameters": {"maxAttempts": 3, "stages": ["a", "b"]}}</c>.
/// Parameter values may be strings, numbers, booleans or arrays of strings (joined with commas), and become the text
/// parameters of a <see cref="RuleDescriptor"/>.
/// </summary>
internal static partial class RuleJson
{
    internal static readonly string[] RuleProperties = ["type", "parameters"];

    public static void ReadRules(ref Utf8JsonReader reader, JsonReadContext context, List<(string Path, RuleDescriptor Rule)> rules)
    {
        context.BeginArray(ref reader, "the rules");
        while (context.NextItem(ref reader))
        {
            context.PushIndex(rules.Count);
            var objectPath = context.Path;
            context.BeginObject(ref reader, "a rule");
            string? type = null;
            var parameters = new List<KeyValuePair<string, string>>();
            while (context.NextProperty(ref reader, out var name))
            {
                switch (name)
                {
                    case "type":
                        type = context.ReadKey(ref reader, "the rule type name");
                        break;
                    case "parameters":
                        ReadParameters(ref reader, context, parameters);
                        break;
                    default:
                        throw context.UnknownProperty(name, "a rule", RuleProperties);
                }

                context.Pop();
            }

            if (type is null)
            {
                throw context.Fail(objectPath + ".type", "the property 'type' is required");
            }

            rules.Add((objectPath, new RuleDescriptor(type, parameters)));
            context.Pop();
        }
    }

    /// <summary>Creates every rule with the registry, and the whole set, reporting each problem at its rule's path.</summary>
    public static void Validate(JsonReadContext context, string root, List<(string Path, RuleDescriptor Rule)> rules, RuleTypeRegistry registry, Funnel.Core.FunnelDefinition? definition)
    {
        var allCreated = true;
        foreach (var (path, rule) in rules)
        {
            try
            {
                registry.Create(rule);
            }
            catch (RuleConfigurationException ex)
            {
                allCreated = false;
                context.Report(PathOf(path, rule, ex.Message, registry), ex.Message);
            }
        }

        if (!allCreated || rules.Count == 0)
        {
            return;
        }

        try
        {
            var builder = new RuleSetBuilder();
            foreach (var (_, rule) in rules)
            {
                builder.Add(rule, registry);
            }

            var ruleSet = builder.Build();
            if (definition is not null)
            {
                // Rules that name stages or reasons the definition lacks, or auto-moves its graph forbids.
                foreach (var problem in ruleSet.Validate(definition))
                {
                    var index = ruleSet.Rules.ToList().FindIndex(r => r.Id == problem.RuleId);
                    context.Report(index >= 0 && index < rules.Count ? rules[index].Path : root + ".rules", problem.ToString());
                }
            }
        }
        catch (RuleConfigurationException ex)
        {
            context.Report(root + ".rules", ex.Message);
        }
    }

    public static void WriteRules(Utf8JsonWriter writer, ImmutableArray<RuleDescriptor> rules)
    {
        writer.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            writer.WriteStartObject();
            writer.WriteString("type", rule.TypeName);
            if (!rule.Parameters.IsEmpty)
            {
                writer.WriteStartObject("parameters");
                foreach (var pair in rule.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(pair.Key, pair.Value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static string PathOf(string rulePath, RuleDescriptor rule, string message, RuleTypeRegistry registry)
    {
        if (!registry.TypeNames.Contains(rule.TypeName, StringComparer.Ordinal))
        {
            return rulePath + ".type";
        }

        var parameter = ParameterPattern().Match(message);
        if (parameter.Success && rule.Parameters.ContainsKey(parameter.Groups["name"].Value))
        {
            return rulePath + ".parameters" + JsonReadContext.PropertySegment(parameter.Groups["name"].Value);
        }

        return rulePath + (rule.Parameters.IsEmpty ? string.Empty : ".parameters");
    }

    private static void ReadParameters(ref Utf8JsonReader reader, JsonReadContext context, List<KeyValuePair<string, string>> parameters)
    {
        context.BeginObject(ref reader, "the rule parameters");
        while (context.NextProperty(ref reader, out var name))
        {
            var value = reader.TokenType switch
            {
                JsonTokenType.String => context.GetString(ref reader, "a rule parameter"),
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                JsonTokenType.StartArray => ReadList(ref reader, context),
                _ => throw context.Fail("a rule parameter is a string, a number, true/false or an array of strings"),
            };
            parameters.Add(KeyValuePair.Create(name, value));
            context.Pop();
        }
    }

    private static string ReadList(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var items = context.ReadStringArray(ref reader, "list parameter");
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Contains(',', StringComparison.Ordinal))
            {
                throw context.Fail(string.Create(CultureInfo.InvariantCulture, $"list item {i} '{items[i]}' contains a comma, which separates list items"));
            }
        }

        return string.Join(",", items);
    }

    [GeneratedRegex(@"parameter '(?<name>[^']+)'")]
    private static partial Regex ParameterPattern();
}
