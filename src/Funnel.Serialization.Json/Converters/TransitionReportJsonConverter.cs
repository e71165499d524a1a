using System.Globalization;
using System.Text.Json;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json.Converters.Report;
using Funnel.Serialization.Json.Internal;

namespace Funnel.Serialization.Json.Converters;

/// <summary>
/// Reads and writes the bulk engine's <see cref="TransitionReport"/> (schemas/funnel-transition-report.schema.json):
/// stages and loss reasons by ordinal, as the report itself holds them, so that reading needs no definition. The
/// names follow the report document of <see cref="FunnelReportJsonConverter"/> where they mean the same thing
/// (<c>transitions</c>, <c>lossesByStage</c>, <c>timeAfterLoss</c>, <c>won</c>, <c>lost</c>, <c>excluded</c>, the
/// funnel modes); a matrix is <c>{"rows", "columns", "values"}</c> and a time-in-stage row
/// <c>{"count", "totalSeconds", "medianSeconds", "upperMedianSeconds"}</c> in both. Reading rebuilds the report with
/// <see cref="TransitionReport.Create"/> and <see cref="TransitionReport.WithModes"/>, so numbers that contradict
/// each other are reported. The time to convert per step (<see cref="TransitionReport.ConversionTimes"/>), when the
/// analysis collected it, is <c>conversionTimes</c> in the report document's form without the stage key (steps by
/// ordinal), restored with <see cref="TransitionReport.WithConversionTimes"/>.
/// </summary>
internal sealed class TransitionReportJsonConverter : FunnelJsonConverter<TransitionReport>
{
    public static readonly TransitionReportJsonConverter Instance = new();

    private static readonly JsonObjectShape<StageTimeStatistics, TimeFields> TimeShape = new(
        "a time-in-stage row",
        JsonShapeReading.FirstProblem,
        new("count", (ref r, c, s) => s.Count = c.ReadCount(ref r, "the number of stays"), (w, n, v) => w.WriteNumber(n, v.Count)) { Required = true },
        new("totalSeconds", (ref r, c, s) => s.Total = c.ReadCount128(ref r, "the total seconds"), (w, n, v) =>
        {
            // Exact, and may exceed a 64-bit integer.
            w.WritePropertyName(n);
            w.WriteRawValue(v.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        }) { Required = true },
        new("medianSeconds", (ref r, c, s) => s.Median = c.ReadCount(ref r, "the lower median"), (w, n, v) => w.WriteNumber(n, v.MedianSeconds)) { Required = true },
        new("upperMedianSeconds", (ref r, c, s) => s.UpperMedian = c.ReadCount(ref r, "the upper median"), (w, n, v) =>
        {
            // As in the report document: written only when it differs from the (lower) median.
            if (v.UpperMedianSeconds != v.MedianSeconds)
            {
                w.WriteNumber(n, v.UpperMedianSeconds);
            }
        }));

    private static readonly JsonObjectShape<CountMatrix, MatrixFields> MatrixShape = new(
        "a matrix",
        JsonShapeReading.FirstProblem,
        new("rows", (ref r, c, s) => s.Rows = c.ReadInt32(ref r, "the number of rows"), (w, n, v) => w.WriteNumber(n, v.Rows)) { Required = true },
        new("columns", (ref r, c, s) => s.Columns = c.ReadInt32(ref r, "the number of columns"), (w, n, v) => w.WriteNumber(n, v.Columns)) { Required = true },
        new("values", (ref r, c, s) => s.Values = ReadCounts(ref r, c, "the values, row by row"), (w, n, v) =>
        {
            w.WriteStartArray(n);
            for (var row = 0; row < v.Rows; row++)
            {
                foreach (var count in v.GetRow(row))
                {
                    w.WriteNumberValue(count);
                }
            }

            w.WriteEndArray();
        }) { Required = true });

    private static readonly JsonObjectShape<TransitionReport, ShapeFields> FunnelShapeShape = new(
        "the funnel's shape",
        JsonShapeReading.FirstProblem,
        new("stages", (ref r, c, s) => s.Stages = c.ReadInt32(ref r, "the number of stages"), (w, n, v) => w.WriteNumber(n, v.StageCount)) { Required = true },
        new("goalStage", (ref r, c, s) => s.Goal = c.ReadInt32(ref r, "the goal stage's ordinal"), (w, n, v) => w.WriteNumber(n, v.GoalStage)) { Required = true },
        new("lossReasons", (ref r, c, s) => s.LossReasons = c.ReadInt32(ref r, "the number of loss reasons"), (w, n, v) => w.WriteNumber(n, v.LossReasonCount)) { Required = true });

    private static readonly JsonObjectShape<TransitionReport, ReportFields> ReportShape = new(
        "a transition report",
        JsonShapeReading.FirstProblem,
        new("shape", (ref r, c, s) => FunnelShapeShape.Read(ref r, c, s.Shape), (w, n, v) => FunnelShapeShape.Write(w, n, v)) { Required = true },
        new("windowSeconds", (ref r, c, s) => s.WindowSeconds = c.ReadCount(ref r, "the window in seconds"), (w, n, v) => w.WriteNumber(n, v.WindowSeconds)) { Required = true },
        new("stepWindowSeconds", (ref r, c, s) => s.StepWindows = ReadStepWindows(ref r, c), (w, n, v) =>
        {
            if (!v.StepWindowSeconds.IsEmpty)
            {
                w.WriteStartArray(n);
                foreach (var seconds in v.StepWindowSeconds)
                {
                    if (seconds == long.MaxValue)
                    {
                        w.WriteNullValue();
                    }
                    else
                    {
                        w.WriteNumberValue(seconds);
                    }
                }

                w.WriteEndArray();
            }
        }),
        new("anchor", (ref r, c, s) => s.Anchor = c.ReadEnum<AnchorMode>(ref r, "anchor"), (w, n, v) => w.WriteString(n, JsonEnumNames<AnchorMode>.ToName(v.Anchor))),
        new("order", (ref r, c, s) => s.Order = c.ReadEnum<StepOrder>(ref r, "step order"), (w, n, v) => w.WriteString(n, JsonEnumNames<StepOrder>.ToName(v.Order))),
        new("optionalSteps", (ref r, c, s) => s.OptionalSteps = c.ReadArray(ref r, "the optional steps", (ref Utf8JsonReader ir, JsonReadContext ic) => ic.ReadInt32(ref ir, "an optional step's ordinal")), (w, n, v) =>
        {
            if (!v.OptionalSteps.IsEmpty)
            {
                w.WriteStartArray(n);
                foreach (var step in v.OptionalSteps)
                {
                    w.WriteNumberValue(step);
                }

                w.WriteEndArray();
            }
        }),
        new("median", (ref r, c, s) => s.Median = c.ReadEnum<MedianKind>(ref r, "median"), (w, n, v) => w.WriteString(n, JsonEnumNames<MedianKind>.ToName(v.Median))),
        new("events", (ref r, c, s) => s.Events = c.ReadCount(ref r, "the number of events"), (w, n, v) => w.WriteNumber(n, v.EventCount)) { Required = true },
        new("entities", (ref r, c, s) => s.Entities = c.ReadCount(ref r, "the number of entities"), (w, n, v) => w.WriteNumber(n, v.EntityCount)) { Required = true },
        new("reached", (ref r, c, s) => s.Reached = ReadCounts(ref r, c, "the leads that reached each stage"), (w, n, v) => WriteCounts(w, n, v.Reached)) { Required = true },
        new("excluded", (ref r, c, s) => s.Excluded = c.ReadCount(ref r, "the excluded leads"), (w, n, v) =>
        {
            if (v.Excluded != 0)
            {
                w.WriteNumber(n, v.Excluded);
            }
        }),
        new("won", (ref r, c, s) => s.Won = c.ReadCount(ref r, "the won entities"), (w, n, v) => w.WriteNumber(n, v.Won)) { Required = true },
        new("lost", (ref r, c, s) => s.Lost = c.ReadCount(ref r, "the lost entities"), (w, n, v) => w.WriteNumber(n, v.Lost)) { Required = true },
        new("openAt", (ref r, c, s) => s.OpenAt = ReadCounts(ref r, c, "the open entities by stage"), (w, n, v) => WriteCounts(w, n, v.OpenAt)) { Required = true },
        new("timeInStage", (ref r, c, s) => s.TimeInStage = c.ReadArray(ref r, "the time in each stage", (ref Utf8JsonReader ir, JsonReadContext ic) => ReadTime(ref ir, ic)), (w, n, v) =>
        {
            w.WriteStartArray(n);
            foreach (var time in v.TimeInStage)
            {
                TimeShape.Write(w, time);
            }

            w.WriteEndArray();
        }) { Required = true },
        new("timeAfterLoss", (ref r, c, s) => s.TimeAfterLoss = ReadTime(ref r, c), (w, n, v) => TimeShape.Write(w, n, v.TimeAfterLoss)) { Required = true },
        new("transitions", (ref r, c, s) => s.Transitions = ReadMatrix(ref r, c), (w, n, v) => MatrixShape.Write(w, n, v.Transitions)) { Required = true },
        new("lossesByStage", (ref r, c, s) => s.Losses = ReadMatrix(ref r, c), (w, n, v) => MatrixShape.Write(w, n, v.Losses)) { Required = true },
        new("lossesAfterLoss", (ref r, c, s) => s.LossesAfterLoss = ReadCounts(ref r, c, "the losses after a loss by reason"), (w, n, v) => WriteCounts(w, n, v.LossesAfterLoss)) { Required = true },
        new("lossesAtUnknownStage", (ref r, c, s) => s.LossesAtUnknownStage = ReadCounts(ref r, c, "the losses at an unknown stage by reason"), (w, n, v) => WriteCounts(w, n, v.LossesAtUnknownStage)) { Required = true },
        new("conversionTimes", (ref r, c, s) => s.ConversionTimes = ConversionTimeJson.ReadAllByOrdinal(ref r, c), (w, n, v) =>
        {
            // Only when the analysis collected it (TransitionAnalyzer.ConversionTimes).
            if (!v.ConversionTimes.IsEmpty)
            {
                ConversionTimeJson.WriteAllByOrdinal(w, n, v.ConversionTimes, v.Median);
            }
        }));

    /// <summary>The names of the document's properties, in written order (the schema test compares them).</summary>
    internal static string[] Properties => ReportShape.KnownNames;

    protected override TransitionReport ReadCore(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var fields = new ReportFields();
        ReportShape.Read(ref reader, context, fields);
        context.ThrowIfProblems();
        var shape = fields.Shape;
        var (stages, reasons) = (shape.Stages, shape.LossReasons);
        CheckMatrix(context, "transitions", fields.Transitions!, stages + 1, stages + 1);
        CheckMatrix(context, "lossesByStage", fields.Losses!, stages, reasons);
        if (fields.WindowSeconds > TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerSecond)
        {
            throw context.Fail(context.PathWith("windowSeconds"), string.Create(CultureInfo.InvariantCulture, $"a window of {fields.WindowSeconds} seconds is longer than the longest duration"));
        }

        var times = fields.TimeInStage!.Select((t, s) => t.ToStatistics(s)).ToArray();
        var report = TransitionReport.Create(
            new FunnelShape(stages, shape.Goal, reasons),
            TimeSpan.FromTicks(fields.WindowSeconds * TimeSpan.TicksPerSecond),
            fields.Events,
            fields.Entities,
            MonotoneStandIn(fields.Reached!),
            fields.Transitions!.Values!.ToArray(),
            times,
            fields.TimeAfterLoss!.ToStatistics(stages),
            fields.Losses!.Values!.ToArray(),
            fields.LossesAfterLoss!.ToArray(),
            fields.LossesAtUnknownStage!.ToArray(),
            fields.Won,
            fields.Lost,
            fields.OpenAt!.ToArray());
        var stepWindows = fields.StepWindows?.Select(w => w ?? long.MaxValue).ToArray() ?? [];
        report = report.WithModes(fields.Reached!.ToArray(), stepWindows, fields.Anchor, fields.Order, fields.OptionalSteps?.ToArray() ?? [], fields.Median, fields.Excluded);
        if (fields.ConversionTimes is not { } conversionTimes)
        {
            return report;
        }

        context.ThrowIfProblems();
        try
        {
            report = report.WithConversionTimes(conversionTimes.Select(t => t!.Value));
        }
        catch (ArgumentException ex)
        {
            throw context.Fail(context.PathWith("conversionTimes"), ReportJsonChecks.WithoutParameter(ex));
        }

        ConversionTimeJson.CheckDerived(context, report.ConversionTimes, report.Median, conversionTimes, "the count, total, medians and the report's median kind");
        context.ThrowIfProblems();
        return report;
    }

    internal override void WriteCore(Utf8JsonWriter writer, TransitionReport value)
    {
        ReportShape.Write(writer, value);
    }

    /// <summary>
    /// The window funnel with each value capped at the one before it, for <see cref="TransitionReport.Create"/>, which
    /// checks the other numbers; the written values (an optional step's may exceed the step before it) are set and
    /// checked by <see cref="TransitionReport.WithModes"/>.
    /// </summary>
    private static long[] MonotoneStandIn(List<long> reached)
    {
        var values = reached.ToArray();
        for (var s = 1; s < values.Length; s++)
        {
            values[s] = Math.Min(values[s], values[s - 1]);
        }

        return values;
    }

    private static void CheckMatrix(JsonReadContext context, string name, MatrixFields matrix, int rows, int columns)
    {
        if (matrix.Rows != rows || matrix.Columns != columns)
        {
            throw context.Fail(context.PathWith(name), string.Create(CultureInfo.InvariantCulture, $"expected a {rows} × {columns} matrix for this shape, found {matrix.Rows} × {matrix.Columns}"));
        }

        if ((long)matrix.Rows * matrix.Columns != matrix.Values!.Count)
        {
            throw context.Fail(context.PathWith(name) + ".values", string.Create(CultureInfo.InvariantCulture, $"a {matrix.Rows} × {matrix.Columns} matrix has {matrix.Rows * matrix.Columns} values, not {matrix.Values.Count}"));
        }
    }

    private static List<long> ReadCounts(ref Utf8JsonReader reader, JsonReadContext context, string what) =>
        context.ReadArray(ref reader, what, (ref Utf8JsonReader r, JsonReadContext c) => c.ReadCount(ref r, "a count"));

    private static void WriteCounts(Utf8JsonWriter writer, string name, System.Collections.Immutable.ImmutableArray<long> counts)
    {
        writer.WriteStartArray(name);
        foreach (var count in counts)
        {
            writer.WriteNumberValue(count);
        }

        writer.WriteEndArray();
    }

    private static List<long?> ReadStepWindows(ref Utf8JsonReader reader, JsonReadContext context) =>
        context.ReadArray(ref reader, "the per-step windows", (ref Utf8JsonReader r, JsonReadContext c) =>
            r.TokenType == JsonTokenType.Null ? null : (long?)c.ReadCount(ref r, "a step window in seconds"));

    private static TimeFields ReadTime(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var fields = new TimeFields();
        TimeShape.Read(ref reader, context, fields);
        return fields;
    }

    private static MatrixFields ReadMatrix(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var fields = new MatrixFields();
        MatrixShape.Read(ref reader, context, fields);
        return fields;
    }

    private sealed class TimeFields
    {
        public long Count { get; set; }

        public Int128 Total { get; set; }

        public long Median { get; set; }

        public long? UpperMedian { get; set; }

        public StageTimeStatistics ToStatistics(int stage) => new(stage, Count, Total, Median, UpperMedian ?? Median);
    }

    private sealed class MatrixFields
    {
        public int Rows { get; set; }

        public int Columns { get; set; }

        public List<long>? Values { get; set; }
    }

    private sealed class ShapeFields
    {
        public int Stages { get; set; }

        public int Goal { get; set; }

        public int LossReasons { get; set; }
    }

    private sealed class ReportFields
    {
        public ShapeFields Shape { get; } = new();

        public long WindowSeconds { get; set; }

        public List<long?>? StepWindows { get; set; }

        public AnchorMode Anchor { get; set; }

        public StepOrder Order { get; set; }

        public List<int>? OptionalSteps { get; set; }

        public MedianKind Median { get; set; }

        public long Events { get; set; }

        public long Entities { get; set; }

        public List<long>? Reached { get; set; }

        public long Excluded { get; set; }

        public long Won { get; set; }

        public long Lost { get; set; }

        public List<long>? OpenAt { get; set; }

        public List<TimeFields>? TimeInStage { get; set; }

        public TimeFields? TimeAfterLoss { get; set; }

        public MatrixFields? Transitions { get; set; }

        public MatrixFields? Losses { get; set; }

        public List<long>? LossesAfterLoss { get; set; }

        public List<ConversionTimeJson?>? ConversionTimes { get; set; }

        public List<long>? LossesAtUnknownStage { get; set; }
    }
}
