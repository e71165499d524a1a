using System.Globalization;
using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json.Internal;
using static Funnel.Serialization.Json.Converters.Report.ReportJsonChecks;

namespace Funnel.Serialization.Json.Converters.Report;

/// <summary>A number a time to convert repeats (<c>meanSeconds</c>, <c>reportedMedianSeconds</c>) as read, with its path, to be checked against the restored report.</summary>
internal sealed record DerivedJson(string Path, string Name, double Value);

/// <summary>
/// One step's time to convert (<see cref="StepConversionTime"/>) as the report writes it — <c>{ "step", "stage",
/// "fromAnchor", "fromPrevious", "fromAnchorHistogram", "fromPreviousHistogram" }</c>, the stage null for an unordered
/// funnel — and as read, with its path, stage key and the derived numbers its summaries repeat.
/// </summary>
internal sealed record ConversionTimeJson(string Path, string? Stage, List<DerivedJson> Derived, StepConversionTime Value)
{
    private static readonly JsonObjectShape<(FunnelReport Report, StepConversionTime Time), Fields> Shape = new(
        "a step's time to convert",
        JsonShapeReading.FirstProblem,
        [
            StepRow<(FunnelReport Report, StepConversionTime Time)>(v => v.Time),
            new("stage", (ref r, c, s) => s.Stage = r.TokenType == JsonTokenType.Null ? null : c.ReadKey(ref r, "the step's stage key"), (w, n, v) =>
            {
                if (v.Report.IsUnordered)
                {
                    // "k + 1 distinct steps", whichever stages they were.
                    w.WriteNull(n);
                }
                else
                {
                    w.WriteString(n, v.Report.Definition.Stages[v.Time.Step].Key.Value);
                }
            }) { Required = true },
            .. DurationRows<(FunnelReport Report, StepConversionTime Time)>(v => v.Time, v => v.Report.Query.Median),
        ]);

    /// <summary>The bulk report's form (<see cref="Core.Bulk.TransitionReport"/>): steps by ordinal, no stage key.</summary>
    private static readonly JsonObjectShape<(StepConversionTime Time, MedianKind Median), Fields> OrdinalShape = new(
        "a step's time to convert",
        JsonShapeReading.FirstProblem,
        [
            StepRow<(StepConversionTime Time, MedianKind Median)>(v => v.Time),
            .. DurationRows<(StepConversionTime Time, MedianKind Median)>(v => v.Time, v => v.Median),
        ]);

    /// <summary>Reads the time to convert of every step; a step with a problem is reported and kept as <see langword="null"/>, so that indexes still count.</summary>
    public static List<ConversionTimeJson?> ReadAll(ref Utf8JsonReader reader, JsonReadContext context) =>
        context.ReadArray<ConversionTimeJson?>(ref reader, "the time to convert of every step", Read);

    public static void WriteAll(Utf8JsonWriter writer, string name, FunnelReport report)
    {
        writer.WriteStartArray(name);
        foreach (var time in report.ConversionTimes)
        {
            Shape.Write(writer, (report, time));
        }

        writer.WriteEndArray();
    }

    /// <summary>Checks that the time to convert has one entry per step 1 … n − 1, each naming its stage (or none, for an unordered funnel).</summary>
    public static void CheckKeys(JsonReadContext context, FunnelDefinition definition, FunnelQuery query, string root, List<ConversionTimeJson?>? times)
    {
        if (times is null)
        {
            return;
        }

        var steps = definition.Stages.Length - 1;
        if (times.Count != steps)
        {
            context.Report(root + ".conversionTimes", string.Create(CultureInfo.InvariantCulture, $"expected one entry per step after the first of the definition '{definition.Key}' ({steps}), found {times.Count}"));
            return;
        }

        var unordered = query.Reach == ReachMode.OrderedWindow && query.Order == StepOrder.Unordered;
        for (var k = 0; k < steps; k++)
        {
            if (times[k] is not { } time)
            {
                continue;
            }

            if (time.Value.Step != k + 1)
            {
                context.Report(time.Path + ".step", string.Create(CultureInfo.InvariantCulture, $"expected step {k + 1} here: the steps are written in order, found {time.Value.Step}"));
            }
            else if (unordered ? time.Stage is not null : time.Stage != definition.Stages[k + 1].Key.Value)
            {
                context.Report(time.Path + ".stage", unordered
                    ? "an unordered funnel's step is 'k + 1 distinct steps', not a stage: the stage must be null"
                    : $"expected the stage '{definition.Stages[k + 1].Key}' of step {k + 1}, found {(time.Stage is null ? "null" : "'" + time.Stage + "'")}");
            }
        }
    }

    /// <summary>Checks the derived numbers written with the time to convert (means and reported medians) against the restored report.</summary>
    public static void CheckDerived(JsonReadContext context, FunnelReport report, List<ConversionTimeJson?>? times) =>
        CheckDerived(context, report.ConversionTimes, report.Query.Median, times, "the count, total, medians and the query's median kind");

    /// <summary>Reads the bulk report's time to convert of every step (steps by ordinal); a step with a problem is reported and kept as <see langword="null"/>.</summary>
    public static List<ConversionTimeJson?> ReadAllByOrdinal(ref Utf8JsonReader reader, JsonReadContext context) =>
        context.ReadArray<ConversionTimeJson?>(ref reader, "the time to convert of every step", (ref Utf8JsonReader r, JsonReadContext c) => Read(ref r, c, OrdinalShape));

    /// <summary>Writes the bulk report's time to convert of every step, steps by ordinal, medians of <paramref name="median"/>'s kind.</summary>
    public static void WriteAllByOrdinal(Utf8JsonWriter writer, string name, IEnumerable<StepConversionTime> times, MedianKind median)
    {
        writer.WriteStartArray(name);
        foreach (var time in times)
        {
            OrdinalShape.Write(writer, (time, median));
        }

        writer.WriteEndArray();
    }

    /// <summary>Checks the derived numbers (means and reported medians) read with <paramref name="times"/> against the restored times, the medians of <paramref name="median"/>'s kind.</summary>
    public static void CheckDerived(JsonReadContext context, IReadOnlyList<StepConversionTime> restoredTimes, MedianKind median, List<ConversionTimeJson?>? times, string what)
    {
        foreach (var time in (times ?? []).OfType<ConversionTimeJson>())
        {
            var restored = restoredTimes[time.Value.Step - 1];
            foreach (var value in time.Derived)
            {
                var summary = value.Path.Contains(".fromAnchor.", StringComparison.Ordinal) ? restored.FromAnchor : restored.FromPrevious;
                CheckClose(context, value.Path, value.Value, value.Name == "meanSeconds" ? summary.MeanSeconds : summary.MedianSecondsOf(median), what);
            }
        }
    }

    /// <summary>The step number row of both forms.</summary>
    private static JsonProperty<TValue, Fields> StepRow<TValue>(Func<TValue, StepConversionTime> time) =>
        new("step", (ref r, c, s) => s.Step = c.ReadInt32(ref r, "the step"), (w, n, v) => w.WriteNumber(n, time(v).Step)) { Required = true };

    /// <summary>The durations and histograms of both forms, the summaries with the median of <paramref name="median"/>'s kind.</summary>
    private static JsonProperty<TValue, Fields>[] DurationRows<TValue>(Func<TValue, StepConversionTime> time, Func<TValue, MedianKind> median) =>
    [
        new("fromAnchor", (ref r, c, s) => s.FromAnchor = DurationSummaryJson.ReadConversion(ref r, c, s.Derived), (w, n, v) => DurationSummaryJson.WriteConversion(w, n, time(v).FromAnchor, median(v)))
        {
            Required = true,
        },
        new("fromPrevious", (ref r, c, s) => s.FromPrevious = DurationSummaryJson.ReadConversion(ref r, c, s.Derived), (w, n, v) => DurationSummaryJson.WriteConversion(w, n, time(v).FromPrevious, median(v)))
        {
            Required = true,
        },
        new("fromAnchorHistogram", (ref r, c, s) => s.AnchorHistogram = DurationHistogramJson.Read(ref r, c), (w, n, v) => DurationHistogramJson.Write(w, n, time(v).FromAnchorHistogram))
        {
            Required = true, Met = s => s.AnchorHistogram is not null,
        },
        new("fromPreviousHistogram", (ref r, c, s) => s.PreviousHistogram = DurationHistogramJson.Read(ref r, c), (w, n, v) => DurationHistogramJson.Write(w, n, time(v).FromPreviousHistogram))
        {
            Required = true, Met = s => s.PreviousHistogram is not null,
        },
    ];

    private static ConversionTimeJson? Read(ref Utf8JsonReader reader, JsonReadContext context) => Read(ref reader, context, Shape);

    private static ConversionTimeJson? Read<TValue>(ref Utf8JsonReader reader, JsonReadContext context, JsonObjectShape<TValue, Fields> shape)
    {
        var path = context.Path;
        var fields = new Fields();
        shape.Read(ref reader, context, fields);
        if (fields is not { Step: { } step, FromAnchor: { } fromAnchor, FromPrevious: { } fromPrevious, AnchorHistogram: { } anchorHistogram, PreviousHistogram: { } previousHistogram })
        {
            return null;
        }

        try
        {
            return new ConversionTimeJson(path, fields.Stage, fields.Derived, new StepConversionTime(step, fromAnchor, fromPrevious, anchorHistogram, previousHistogram));
        }
        catch (ArgumentException ex)
        {
            context.Report(path + (ex.ParamName == "step" ? ".step" : string.Empty), WithoutParameter(ex));
            return null;
        }
    }

    private sealed class Fields
    {
        public int? Step { get; set; }

        public string? Stage { get; set; }

        public DurationSummary? FromAnchor { get; set; }

        public DurationSummary? FromPrevious { get; set; }

        public DurationHistogram? AnchorHistogram { get; set; }

        public DurationHistogram? PreviousHistogram { get; set; }

        public List<DerivedJson> Derived { get; } = [];
    }
}
