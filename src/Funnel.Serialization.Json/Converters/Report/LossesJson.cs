using System.Collections.Immutable;
using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json.Internal;
using static Funnel.Serialization.Json.Converters.Report.ReportJsonChecks;

namespace Funnel.Serialization.Json.Converters.Report;

/// <summary>One loss reason's count in a breakdown as read, with its path.</summary>
internal sealed record ReasonJson(string Path, string Key, long Count);

/// <summary>
/// A <see cref="LossBreakdown"/> as the report writes it (<c>{ "total", "recoverable", "byReason": { "reason": count } }</c>)
/// and as read, with its path: the reasons are checked against the definition (<see cref="CheckReasons"/>), the counts
/// against the restored report (<see cref="Check"/>).
/// </summary>
internal sealed record LossesJson(string Path, long Total, long Recoverable, List<ReasonJson> ByReason)
{
    private static readonly JsonObjectShape<LossBreakdown, Fields> Shape = new(
        "a loss breakdown",
        JsonShapeReading.FirstProblem,
        new("total", (ref r, c, s) => s.Total = c.ReadCount(ref r, "the total losses"), (w, n, v) => w.WriteNumber(n, v.Total)) { Required = true },
        new("recoverable", (ref r, c, s) => s.Recoverable = c.ReadCount(ref r, "the recoverable losses"), (w, n, v) => w.WriteNumber(n, v.Recoverable)) { Required = true },
        new("byReason", (ref r, c, s) => s.ReadByReason(ref r, c), (w, n, v) =>
        {
            w.WriteStartObject(n);
            foreach (var reason in v.ByReason)
            {
                w.WriteNumber(reason.Reason.Key.Value, reason.Count);
            }

            w.WriteEndObject();
        }) { Required = true });

    /// <summary>Reads a loss breakdown; null when a value is missing.</summary>
    public static LossesJson? Read(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var path = context.Path;
        var fields = new Fields();
        Shape.Read(ref reader, context, fields);
        return fields is { Total: { } total, Recoverable: { } recoverable, ByReason: { } byReason } ? new LossesJson(path, total, recoverable, byReason) : null;
    }

    public static void Write(Utf8JsonWriter writer, string name, LossBreakdown value) => Shape.Write(writer, name, value);

    /// <summary>Checks that the breakdown names exactly the definition's loss reasons.</summary>
    public void CheckReasons(JsonReadContext context, FunnelDefinition definition)
    {
        foreach (var reason in ByReason)
        {
            if (!definition.TryGetLossReason(reason.Key, out _))
            {
                context.Report(reason.Path, $"'{reason.Key}' is not a loss reason of the definition '{definition.Key}'; its loss reasons: {string.Join(", ", definition.LossReasons.Select(r => r.Key))}");
            }
        }

        var missing = definition.LossReasons.Where(r => !ByReason.Exists(b => b.Key == r.Key.Value)).Select(r => "'" + r.Key + "'").ToList();
        if (missing.Count > 0)
        {
            context.Report(Path + ".byReason", $"every loss reason of the definition '{definition.Key}' has a count; missing {string.Join(", ", missing)}");
        }
    }

    /// <summary>The counts in the definition's loss-reason order (every reason is there: <see cref="CheckReasons"/>).</summary>
    public ImmutableArray<long> InReasonOrder(FunnelDefinition definition) =>
        [.. definition.LossReasons.Select(r => ByReason.Find(b => b.Key == r.Key.Value)?.Count ?? 0)];

    /// <summary>Checks every count written against the restored breakdown.</summary>
    public void Check(JsonReadContext context, LossBreakdown restored)
    {
        CheckEqual(context, Path + ".total", Total, restored.Total);
        CheckEqual(context, Path + ".recoverable", Recoverable, restored.Recoverable);
        foreach (var reason in ByReason)
        {
            CheckEqual(context, reason.Path, reason.Count, restored[new LossReasonKey(reason.Key)]);
        }
    }

    private sealed class Fields
    {
        public long? Total { get; set; }

        public long? Recoverable { get; set; }

        public List<ReasonJson>? ByReason { get; private set; }

        public void ReadByReason(ref Utf8JsonReader reader, JsonReadContext context)
        {
            ByReason = [];
            context.BeginObject(ref reader, "the losses by reason");
            while (context.NextProperty(ref reader, out var reason))
            {
                ByReason.Add(new ReasonJson(context.Path, reason, context.ReadCount(ref reader, "a loss count")));
                context.Pop();
            }
        }
    }
}
