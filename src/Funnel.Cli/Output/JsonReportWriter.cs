using System.Buffers;
using System.Text;
using System.Text.Json;
using Funnel.Cli.Analysis;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json;

namespace Funnel.Cli.Output;

/// <summary>
/// Writes an analysis as one JSON document (docs/cli.md, schemas/funnel-analyze.schema.json of Funnel.Serialization.Json):
/// the library's documents — the metrics report (<see cref="FunnelJson.WriteReport"/>), the bulk report
/// (<see cref="FunnelJson.WriteTransitionReport"/>), a report per segment and per cohort — and the few fields they have
/// no place for: the input file and its rows, the outcome rule, the data-quality findings, the tests and the economics.
/// </summary>
internal static class JsonReportWriter
{
    public static string Write(AnalysisResult result)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteDocument(w, result);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + Environment.NewLine;
    }

    private static void WriteDocument(Utf8JsonWriter w, AnalysisResult result)
    {
        // Only the library's documents and the few fields they have no place for (schemas/funnel-analyze.schema.json).
        w.WriteStartObject();
        WriteInput(w, result);
        w.WriteString("outcome", result.Definition.Outcome == Funnel.Core.OutcomeRule.Reached ? "reached" : "last-status");

        // The metrics report (FunnelJson.ReadReport reads it back) and the bulk engine's report (FunnelJson.ReadTransitionReport).
        w.WritePropertyName("report");
        w.WriteRawValue(FunnelJson.WriteReport(result.Report, indented: false));
        w.WritePropertyName("transitions");
        w.WriteRawValue(FunnelJson.WriteTransitionReport(result.Bulk, indented: false));
        WriteDataQuality(w, result);

        if (result.Segments is { } segments)
        {
            w.WriteStartObject("segments");
            w.WriteString("column", result.Data.SegmentColumn);
            w.WriteNumber("minimumLeads", segments.MinimumLeads);
            w.WriteStartArray("merged");
            foreach (var name in segments.MergedSegments)
            {
                w.WriteStringValue(name);
            }

            w.WriteEndArray();
            if (segments.Segments.Length >= 2)
            {
                WriteTest(w, "conversionTest", segments.CompareOverallConversion());
            }

            w.WriteStartArray("items");
            foreach (var s in segments.Segments)
            {
                w.WriteStartObject();
                w.WriteString("name", s.Name);
                w.WritePropertyName("report");
                w.WriteRawValue(FunnelJson.WriteReport(s.Report, indented: false));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (result.Cohorts is { } cohorts)
        {
            w.WriteStartObject("cohorts");
            w.WriteString("period", cohorts.Period switch { CohortPeriod.Day => "day", CohortPeriod.IsoWeek => "week", _ => "month" });
            if (cohorts.TrendPerPeriod is { } trend)
            {
                WriteDouble(w, "trendPerPeriod", trend);
            }

            WriteTest(w, "homogeneity", cohorts.Homogeneity);
            w.WriteStartArray("items");
            foreach (var c in cohorts.Cohorts)
            {
                w.WriteStartObject();
                w.WriteString("label", c.Label);
                w.WriteString("start", c.Start);
                w.WritePropertyName("report");
                w.WriteRawValue(FunnelJson.WriteReport(c.Report, indented: false));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (result.Economics is { } economics)
        {
            w.WriteStartArray("economics");
            foreach (var s in economics.Sources.Append(economics.Overall))
            {
                w.WriteStartObject();
                w.WriteString("source", s.Source);
                w.WriteNumber("leads", s.Leads);
                w.WriteNumber("sales", s.Sales);
                w.WriteNumber("openLeads", s.OpenLeads);
                w.WriteNumber("silentLeads", s.SilentLeads);
                w.WriteNumber("spend", s.Spend);
                w.WriteNumber("revenue", s.Revenue);
                w.WriteNumber("margin", s.Margin);
                w.WriteNumber("profit", s.Profit);
                WriteNullable(w, "costPerAcquisition", s.CostPerAcquisition);
                WriteNullable(w, "romi", s.Romi);
                WriteNullable(w, "breakEvenConversion", s.BreakEvenConversion);
                WriteProportion(w, "conversion", s.Conversion);
                w.WriteString("verdict", TableReportWriter.Verdict(s.Verdict));
                w.WriteBoolean("conclusive", s.IsConclusive);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>The file read and its rows: what the reports rest on, which neither report document holds.</summary>
    private static void WriteInput(Utf8JsonWriter w, AnalysisResult result)
    {
        w.WriteStartObject("input");
        w.WriteString("file", result.InputPath);
        w.WriteNumber("rowsRead", result.Data.RowsRead);
        w.WriteNumber("badRows", result.Data.BadRows);
        w.WriteStartObject("badRowsByColumn");
        foreach (var (column, rows) in result.Data.BadRowsByColumn)
        {
            w.WriteNumber(column, rows);
        }

        w.WriteEndObject();
        if (result.Data.SegmentColumn is { } segment)
        {
            w.WriteString("segmentColumn", segment);
        }
        else
        {
            w.WriteNull("segmentColumn");
        }

        w.WriteEndObject();
    }

    /// <summary>The data-quality findings (the report's section of the same name): skipped rows, disallowed moves, events before entry.</summary>
    private static void WriteDataQuality(Utf8JsonWriter w, AnalysisResult result)
    {
        var quality = result.DataQuality;
        w.WriteStartObject("dataQuality");
        w.WriteNumber("disallowedMoves", quality.DisallowedMoveCount);
        w.WriteStartArray("disallowedMovesByPair");
        foreach (var move in quality.DisallowedMoves)
        {
            w.WriteStartObject();
            w.WriteString("from", move.From.Key.ToString());
            w.WriteString("to", move.To.Key.ToString());
            w.WriteString("kind", move.Kind switch { Funnel.Core.TransitionKind.Back => "back", Funnel.Core.TransitionKind.Reentry => "reentry", Funnel.Core.TransitionKind.Skip => "skip", _ => "forward" });
            w.WriteNumber("count", move.Count);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("eventsBeforeEntry", quality.EventsBeforeEntry);
        w.WriteNumber("leadsWithEventsBeforeEntry", quality.LeadsWithEventsBeforeEntry);
        w.WriteNumber("leadsWonOnlyBeforeEntry", quality.LeadsWonOnlyBeforeEntry);
        w.WriteEndObject();
    }

    private static void WriteProportion(Utf8JsonWriter w, string name, Proportion p)
    {
        w.WriteStartObject(name);
        w.WriteNumber("successes", p.Successes);
        w.WriteNumber("trials", p.Trials);
        w.WriteNumber("value", p.Value);
        w.WriteNumber("lower", p.Interval.Lower);
        w.WriteNumber("upper", p.Interval.Upper);
        w.WriteNumber("level", p.Interval.Level);
        w.WriteBoolean("smallSample", p.IsSmallSample);
        w.WriteEndObject();
    }

    private static void WriteTest(Utf8JsonWriter w, string name, TestResult test)
    {
        w.WriteStartObject(name);
        WriteDouble(w, "statistic", test.Statistic);
        w.WriteNumber("degreesOfFreedom", test.DegreesOfFreedom);
        WriteDouble(w, "pValue", test.PValue);
        w.WriteBoolean("significant", test.IsSignificant());
        w.WriteString("method", test.Method switch
        {
            TestMethod.FisherExact => "fisher-exact",
            TestMethod.MonteCarloPermutation => "monte-carlo-permutation",
            TestMethod.ZTest => "z-test",
            _ => "chi-square",
        });
        w.WriteBoolean("smallSample", test.IsSmallSample);
        w.WriteNumber("smallExpectedCells", test.SmallExpectedCells);
        w.WriteNumber("cells", test.Cells);
        if (test.Seed is { } seed)
        {
            w.WriteNumber("seed", seed);
            w.WriteNumber("iterations", test.Iterations);
        }
        w.WriteEndObject();
    }

    private static void WriteDouble(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
