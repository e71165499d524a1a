using System.Collections.Immutable;
using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json.Internal;

namespace Funnel.Serialization.Json.Converters.Report;

/// <summary>
/// One stage's numbers (<see cref="StageMetrics"/>) as the report writes them and as read, with their path: the counts
/// are restored, the conversions and the losses checked against the restored report, and the stages' keys and order
/// against the definition (<see cref="CheckOrder"/>).
/// </summary>
internal sealed record StageJson(
    string Path, string Key, long Reached, long ConvertedToNext, ProportionJson FromPrevious, ProportionJson? FromTop, long Dropped, long StillOpen, LossesJson Losses, DurationSummary TimeInStage)
{
    private static readonly JsonObjectShape<StageMetrics, Fields> Shape = new(
        "a stage's numbers",
        JsonShapeReading.FirstProblem,
        new("stage", (ref r, c, s) => s.Key = c.ReadKey(ref r, "the stage key"), (w, n, v) => w.WriteString(n, v.Stage.Key.Value)) { Required = true },
        new("reached", (ref r, c, s) => s.Reached = c.ReadCount(ref r, "the reached count"), (w, n, v) => w.WriteNumber(n, v.Reached)) { Required = true },
        new("convertedToNext", (ref r, c, s) => s.ConvertedToNext = c.ReadCount(ref r, "the converted count"), (w, n, v) => w.WriteNumber(n, v.ConvertedToNext)) { Required = true },
        new("conversionFromPrevious", (ref r, c, s) => s.FromPrevious = ProportionJson.Read(ref r, c), (w, n, v) => ProportionJson.Write(w, n, v.ConversionFromPrevious))
        {
            Required = true, Met = s => s.FromPrevious is not null,
        },
        new("conversionFromTop", (ref r, c, s) => s.FromTop = r.TokenType == JsonTokenType.Null ? null : ProportionJson.Read(ref r, c), (w, n, v) =>
        {
            if (v.ConversionFromTop is { } top)
            {
                ProportionJson.Write(w, n, top);
            }
            else
            {
                w.WriteNull(n);
            }
        }) { Required = true },
        new("dropped", (ref r, c, s) => s.Dropped = c.ReadCount(ref r, "the dropped count"), (w, n, v) => w.WriteNumber(n, v.Dropped)) { Required = true },
        new("stillOpen", (ref r, c, s) => s.StillOpen = c.ReadCount(ref r, "the still-open count"), (w, n, v) => w.WriteNumber(n, v.StillOpen)) { Required = true },
        new("losses", (ref r, c, s) => s.Losses = LossesJson.Read(ref r, c), (w, n, v) => LossesJson.Write(w, n, v.Losses)) { Required = true, Met = s => s.Losses is not null },
        new("timeInStage", (ref r, c, s) => s.TimeInStage = DurationSummaryJson.Read(ref r, c), (w, n, v) => DurationSummaryJson.Write(w, n, v.TimeInStage)) { Required = true });

    /// <summary>Reads the stages; a stage with a missing value is reported and kept as <see langword="null"/>, so that indexes still count.</summary>
    public static List<StageJson?> ReadAll(ref Utf8JsonReader reader, JsonReadContext context) =>
        context.ReadArray<StageJson?>(ref reader, "the stages", Read);

    public static void WriteAll(Utf8JsonWriter writer, string name, ImmutableArray<StageMetrics> stages)
    {
        writer.WriteStartArray(name);
        foreach (var stage in stages)
        {
            Shape.Write(writer, stage);
        }

        writer.WriteEndArray();
    }

    /// <summary>Checks that the stages are the definition's, in its order.</summary>
    public static void CheckOrder(JsonReadContext context, FunnelDefinition definition, string root, List<StageJson?> stages)
    {
        var expected = definition.Stages;
        for (var i = 0; i < Math.Min(stages.Count, expected.Length); i++)
        {
            if (stages[i] is not { } stage || stage.Key == expected[i].Key.Value)
            {
                continue;
            }

            var key = stage.Key;
            context.Report(stage.Path + ".stage", definition.TryGetStage(key, out _)
                ? $"expected the stage '{expected[i].Key}' here: stages are written in the order of the definition '{definition.Key}', found '{key}'"
                : $"'{key}' is not a stage of the definition '{definition.Key}'; its stages in order: {string.Join(", ", expected.Select(s => s.Key))}");
        }

        if (stages.Count < expected.Length)
        {
            context.Report(root + ".stages", $"the definition '{definition.Key}' has {expected.Length} stages, the report {stages.Count}: missing {string.Join(", ", expected.Skip(stages.Count).Select(s => "'" + s.Key + "'"))}");
        }
        else if (stages.Count > expected.Length)
        {
            context.Report(root + ".stages" + JsonReadContext.IndexSegment(expected.Length), $"the definition '{definition.Key}' has {expected.Length} stages, the report {stages.Count}");
        }
    }

    /// <summary>Checks the conversions and losses written against the restored stage.</summary>
    public void Check(JsonReadContext context, StageMetrics restored)
    {
        FromPrevious.Check(context, restored.ConversionFromPrevious);
        if (restored.ConversionFromTop is { } top && FromTop is { } writtenTop)
        {
            writtenTop.Check(context, top);
        }

        Losses.Check(context, restored.Losses);
    }

    private static StageJson? Read(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var path = context.Path;
        var fields = new Fields();
        Shape.Read(ref reader, context, fields);
        return fields is
        {
            Key: { } key, Reached: { } reached, ConvertedToNext: { } converted, FromPrevious: { } fromPrevious, Dropped: { } dropped, StillOpen: { } stillOpen,
            Losses: { } losses, TimeInStage: { } timeInStage,
        }
            ? new StageJson(path, key, reached, converted, fromPrevious, fields.FromTop, dropped, stillOpen, losses, timeInStage)
            : null;
    }

    private sealed class Fields
    {
        public string? Key { get; set; }

        public long? Reached { get; set; }

        public long? ConvertedToNext { get; set; }

        public ProportionJson? FromPrevious { get; set; }

        public ProportionJson? FromTop { get; set; }

        public long? Dropped { get; set; }

        public long? StillOpen { get; set; }

        public LossesJson? Losses { get; set; }

        public DurationSummary? TimeInStage { get; set; }
    }
}
