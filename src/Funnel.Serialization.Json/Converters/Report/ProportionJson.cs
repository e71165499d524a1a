using System.Globalization;
using System.Text.Json;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json.Internal;
using static Funnel.Serialization.Json.Converters.Report.ReportJsonChecks;

namespace Funnel.Serialization.Json.Converters.Report;

/// <summary>
/// A <see cref="Proportion"/> as the report writes it (<c>{ "successes", "trials", "value", "lower", "upper", "level",
/// "smallSample" }</c>) and as read, with its path: every number is derived from the successes, the trials and the
/// query, so what was read is only checked (<see cref="Check"/>) against the restored report.
/// </summary>
internal sealed record ProportionJson(string Path, long Successes, long Trials, double Value, double Lower, double Upper, double Level, bool SmallSample)
{
    private static readonly JsonObjectShape<Proportion, Fields> Shape = new(
        "a proportion",
        JsonShapeReading.FirstProblem,
        new("successes", (ref r, c, s) => s.Successes = c.ReadCount(ref r, "the successes"), (w, n, v) => w.WriteNumber(n, v.Successes)) { Required = true },
        new("trials", (ref r, c, s) => s.Trials = c.ReadCount(ref r, "the trials"), (w, n, v) => w.WriteNumber(n, v.Trials)) { Required = true },
        new("value", (ref r, c, s) => s.Value = c.ReadDouble(ref r, "the rate"), (w, n, v) => w.WriteNumber(n, v.Value)) { Required = true },
        new("lower", (ref r, c, s) => s.Lower = c.ReadDouble(ref r, "the lower bound"), (w, n, v) => w.WriteNumber(n, v.Interval.Lower)) { Required = true },
        new("upper", (ref r, c, s) => s.Upper = c.ReadDouble(ref r, "the upper bound"), (w, n, v) => w.WriteNumber(n, v.Interval.Upper)) { Required = true },
        new("level", (ref r, c, s) => s.Level = c.ReadDouble(ref r, "the confidence level"), (w, n, v) => w.WriteNumber(n, v.Interval.Level)) { Required = true },
        new("smallSample", (ref r, c, s) => s.SmallSample = c.ReadBoolean(ref r, "the small-sample flag"), (w, n, v) => w.WriteBoolean(n, v.IsSmallSample)) { Required = true });

    /// <summary>Reads a proportion; null when a number is missing. A rate outside [0, 1] is reported.</summary>
    public static ProportionJson? Read(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var path = context.Path;
        var fields = new Fields();
        Shape.Read(ref reader, context, fields);
        foreach (var (property, rate) in new[] { ("value", fields.Value), ("lower", fields.Lower), ("upper", fields.Upper), ("level", fields.Level) })
        {
            if (rate is { } r && !(r >= 0 && r <= 1))
            {
                context.Report(path + "." + property, string.Create(CultureInfo.InvariantCulture, $"a rate must lie between 0 and 1, not {r}"));
            }
        }

        return fields is { Successes: { } successes, Trials: { } trials, Value: { } value, Lower: { } lower, Upper: { } upper, Level: { } level, SmallSample: { } small }
            ? new ProportionJson(path, successes, trials, value, lower, upper, level, small)
            : null;
    }

    public static void Write(Utf8JsonWriter writer, string name, Proportion value) => Shape.Write(writer, name, value);

    /// <summary>Checks every number written against the restored proportion.</summary>
    public void Check(JsonReadContext context, Proportion restored)
    {
        CheckEqual(context, Path + ".successes", Successes, restored.Successes);
        CheckEqual(context, Path + ".trials", Trials, restored.Trials);
        CheckClose(context, Path + ".value", Value, restored.Value);
        CheckClose(context, Path + ".lower", Lower, restored.Interval.Lower);
        CheckClose(context, Path + ".upper", Upper, restored.Interval.Upper);
        CheckClose(context, Path + ".level", Level, restored.Interval.Level);
        if (SmallSample != restored.IsSmallSample)
        {
            context.Report(Path + ".smallSample", $"{(SmallSample ? "true" : "false")} does not match the query's minimum sample: {restored.Trials} trials are {(restored.IsSmallSample ? "" : "not ")}a small sample");
        }
    }

    private sealed class Fields
    {
        public long? Successes { get; set; }

        public long? Trials { get; set; }

        public double? Value { get; set; }

        public double? Lower { get; set; }

        public double? Upper { get; set; }

        public double? Level { get; set; }

        public bool? SmallSample { get; set; }
    }
}
