using System.Text.Json;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json.Internal;
using static Funnel.Serialization.Json.Converters.Report.ReportJsonChecks;

namespace Funnel.Serialization.Json.Converters.Report;

/// <summary>
/// A query's exclusion step (<see cref="FunnelExclusion"/>) in the report format: <c>{ "stage", "fromStep", "toStep" }</c>
/// or <c>{ "lost": true, "lossReason", "fromStep", "toStep" }</c>.
/// </summary>
internal static class FunnelExclusionJson
{
    private static readonly JsonObjectShape<FunnelExclusion, Fields> Shape = new(
        "an exclusion step",
        JsonShapeReading.FirstProblem,
        new("stage", (ref r, c, s) => s.Stage = c.ReadKey(ref r, "the excluded stage key"), (w, n, v) =>
        {
            if (!v.IsLoss)
            {
                w.WriteString(n, v.StageKey);
            }
        }),
        new("lost", (ref r, c, s) => s.Lost = c.ReadBoolean(ref r, "whether losses are excluded"), (w, n, v) =>
        {
            if (v.IsLoss)
            {
                w.WriteBoolean(n, true);
            }
        }),
        new("lossReason", (ref r, c, s) => s.Reason = c.ReadKey(ref r, "the excluded loss reason key"), (w, n, v) =>
        {
            if (v.IsLoss && v.LossReasonKey is { } reason)
            {
                w.WriteString(n, reason);
            }
        }),
        new("fromStep", (ref r, c, s) => s.From = c.ReadInt32(ref r, "the step after which the exclusion counts"), (w, n, v) => w.WriteNumber(n, v.FromStep)) { Required = true },
        new("toStep", (ref r, c, s) => s.To = c.ReadInt32(ref r, "the step before which the exclusion counts"), (w, n, v) => w.WriteNumber(n, v.ToStep)) { Required = true });

    /// <summary>Reads the query's exclusion steps; one with a problem is reported and kept as <see langword="null"/>.</summary>
    public static List<FunnelExclusion?> ReadAll(ref Utf8JsonReader reader, JsonReadContext context) =>
        context.ReadArray(ref reader, "the exclusion steps", Read);

    public static void WriteAll(Utf8JsonWriter writer, string name, IEnumerable<FunnelExclusion> exclusions)
    {
        writer.WriteStartArray(name);
        foreach (var exclusion in exclusions)
        {
            Shape.Write(writer, exclusion);
        }

        writer.WriteEndArray();
    }

    private static FunnelExclusion? Read(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var path = context.Path;
        var fields = new Fields();
        Shape.Read(ref reader, context, fields);
        var (stage, reason, lost, from, to) = (fields.Stage, fields.Reason, fields.Lost, fields.From, fields.To);
        if ((stage is null) == !lost || (reason is not null && !lost))
        {
            context.Report(path, "an exclusion step names either a \"stage\" or \"lost\": true (with an optional \"lossReason\"), not both or neither");
        }
        else if (from is not null && to is not null)
        {
            try
            {
                return lost ? FunnelExclusion.Loss(from.Value, to.Value, reason) : FunnelExclusion.Stage(stage!, from.Value, to.Value);
            }
            catch (ArgumentException ex)
            {
                context.Report(path + (ex.ParamName == "toStep" ? ".toStep" : ex.ParamName == "fromStep" ? ".fromStep" : string.Empty), WithoutParameter(ex));
            }
        }

        return null;
    }

    private sealed class Fields
    {
        public string? Stage { get; set; }

        public bool Lost { get; set; }

        public string? Reason { get; set; }

        public int? From { get; set; }

        public int? To { get; set; }
    }
}
