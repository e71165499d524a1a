using System.Collections.Immutable;
using System.Text.Json;
using Funnel.Core;

namespace Funnel.Storage.Internal;

/// <summary>
/// The audit of a forced change in the history table (schema version 2): <c>forced_by</c> and <c>forced_reason</c>
/// are the override's actor and reason (both <c>NULL</c> for an ordinary change), <c>forced_overridden</c> the
/// overridden violations as a JSON array of <c>{"ruleId", "message", "data"}</c> objects — the shape the JSON
/// adapter writes.
/// </summary>
internal static class OverrideColumns
{
    /// <summary>Writes the overridden violations as JSON text, or returns <see langword="null"/> for an ordinary change.</summary>
    public static string? WriteOverridden(MoveOverride? forced)
    {
        if (forced is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var violation in forced.Overridden)
            {
                writer.WriteStartObject();
                writer.WriteString("ruleId", violation.RuleId);
                writer.WriteString("message", violation.Message);
                writer.WriteStartObject("data");
                foreach (var pair in violation.Data.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(pair.Key, pair.Value);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Rebuilds the audit record from the three columns.</summary>
    /// <exception cref="FormatException">The columns are not a valid audit record (one of actor and reason without the other, or JSON of another shape).</exception>
    public static MoveOverride? Read(string? actor, string? reason, string? overridden)
    {
        if (actor is null && reason is null && overridden is null)
        {
            return null;
        }

        if (actor is null || reason is null)
        {
            throw new FormatException("a forced change needs both forced_by and forced_reason");
        }

        var violations = ImmutableArray.CreateBuilder<MoveViolation>();
        if (overridden is not null)
        {
            try
            {
                using var document = JsonDocument.Parse(overridden);
                foreach (var item in Items(document.RootElement))
                {
                    var data = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
                    if (item.TryGetProperty("data", out var map))
                    {
                        foreach (var property in Properties(map))
                        {
                            data[property.Name] = property.Value.GetString() ?? throw new FormatException("a violation data value is null");
                        }
                    }

                    violations.Add(new MoveViolation(Text(item, "ruleId"), Text(item, "message"), data.ToImmutable()));
                }
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException or KeyNotFoundException)
            {
                throw new FormatException("forced_overridden is not a JSON array of {ruleId, message, data} objects: " + exception.Message, exception);
            }
        }

        return new MoveOverride(actor, reason, violations.ToImmutable());
    }

    private static JsonElement.ArrayEnumerator Items(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : throw new FormatException("forced_overridden is not a JSON array");

    private static JsonElement.ObjectEnumerator Properties(JsonElement map) =>
        map.ValueKind == JsonValueKind.Object ? map.EnumerateObject() : throw new FormatException("a violation's data is not a JSON object");

    private static string Text(JsonElement item, string name) =>
        item.GetProperty(name).GetString() ?? throw new FormatException($"a violation's {name} is null");
}
