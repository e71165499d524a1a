using System.Text.Json;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json.Internal;
using static Funnel.Serialization.Json.Converters.Report.ReportJsonChecks;

namespace Funnel.Serialization.Json.Converters.Report;

/// <summary>
/// A <see cref="DurationHistogram"/> in the report format: its bins in ascending order, each
/// <c>{ "fromSeconds", "toSeconds", "count" }</c> with <see langword="null"/> for an open end.
/// </summary>
internal static class DurationHistogramJson
{
    private static readonly JsonObjectShape<DurationBin, BinFields> BinShape = new(
        "a histogram bin",
        JsonShapeReading.FirstProblem,
        new("fromSeconds", (ref r, c, s) => s.From = r.TokenType == JsonTokenType.Null ? null : c.ReadInt64(ref r, "the bin's start"), (w, n, v) => WriteNullable(w, n, v.FromSeconds))
        {
            Required = true,
        },
        new("toSeconds", (ref r, c, s) => s.To = r.TokenType == JsonTokenType.Null ? null : c.ReadInt64(ref r, "the bin's end"), (w, n, v) => WriteNullable(w, n, v.ToSeconds)) { Required = true },
        new("count", (ref r, c, s) => s.Count = c.ReadCount(ref r, "the bin's count"), (w, n, v) => w.WriteNumber(n, v.Count)) { Required = true });

    /// <summary>Reads a histogram; null when a bin misses a value, or the bins do not make a histogram (reported).</summary>
    public static DurationHistogram? Read(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var path = context.Path;
        var complete = true;
        var bins = context.ReadArray(ref reader, "a histogram's bins", (ref Utf8JsonReader r, JsonReadContext c) =>
        {
            var fields = new BinFields();
            BinShape.Read(ref r, c, fields);
            complete &= fields.Complete;
            return new DurationBin(fields.From, fields.To, fields.Count ?? 0);
        });
        if (!complete)
        {
            return null;
        }

        try
        {
            return DurationHistogram.FromBins(bins);
        }
        catch (ArgumentException ex)
        {
            context.Report(path, WithoutParameter(ex));
            return null;
        }
    }

    public static void Write(Utf8JsonWriter writer, string name, DurationHistogram histogram)
    {
        writer.WriteStartArray(name);
        foreach (var bin in histogram.Bins)
        {
            BinShape.Write(writer, bin);
        }

        writer.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private sealed class BinFields
    {
        private long? _from;
        private long? _to;

        public long? From
        {
            get => _from;
            set => (_from, FromPresent) = (value, true);
        }

        public long? To
        {
            get => _to;
            set => (_to, ToPresent) = (value, true);
        }

        public long? Count { get; set; }

        /// <summary>Gets a value indicating whether both ends (each a number or null) and the count were read.</summary>
        public bool Complete => FromPresent && ToPresent && Count is not null;

        private bool FromPresent { get; set; }

        private bool ToPresent { get; set; }
    }
}
