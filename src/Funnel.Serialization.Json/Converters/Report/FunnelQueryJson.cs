using System.Globalization;
using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json.Internal;
using static Funnel.Serialization.Json.Converters.Report.ReportJsonChecks;

namespace Funnel.Serialization.Json.Converters.Report;

/// <summary>
/// The report's <see cref="FunnelQuery"/>: every option, the defaults of later options (order, median, exclusions,
/// optional steps, bins) omitted or taken when absent, so that older documents read. Reading rebuilds the query
/// through its own methods, so that a combination it refuses is refused here too, at the option's path.
/// </summary>
internal static class FunnelQueryJson
{
    private static readonly JsonObjectShape<FunnelQuery, Fields> Shape = new(
        "a query",
        JsonShapeReading.FirstProblem,
        new("reach", (ref r, c, s) => s.Reach = c.ReadEnum<ReachMode>(ref r, "reach mode"), (w, n, v) => w.WriteString(n, JsonEnumNames<ReachMode>.ToName(v.Reach))) { Required = true },
        new("window", (ref r, c, s) => s.Window = c.ReadNullableDuration(ref r, "the conversion window"), (w, n, v) =>
        {
            if (v.Window is { } window)
            {
                w.WriteString(n, window.ToString("c", CultureInfo.InvariantCulture));
            }
        }),
        new("anchor", (ref r, c, s) => s.Anchor = c.ReadEnum<AnchorMode>(ref r, "anchor mode"), (w, n, v) => w.WriteString(n, JsonEnumNames<AnchorMode>.ToName(v.Anchor))) { Required = true },
        new("stepWindows", (ref r, c, s) => s.StepWindows = c.ReadNullableDurationArray(ref r, "step windows"), (w, n, v) =>
        {
            if (!v.StepWindows.IsEmpty)
            {
                WriteDurations(w, n, v.StepWindows);
            }
        }),
        new("counting", (ref r, c, s) => s.Counting = c.ReadEnum<CountMode>(ref r, "count mode"), (w, n, v) => w.WriteString(n, JsonEnumNames<CountMode>.ToName(v.Counting))) { Required = true },
        new("timeInStage", (ref r, c, s) => s.TimeInStage = c.ReadEnum<TimeInStageMode>(ref r, "time-in-stage mode"), (w, n, v) => w.WriteString(n, JsonEnumNames<TimeInStageMode>.ToName(v.TimeInStage)))
        {
            Required = true,
        },
        new("includeOpenStays", (ref r, c, s) => s.IncludeOpenStays = c.ReadBoolean(ref r, "whether open stays count"), (w, n, v) => w.WriteBoolean(n, v.IncludeOpenStays)) { Required = true },
        new("enteredFrom", (ref r, c, s) => s.EnteredFrom = c.ReadNullableDateTimeOffset(ref r, "the start of the entry range"), (w, n, v) => WriteIfSet(w, n, v.EnteredFrom)),
        new("enteredBefore", (ref r, c, s) => s.EnteredBefore = c.ReadNullableDateTimeOffset(ref r, "the end of the entry range"), (w, n, v) => WriteIfSet(w, n, v.EnteredBefore)),
        new("asOf", (ref r, c, s) => s.AsOf = c.ReadNullableDateTimeOffset(ref r, "the query's as-of time"), (w, n, v) => WriteIfSet(w, n, v.AsOf)),
        new("silentAfter", (ref r, c, s) => s.SilentAfter = c.ReadNullableDuration(ref r, "the silence threshold"), (w, n, v) => w.WriteString(n, v.SilentAfter.ToString("c", CultureInfo.InvariantCulture)))
        {
            Required = true, Met = s => s.SilentAfter is not null,
        },
        new("confidenceLevel", (ref r, c, s) => s.Level = c.ReadDouble(ref r, "the confidence level"), (w, n, v) => w.WriteNumber(n, v.ConfidenceLevel)) { Required = true },
        new("minimumSample", (ref r, c, s) => s.MinimumSample = c.ReadInt32(ref r, "the minimum sample"), (w, n, v) => w.WriteNumber(n, v.MinimumSample)) { Required = true },
        new("order", (ref r, c, s) => s.Order = c.ReadEnum<StepOrder>(ref r, "step order"), (w, n, v) => w.WriteString(n, JsonEnumNames<StepOrder>.ToName(v.Order))),
        new("exclusions", (ref r, c, s) => s.Exclusions = FunnelExclusionJson.ReadAll(ref r, c), (w, n, v) =>
        {
            if (!v.Exclusions.IsEmpty)
            {
                FunnelExclusionJson.WriteAll(w, n, v.Exclusions);
            }
        }),
        new("optionalSteps", (ref r, c, s) => s.OptionalSteps = c.ReadStringArray(ref r, "optional step keys"), (w, n, v) =>
        {
            if (!v.OptionalSteps.IsEmpty)
            {
                w.WriteStartArray(n);
                foreach (var key in v.OptionalSteps)
                {
                    w.WriteStringValue(key);
                }

                w.WriteEndArray();
            }
        }),
        new("median", (ref r, c, s) => s.Median = c.ReadEnum<MedianKind>(ref r, "median kind"), (w, n, v) => w.WriteString(n, JsonEnumNames<MedianKind>.ToName(v.Median))),
        new("conversionTimeBins", (ref r, c, s) => s.Bins = c.ReadNullableDurationArray(ref r, "bin edges"), (w, n, v) =>
        {
            if (!v.ConversionTimeBins.IsAutomatic)
            {
                WriteDurations(w, n, [.. v.ConversionTimeBins.BinEdges.Select(e => (TimeSpan?)e)]);
            }
        }));

    /// <summary>Reads the query; null when an option is missing or the query refuses a combination (reported at the option's path).</summary>
    public static FunnelQuery? Read(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var path = context.Path;
        var fields = new Fields();
        Shape.Read(ref reader, context, fields, expected: "the query");
        var (reach, window, anchor, stepWindows, counting, timeInStage, includeOpenStays) =
            (fields.Reach, fields.Window, fields.Anchor, fields.StepWindows, fields.Counting, fields.TimeInStage, fields.IncludeOpenStays);
        var (enteredFrom, enteredBefore, asOf, silentAfter, level, minimumSample) = (fields.EnteredFrom, fields.EnteredBefore, fields.AsOf, fields.SilentAfter, fields.Level, fields.MinimumSample);
        var (order, exclusions, optionalSteps, median, bins) = (fields.Order, fields.Exclusions, fields.OptionalSteps, fields.Median, fields.Bins);
        if (reach is null || anchor is null || counting is null || timeInStage is null || includeOpenStays is null || silentAfter is null || level is null || minimumSample is null)
        {
            return null;
        }

        if (reach != ReachMode.AnyOrder && counting == CountMode.Totals)
        {
            context.Report(path + ".counting", "'totals' counting needs the 'anyOrder' reach mode");
            return null;
        }

        if (exclusions.Contains(null) || (bins is not null && bins.Contains(null)))
        {
            if (bins?.IndexOf(null) is { } missing and >= 0)
            {
                context.Report(path + ".conversionTimeBins" + JsonReadContext.IndexSegment(missing), "a bin edge is a duration, not null");
            }

            return null;
        }

        try
        {
            // Ordered first: the window and anchor persist through the other reach modes, as they do in FunnelQuery.
            var query = FunnelQuery.Default.Ordered(window, anchor.Value).WithStepWindows(stepWindows);
            query = reach switch
            {
                ReachMode.AnyOrder => query.AnyOrder(counting.Value),
                ReachMode.PassThrough => query.PassThrough(),
                _ => query,
            };
            // Order first: a step order refuses the options it cannot have (step windows under unordered were already set).
            query = query.WithOrder(order);
            if (exclusions.Count > 0)
            {
                query = query.WithExclusions(exclusions!);
            }

            if (optionalSteps.Count > 0)
            {
                query = query.WithOptionalSteps(optionalSteps);
            }

            if (bins is not null)
            {
                query = query.WithConversionTimeBins(ConversionTimeBins.Edges(bins.Select(b => b!.Value)));
            }

            return query
                .WithMedian(median)
                .WithTimeInStage(timeInStage.Value, includeOpenStays.Value)
                .EnteredBetween(enteredFrom, enteredBefore)
                .WithAsOf(asOf)
                .WithSilentAfter(silentAfter.Value)
                .WithConfidenceLevel(level.Value)
                .WithMinimumSample(minimumSample.Value);
        }
        catch (ArgumentException ex)
        {
            context.Report(QueryPathOf(path, ex.ParamName), WithoutParameter(ex));
            return null;
        }
    }

    public static void Write(Utf8JsonWriter writer, string name, FunnelQuery query) => Shape.Write(writer, name, query);

    /// <summary>Checks the query's optional steps and exclusion targets and steps against the definition.</summary>
    public static void CheckKeys(JsonReadContext context, FunnelDefinition definition, string path, FunnelQuery query)
    {
        var stages = string.Join(", ", definition.Stages.Select(s => s.Key));
        for (var i = 0; i < query.OptionalSteps.Length; i++)
        {
            if (!definition.TryGetStage(query.OptionalSteps[i], out _))
            {
                context.Report(path + ".optionalSteps" + JsonReadContext.IndexSegment(i), $"'{query.OptionalSteps[i]}' is not a stage of the definition '{definition.Key}'; its stages in order: {stages}");
            }
        }

        for (var i = 0; i < query.Exclusions.Length; i++)
        {
            var (exclusion, at) = (query.Exclusions[i], path + ".exclusions" + JsonReadContext.IndexSegment(i));
            if (exclusion.StageKey is { } stage && !definition.TryGetStage(stage, out _))
            {
                context.Report(at + ".stage", $"'{stage}' is not a stage of the definition '{definition.Key}'; its stages in order: {stages}");
            }

            if (exclusion.LossReasonKey is { } reason && !definition.TryGetLossReason(reason, out _))
            {
                context.Report(at + ".lossReason", $"'{reason}' is not a loss reason of the definition '{definition.Key}'; its loss reasons: {string.Join(", ", definition.LossReasons.Select(r => r.Key))}");
            }

            if (exclusion.ToStep >= definition.Stages.Length)
            {
                context.Report(at + ".toStep", string.Create(CultureInfo.InvariantCulture, $"step {exclusion.ToStep} is past the last step of the definition '{definition.Key}' ({definition.Stages.Length - 1})"));
            }
        }
    }

    private static void WriteDurations(Utf8JsonWriter writer, string name, IEnumerable<TimeSpan?> durations)
    {
        writer.WriteStartArray(name);
        foreach (var duration in durations)
        {
            if (duration is { } d)
            {
                writer.WriteStringValue(d.ToString("c", CultureInfo.InvariantCulture));
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } set)
        {
            writer.WriteString(name, set);
        }
    }

    private sealed class Fields
    {
        public ReachMode? Reach { get; set; }

        public TimeSpan? Window { get; set; }

        public AnchorMode? Anchor { get; set; }

        public List<TimeSpan?> StepWindows { get; set; } = [];

        public CountMode? Counting { get; set; }

        public TimeInStageMode? TimeInStage { get; set; }

        public bool? IncludeOpenStays { get; set; }

        public DateTimeOffset? EnteredFrom { get; set; }

        public DateTimeOffset? EnteredBefore { get; set; }

        public DateTimeOffset? AsOf { get; set; }

        public TimeSpan? SilentAfter { get; set; }

        public double? Level { get; set; }

        public int? MinimumSample { get; set; }

        public StepOrder Order { get; set; }

        public List<FunnelExclusion?> Exclusions { get; set; } = [];

        public List<string> OptionalSteps { get; set; } = [];

        public MedianKind Median { get; set; }

        public List<TimeSpan?>? Bins { get; set; }
    }
}
