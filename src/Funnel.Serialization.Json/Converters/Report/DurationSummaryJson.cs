using System.Globalization;
using System.Text.Json;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json.Internal;
using static Funnel.Serialization.Json.Converters.Report.ReportJsonChecks;

namespace Funnel.Serialization.Json.Converters.Report;

/// <summary>
/// A <see cref="DurationSummary"/> in the report format: <c>{ "count", "totalSeconds", "medianSeconds",
/// "upperMedianSeconds", "p90Seconds" }</c>, the total exact past 64 bits and the upper median written only when it
/// differs from the median. A time to convert adds the two numbers a reader would otherwise derive,
/// <c>"meanSeconds"</c> and <c>"reportedMedianSeconds"</c> (the median of the query's kind).
/// </summary>
internal static class DurationSummaryJson
{
    private static readonly JsonObjectShape<DurationSummary, Fields> Shape = new("a duration summary", JsonShapeReading.FirstProblem, SummaryRows<DurationSummary>(v => v));

    private static readonly JsonObjectShape<(DurationSummary Summary, MedianKind Median), Fields> ConversionShape = new(
        "a duration summary",
        JsonShapeReading.FirstProblem,
        [
            .. SummaryRows<(DurationSummary Summary, MedianKind Median)>(v => v.Summary),
            new("meanSeconds", (ref r, c, s) => s.Derived!.Add(new DerivedJson(c.Path, "meanSeconds", c.ReadDouble(ref r, "the mean"))), (w, n, v) => w.WriteNumber(n, v.Summary.MeanSeconds)),
            new("reportedMedianSeconds", (ref r, c, s) => s.Derived!.Add(new DerivedJson(c.Path, "reportedMedianSeconds", c.ReadDouble(ref r, "the reported median"))), (w, n, v) => w.WriteNumber(n, v.Summary.MedianSecondsOf(v.Median))),
        ]);

    /// <summary>Reads a duration summary; null when a number is missing, negative or inconsistent (reported).</summary>
    public static DurationSummary? Read(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var path = context.Path;
        var fields = new Fields(null);
        Shape.Read(ref reader, context, fields);
        return ToSummary(context, path, fields);
    }

    /// <summary>Reads a time to convert's summary, collecting its derived numbers into <paramref name="derived"/> to be checked against the restored report.</summary>
    public static DurationSummary? ReadConversion(ref Utf8JsonReader reader, JsonReadContext context, List<DerivedJson> derived)
    {
        var path = context.Path;
        var fields = new Fields(derived);
        ConversionShape.Read(ref reader, context, fields);
        return ToSummary(context, path, fields);
    }

    public static void Write(Utf8JsonWriter writer, string name, DurationSummary value) => Shape.Write(writer, name, value);

    /// <summary>Writes a time to convert's summary with its mean and the median of the query's kind.</summary>
    public static void WriteConversion(Utf8JsonWriter writer, string name, DurationSummary value, MedianKind median) => ConversionShape.Write(writer, name, (value, median));

    /// <summary>The rows every duration summary has, written from the summary <paramref name="summary"/> picks out of the value.</summary>
    private static JsonProperty<TValue, Fields>[] SummaryRows<TValue>(Func<TValue, DurationSummary> summary) =>
    [
        new("count", (ref r, c, s) => s.Count = c.ReadCount(ref r, "the number of samples"), (w, n, v) => w.WriteNumber(n, summary(v).Count)) { Required = true },
        new("totalSeconds", (ref r, c, s) => s.Total = c.ReadCount128(ref r, "the total"), (w, n, v) =>
        {
            // Exact: a total may exceed a 64-bit integer, so it is written as the number's digits (no JSON number limit).
            w.WritePropertyName(n);
            w.WriteRawValue(summary(v).TotalSeconds.ToString(CultureInfo.InvariantCulture));
        }) { Required = true },
        new("medianSeconds", (ref r, c, s) => s.Median = c.ReadCount(ref r, "the median"), (w, n, v) => w.WriteNumber(n, summary(v).MedianSeconds)) { Required = true },
        new("upperMedianSeconds", (ref r, c, s) => s.UpperMedian = c.ReadCount(ref r, "the upper median"), (w, n, v) =>
        {
            if (summary(v) is var value && value.UpperMedianSeconds != value.MedianSeconds)
            {
                // Only an even count whose two middle values differ has an upper median of its own.
                w.WriteNumber(n, value.UpperMedianSeconds);
            }
        }),
        new("p90Seconds", (ref r, c, s) => s.P90 = c.ReadCount(ref r, "the 90th percentile"), (w, n, v) => w.WriteNumber(n, summary(v).P90Seconds)) { Required = true },
    ];

    /// <summary>An absent <c>upperMedianSeconds</c> (written only when it differs) is the median.</summary>
    private static DurationSummary? ToSummary(JsonReadContext context, string path, Fields fields)
    {
        var (count, total, median, upperMedian, p90) = (fields.Count, fields.Total, fields.Median, fields.UpperMedian, fields.P90);
        if (count is null || total is null || median is null || p90 is null || count < 0 || total < 0 || median < 0 || p90 < 0 || upperMedian < 0)
        {
            return null;
        }

        try
        {
            return DurationSummary.FromAggregates(count.Value, total.Value, median.Value, upperMedian ?? median.Value, p90.Value);
        }
        catch (ArgumentException ex)
        {
            context.Report(path, WithoutParameter(ex));
            return null;
        }
    }

    private sealed class Fields(List<DerivedJson>? derived)
    {
        public long? Count { get; set; }

        public Int128? Total { get; set; }

        public long? Median { get; set; }

        public long? UpperMedian { get; set; }

        public long? P90 { get; set; }

        /// <summary>Gets the derived numbers of a time to convert's summary; null for any other summary, which has no such rows.</summary>
        public List<DerivedJson>? Derived { get; } = derived;
    }
}
