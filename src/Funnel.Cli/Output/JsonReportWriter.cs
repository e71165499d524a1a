using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Funnel.Cli.Analysis;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json;

namespace Funnel.Cli.Output;

/// <summary>Writes an analysis as one JSON document (the shape is documented in docs/cli.md).</summary>
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
        var def = result.Definition;
        var bulk = result.Bulk;
        var report = result.Report;
        w.WriteStartObject();
        w.WriteString("input", result.InputPath);
        w.WriteString("definition", def.Key);
        if (result.Options.Window is { } window)
        {
            w.WriteNumber("windowSeconds", (long)Math.Floor(window.TotalSeconds));
        }
        else
        {
            w.WriteNull("windowSeconds");
        }

        w.WriteString("reach", result.Options.Reach switch { ReachMode.AnyOrder => "any-order", ReachMode.PassThrough => "pass-through", _ => "ordered" });
        w.WriteString("anchor", result.Options.Anchor.ToString().ToLowerInvariant());
        if (result.Options.Reach == ReachMode.OrderedWindow)
        {
            WriteModes(w, result);
        }

        w.WriteString("median", result.Options.Median == MedianKind.Interpolated ? "interpolated" : "lower");
        w.WriteStartArray("conversionBinsSeconds");
        foreach (var edge in result.Options.ConversionBins)
        {
            w.WriteNumberValue((long)edge.TotalSeconds);
        }

        w.WriteEndArray();
        w.WriteString("outcome", result.Definition.Outcome == Funnel.Core.OutcomeRule.Reached ? "reached" : "last-status");
        if (!result.Options.StepWindows.IsEmpty)
        {
            // Per stage after the first: the seconds allowed since the entry into the stage before it, or null for no limit.
            w.WriteStartObject("stepWindowSeconds");
            for (var k = 0; k < result.Options.StepWindows.Length; k++)
            {
                if (result.Options.StepWindows[k] is { } step)
                {
                    w.WriteNumber(def.Stages[k + 1].Key.ToString(), (long)step.TotalSeconds);
                }
                else
                {
                    w.WriteNull(def.Stages[k + 1].Key.ToString());
                }
            }

            w.WriteEndObject();
        }

        w.WriteNumber("rowsRead", result.Data.RowsRead);
        w.WriteNumber("badRows", result.Data.BadRows);
        w.WriteStartObject("badRowsByColumn");
        foreach (var (column, rows) in result.Data.BadRowsByColumn)
        {
            w.WriteNumber(column, rows);
        }

        w.WriteEndObject();
        WriteDataQuality(w, result);
        w.WriteNumber("events", bulk.EventCount);
        w.WriteNumber("entities", bulk.EntityCount);
        w.WriteStartObject("engines");
        w.WriteBoolean("bulk", true);
        w.WriteBoolean("report", true);

        w.WriteEndObject();

        w.WriteStartArray("stages");
        for (var k = 0; k < def.Stages.Length; k++)
        {
            var time = bulk.TimeInStage[k];
            long lost = 0;
            foreach (var c in bulk.Losses.GetRow(k))
            {
                lost += c;
            }

            w.WriteStartObject();
            w.WriteString("key", def.Stages[k].Key.ToString());
            w.WriteNumber("reached", report.Stages[k].Reached);
            w.WriteNumber("reachedFirstAnchor", bulk.Reached[k]);
            w.WriteNumber("lost", lost);
            w.WriteNumber("stays", time.Count);
            w.WritePropertyName("totalSeconds");
            w.WriteRawValue(time.TotalSeconds.ToString(CultureInfo.InvariantCulture));
            var m = report.Stages[k];
            if (result.Options.Median == MedianKind.Interpolated)
            {
                // The interpolated median needs the upper median, which the metrics report's equal summary keeps.
                w.WriteNumber("medianSeconds", m.TimeInStage.MedianSecondsOf(MedianKind.Interpolated));
            }
            else
            {
                w.WriteNumber("medianSeconds", time.MedianSeconds);
            }

            w.WriteNumber("meanSeconds", time.MeanSeconds);
            w.WriteNumber("convertedToNext", m.ConvertedToNext);
            WriteProportion(w, "conversionFromPrevious", m.ConversionFromPrevious);
            if (m.ConversionFromTop is { } top)
            {
                WriteProportion(w, "conversionFromTop", top);
            }

            w.WriteNumber("dropped", m.Dropped);
            w.WriteNumber("open", m.StillOpen);
            w.WriteNumber("p90Seconds", m.TimeInStage.P90Seconds);

            w.WriteEndObject();
        }

        w.WriteEndArray();

        // The time from a loss to the lead's next event: a stay in no stage (the lost row of the transitions).
        w.WriteStartObject("timeAfterLoss");
        w.WriteNumber("stays", bulk.TimeAfterLoss.Count);
        w.WritePropertyName("totalSeconds");
        w.WriteRawValue(bulk.TimeAfterLoss.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        w.WriteNumber("medianSeconds", bulk.TimeAfterLoss.MedianSeconds);
        w.WriteNumber("meanSeconds", bulk.TimeAfterLoss.MeanSeconds);
        w.WriteEndObject();

        w.WriteStartObject("outcomes");
        w.WriteNumber("leads", report.Leads);
        w.WriteNumber("won", report.Won);
        w.WriteNumber("everWon", report.EverWon);
        w.WriteNumber("lastStatusWon", report.LastStatusWon);
        w.WriteBoolean("noLossesRecorded", report.NoLossesRecorded);
        w.WriteNumber("lost", report.Lost);
        w.WriteNumber("open", report.Open);
        WriteProportion(w, "conversion", report.OverallConversion);
        WriteProportion(w, "winRate", report.WinRate);
        w.WriteStartObject("cycleTimeToWon");
        w.WriteNumber("count", report.CycleTimeToWon.Count);
        w.WriteNumber("medianSeconds", report.CycleTimeToWon.MedianSeconds);
        w.WriteNumber("meanSeconds", report.CycleTimeToWon.MeanSeconds);
        w.WriteNumber("p90Seconds", report.CycleTimeToWon.P90Seconds);
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartObject("transitions");
        w.WriteStartArray("columns");
        foreach (var s in def.Stages)
        {
            w.WriteStringValue(s.Key.ToString());
        }

        w.WriteStringValue("lost");
        w.WriteEndArray();
        w.WriteStartObject("rows");
        for (var r = 0; r < bulk.Transitions.Rows; r++)
        {
            w.WriteStartArray(r == bulk.LostRow ? "lost" : def.Stages[r].Key.ToString());
            foreach (var c in bulk.Transitions.GetRow(r))
            {
                w.WriteNumberValue(c);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartArray("losses");
        for (var r = 0; r < bulk.Losses.Rows; r++)
        {
            for (var c = 0; c < bulk.Losses.Columns; c++)
            {
                if (bulk.Losses[r, c] > 0)
                {
                    w.WriteStartObject();
                    w.WriteString("stage", def.Stages[r].Key.ToString());
                    w.WriteString("reason", def.LossReasons[c].Key.ToString());
                    w.WriteBoolean("recoverable", def.LossReasons[c].IsRecoverable);
                    w.WriteNumber("count", bulk.Losses[r, c]);
                    w.WriteEndObject();
                }
            }
        }

        // Losses whose stage is not a stage: after a loss ("lost"), or a lead's first event (no stage known).
        foreach (var (stage, counts) in new[] { ("lost", bulk.LossesAfterLoss), ((string?)null, bulk.LossesAtUnknownStage) })
        {
            for (var c = 0; c < counts.Length; c++)
            {
                if (counts[c] > 0)
                {
                    w.WriteStartObject();
                    w.WriteString("stage", stage);
                    w.WriteString("reason", def.LossReasons[c].Key.ToString());
                    w.WriteBoolean("recoverable", def.LossReasons[c].IsRecoverable);
                    w.WriteNumber("count", counts[c]);
                    w.WriteEndObject();
                }
            }
        }

        w.WriteEndArray();

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
                w.WriteNumber("leads", s.Report.Leads);
                w.WriteNumber("won", s.Report.Won);
                w.WriteNumber("lost", s.Report.Lost);
                w.WriteNumber("open", s.Report.Open);
                WriteProportion(w, "conversion", s.Report.OverallConversion);
                w.WriteStartArray("reached");
                foreach (var reached in s.Report.Reached)
                {
                    w.WriteNumberValue(reached);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (result.Cohorts is { } cohorts)
        {
            w.WriteStartObject("cohorts");
            w.WriteString("period", cohorts.Period.ToString());
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
                w.WriteNumber("leads", c.Report.Leads);
                w.WriteNumber("won", c.Report.Won);
                WriteProportion(w, "conversion", c.Conversion);
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

        // The library's report document, in the vocabulary of Funnel.Serialization.Json: FunnelJson.ReadReport reads
        // it back (the fields above are the tool's own summary of the same numbers).
        w.WritePropertyName("report");
        w.WriteRawValue(FunnelJson.WriteReport(result.Report, indented: false));
        w.WriteEndObject();
    }

    /// <summary>The step order, exclusion steps (as <c>--exclude</c> takes them) and optional steps of the ordered window funnel.</summary>
    private static void WriteModes(Utf8JsonWriter w, AnalysisResult result)
    {
        w.WriteString("order", result.Options.Order switch { StepOrder.Strict => "strict", StepOrder.Unordered => "unordered", _ => "ordered" });
        w.WriteStartArray("exclude");
        foreach (var exclusion in result.Options.Exclusions)
        {
            w.WriteStringValue(Formatting.Exclusion(result.Definition, exclusion));
        }

        w.WriteEndArray();
        w.WriteStartArray("optional");
        foreach (var key in result.Options.OptionalSteps)
        {
            w.WriteStringValue(key);
        }

        w.WriteEndArray();
    }

    /// <summary>The data-quality findings (the report's section of the same name): skipped rows, disallowed moves, events before entry.</summary>
    private static void WriteDataQuality(Utf8JsonWriter w, AnalysisResult result)
    {
        var quality = result.DataQuality;
        w.WriteStartObject("dataQuality");
        w.WriteNumber("skippedRows", result.Data.BadRows);
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
