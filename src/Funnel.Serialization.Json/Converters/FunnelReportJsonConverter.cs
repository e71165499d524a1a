using System.Text.Json;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json.Internal;

namespace Funnel.Serialization.Json.Converters;

/// <summary>
/// Writes a <see cref="FunnelReport"/> (every number of it; stages, reasons and the definition by key). Reading is
/// not supported: Funnel.Core offers no public way to restore a report from its numbers.
/// </summary>
internal sealed class FunnelReportJsonConverter : FunnelJsonConverter<FunnelReport>
{
    public static readonly FunnelReportJsonConverter Instance = new();

    protected override FunnelReport ReadCore(ref Utf8JsonReader reader, JsonReadContext context) =>
        throw context.Fail("a FunnelReport can be written but not read back: recompute it from the journeys or events, or read the JSON as a document");

    internal override void WriteCore(Utf8JsonWriter writer, FunnelReport value)
    {
        writer.WriteStartObject();
        writer.WriteString("definition", value.Definition.Key);
        if (value.AsOf is { } asOf)
        {
            writer.WriteString("asOf", asOf);
        }

        writer.WriteStartObject("query");
        writer.WriteString("reach", JsonEnumNames<ReachMode>.ToName(value.Query.Reach));
        writer.WriteString("counting", JsonEnumNames<CountMode>.ToName(value.Query.Counting));
        writer.WriteNumber("confidenceLevel", value.Query.ConfidenceLevel);
        writer.WriteNumber("minimumSample", value.Query.MinimumSample);
        writer.WriteEndObject();
        writer.WriteNumber("leads", value.Leads);
        writer.WriteNumber("won", value.Won);
        writer.WriteNumber("lost", value.Lost);
        writer.WriteNumber("open", value.Open);
        WriteProportion(writer, "overallConversion", value.OverallConversion);
        WriteProportion(writer, "winRate", value.WinRate);
        WriteDuration(writer, "cycleTimeToWon", value.CycleTimeToWon);
        writer.WriteStartArray("stages");
        foreach (var stage in value.Stages)
        {
            writer.WriteStartObject();
            writer.WriteString("stage", stage.Stage.Key.Value);
            writer.WriteNumber("reached", stage.Reached);
            writer.WriteNumber("convertedToNext", stage.ConvertedToNext);
            WriteProportion(writer, "conversionFromPrevious", stage.ConversionFromPrevious);
            if (stage.ConversionFromTop is { } top)
            {
                WriteProportion(writer, "conversionFromTop", top);
            }
            else
            {
                writer.WriteNull("conversionFromTop");
            }

            writer.WriteNumber("dropped", stage.Dropped);
            writer.WriteNumber("stillOpen", stage.StillOpen);
            WriteLosses(writer, "losses", stage.Losses);
            WriteDuration(writer, "timeInStage", stage.TimeInStage);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteLosses(writer, "losses", value.Losses);
        WriteMatrix(writer, "transitions", value.Transitions);
        WriteMatrix(writer, "lossesByStage", value.LossesByStage);
        writer.WriteEndObject();
    }

    private static void WriteProportion(Utf8JsonWriter writer, string name, Proportion value)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("successes", value.Successes);
        writer.WriteNumber("trials", value.Trials);
        writer.WriteNumber("value", value.Value);
        writer.WriteNumber("lower", value.Interval.Lower);
        writer.WriteNumber("upper", value.Interval.Upper);
        writer.WriteNumber("level", value.Interval.Level);
        writer.WriteBoolean("smallSample", value.IsSmallSample);
        writer.WriteEndObject();
    }

    private static void WriteDuration(Utf8JsonWriter writer, string name, DurationSummary value)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("count", value.Count);
        writer.WriteNumber("totalSeconds", value.TotalSeconds);
        writer.WriteNumber("medianSeconds", value.MedianSeconds);
        writer.WriteNumber("p90Seconds", value.P90Seconds);
        writer.WriteEndObject();
    }

    private static void WriteLosses(Utf8JsonWriter writer, string name, LossBreakdown value)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("total", value.Total);
        writer.WriteNumber("recoverable", value.Recoverable);
        writer.WriteStartObject("byReason");
        foreach (var reason in value.ByReason)
        {
            writer.WriteNumber(reason.Reason.Key.Value, reason.Count);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteMatrix(Utf8JsonWriter writer, string name, CountMatrix value)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("rows", value.Rows);
        writer.WriteNumber("columns", value.Columns);
        writer.WriteStartArray("values");
        foreach (var count in value.Counts)
        {
            writer.WriteNumberValue(count);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
