using System.Globalization;
using Funnel.Cli.Analysis;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Reporting;
using Spectre.Console;
using static Funnel.Cli.Output.Formatting;

namespace Funnel.Cli.Output;

/// <summary>Renders an analysis as Spectre tables (plain text without colours when stdout is not a terminal).</summary>
internal static class TableReportWriter
{
    public static void Write(AnalysisResult result, IAnsiConsole console)
    {
        var def = result.Definition;
        var bulk = result.Bulk;
        var report = result.Report;
        var data = result.Data;
        console.Write(new Rule(Markup.Escape($"Funnel '{def.Key}' ({def.DisplayName}) over {result.InputPath}")).LeftJustified());
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"events {Count(data.Log.Count)} · entities {Count(bulk.EntityCount)} · bad rows skipped {Count(data.BadRows)} · dated {Period(data.Log)} · {Query(result)}"));
        WriteDataQuality(result, console);
        console.WriteLine();

        if (report.IsUnordered)
        {
            WriteSteps(report, console);
        }

        WriteStages(result, console);
        WriteConversionTimes(report, console);
        WriteOutcomes(report, console);

        WriteLosses(result, console);
        WriteTransitions(result, console);
        if (result.Segments is { } segments)
        {
            WriteSegments(segments, result.Options.By ?? result.Data.SegmentColumn ?? "segment", console);
        }

        if (result.Cohorts is { } cohorts)
        {
            WriteCohorts(cohorts, console);
        }

        if (result.Economics is { } economics)
        {
            WriteEconomics(economics, console);
        }

        console.WriteLine(
            (result.Options.Reach == ReachMode.OrderedWindow ? "Reached, transitions" : "Transitions") + ", time in stage (count, median, mean) and losses: bulk engine" +
              ". Rates with 95% Wilson intervals, outcomes, dropped/active, p90" + (result.Options.Reach != ReachMode.OrderedWindow ? ", reached under the chosen --reach" : result.Options.Anchor == AnchorMode.First ? "" : ", reached under the chosen anchor") +
              ", segments, cohorts, economics: metrics report. * = small sample (fewer than 30 trials).");
        console.WriteLine(ReportText.NotClosedLegend(result.Report.Query) + " " + ReportText.NotApplicable + " = not applicable. Times in UTC. " + ReportText.MedianLegend(result.Report.Query.Median));
        if (ReportText.FunnelModes(result.Report) is { Length: > 0 } modes)
        {
            console.WriteLine(modes);
        }
    }

    /// <summary>The reach mode and, for the ordered funnel, its window, anchor and step windows.</summary>
    private static string Query(AnalysisResult result) => result.Options.Reach switch
    {
        ReachMode.AnyOrder => "reach any-order (entered at some time, in any order)",
        ReachMode.PassThrough => "reach pass-through (at a later stage counts as passed)",
        _ => $"reach ordered · window {Window(result.Options.Window)} · anchor {result.Options.Anchor.ToString().ToLowerInvariant()}{Modes(result)}{StepWindows(result)}",
    };

    /// <summary>The data-quality findings, one a line: the skipped rows, the disallowed moves, the events dated before their lead's entry.</summary>
    private static void WriteDataQuality(AnalysisResult result, IAnsiConsole console)
    {
        console.WriteLine("Data quality:");
        foreach (var finding in ReportText.DataQuality(result.DataQuality).Prepend(SkippedRows(result)))
        {
            console.WriteLine("  · " + finding);
        }
    }

    /// <summary>An unordered funnel's rows: "1 step, 2 steps, …", whichever stages they were (the stages table keeps the numbers of each stage).</summary>
    private static void WriteSteps(FunnelReport report, IAnsiConsole console)
    {
        var table = new Table().Title("Steps in any order (distinct stages entered within the window)").AddColumn("steps").AddColumn(new TableColumn("reached").RightAligned())
            .AddColumn("from previous (95% CI)").AddColumn("from top (95% CI)");
        for (var k = 0; k < report.Stages.Length; k++)
        {
            var m = report.Stages[k];
            table.AddRow(
                Markup.Escape(ReportText.StepName(report, k)),
                Count(m.Reached),
                k == 0 ? ReportText.NotApplicable : Markup.Escape(Rate(m.ConversionFromPrevious)),
                Markup.Escape(m.ConversionFromTop is { } top ? Rate(top) : ReportText.NotApplicable));
        }

        console.Write(table);
    }

    private static void WriteStages(AnalysisResult result, IAnsiConsole console)
    {
        var bulk = result.Bulk;
        var report = result.Report;
        var reached = !report.IsUnordered; // an unordered funnel's reached rows are steps (WriteSteps)
        var median = report.Query.Median;
        var table = new Table().Title("Stages").AddColumn("stage");
        if (reached)
        {
            table.AddColumn(new TableColumn("reached").RightAligned()).AddColumn("from previous (95% CI)").AddColumn("from top (95% CI)");
        }

        table.AddColumn(new TableColumn("lost").RightAligned()).AddColumn(new TableColumn(ReportText.Dropped).RightAligned()).AddColumn(new TableColumn(ReportText.Active).RightAligned())
            .AddColumn(new TableColumn("stays").RightAligned()).AddColumn(new TableColumn(median == MedianKind.Interpolated ? "median (interp.)" : "median").RightAligned()).AddColumn(new TableColumn("mean").RightAligned())
            .AddColumn(new TableColumn("p90").RightAligned());

        for (var k = 0; k < result.Definition.Stages.Length; k++)
        {
            var stage = result.Definition.Stages[k];
            var time = bulk.TimeInStage[k];
            var name = Markup.Escape(stage.DisplayName) + (stage.Key == result.Definition.GoalStage.Key ? " (goal)" : "") + (ReportText.IsOptional(report, k) ? " (optional)" : "");
            var atOrPastGoal = stage.Order >= result.Definition.GoalStage.Order; // such a lead is won: never dropped or active
            var m = report.Stages[k];
            var cells = new List<string> { name };
            if (reached)
            {
                cells.AddRange([
                    Count(m.Reached),
                    k == 0 ? ReportText.NotApplicable : Markup.Escape(Rate(m.ConversionFromPrevious)),
                    Markup.Escape(m.ConversionFromTop is { } top ? Rate(top) : ReportText.NotApplicable)]);
            }

            // The bulk engine's lower median; the interpolated one from the metrics report's equal summary (it has the upper median).
            cells.AddRange([
                Count(m.Losses.Total),
                atOrPastGoal ? ReportText.NotApplicable : Count(m.Dropped),
                atOrPastGoal ? ReportText.NotApplicable : Count(m.StillOpen),
                Count(time.Count),
                StayDuration(time.Count, median == MedianKind.Lower ? time.MedianSeconds : m.TimeInStage.MedianSecondsOf(median)),
                StayDuration(time.Count, time.MeanSeconds),
                StayDuration(time.Count, m.TimeInStage.P90Seconds)]);
            table.AddRow([.. cells]);
        }

        console.Write(table);
        var afterLoss = bulk.TimeAfterLoss;
        if (afterLoss.Count > 0)
        {
            // A stay after a loss is in no stage: from a loss to the lead's next event (a re-entry, or another loss).
            console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"After a loss (in no stage): {Count(afterLoss.Count)} stays until the lead's next event, median {Duration(afterLoss.MedianSeconds)}, mean {Duration(afterLoss.MeanSeconds)}."));
        }
    }

    /// <summary>The time to convert into each step, from the anchor and from the previous step reached: leads, mean, median (of the chosen kind), p90.</summary>
    private static void WriteConversionTimes(FunnelReport report, IAnsiConsole console)
    {
        if (report.Query.Reach != ReachMode.OrderedWindow || report.ConversionTimes.IsEmpty)
        {
            return;
        }

        var median = report.Query.Median == MedianKind.Interpolated ? "median (interp.)" : "median";
        var table = new Table().Title("Time to convert (leads whose counted attempt reached the step)").AddColumn("step").AddColumn(new TableColumn("n").RightAligned());
        foreach (var from in new[] { "from anchor", "from previous" })
        {
            table.AddColumn(new TableColumn($"{from}: mean").RightAligned()).AddColumn(new TableColumn($"{median}").RightAligned()).AddColumn(new TableColumn("p90").RightAligned());
        }

        foreach (var time in report.ConversionTimes)
        {
            var cells = new List<string> { Markup.Escape(ReportText.StepName(report, time.Step)), Count(time.FromAnchor.Count) };
            foreach (var summary in new[] { time.FromAnchor, time.FromPrevious })
            {
                cells.AddRange([
                    StayDuration(summary.Count, summary.MeanSeconds),
                    StayDuration(summary.Count, summary.MedianSecondsOf(report.Query.Median)),
                    StayDuration(summary.Count, summary.P90Seconds)]);
            }

            table.AddRow([.. cells]);
        }

        console.Write(table);
    }

    private static void WriteOutcomes(FunnelReport report, IAnsiConsole console)
    {
        var table = new Table().Title("Outcomes").AddColumns("leads", "won", "won at some time", "lost", ReportText.NotClosed, "conversion (95% CI)", "win rate (95% CI)", "median cycle to won");
        table.AddRow(
            Count(report.Leads),
            Count(report.Won),
            Count(report.EverWon),
            Count(report.Lost),
            Count(report.Open),
            Markup.Escape(Rate(report.OverallConversion)),
            Markup.Escape(WinRate(report)),
            StayDuration(report.CycleTimeToWon.Count, report.CycleTimeToWon.MedianSeconds));
        console.Write(table);
        if (report.Definition.Outcome == Funnel.Core.OutcomeRule.Reached && report.OutcomeRulesDiffer)
        {
            // Under --outcome reached both counts are labelled (issue 23).
            console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Won counts every lead that reached the goal (outcome: reached); {Count(report.LastStatusWon)} of them are still at or past the goal after their last event (outcome: last-status)."));
        }
        else if (report.EverWon > report.Won)
        {
            // The two numbers look contradictory without this line (issue 19): say what each counts.
            console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Won counts the leads at or past the goal after their last event; {Count(report.EverWon - report.Won)} more reached the goal and were lost or moved back afterwards, so {Count(report.EverWon)} were won at some time."));
        }
    }

    private static void WriteLosses(AnalysisResult result, IAnsiConsole console)
    {
        var bulk = result.Bulk;
        var losses = bulk.Losses;

        // One line per stage, then the losses at no stage: after a loss, and a lead's first event (stage unknown).
        var rows = Enumerable.Range(0, losses.Rows)
            .Select(r => (Label: result.Definition.Stages[r].DisplayName, Counts: losses.GetRow(r).ToArray()))
            .Append((Label: "(after a loss)", Counts: bulk.LossesAfterLoss.ToArray()))
            .Append((Label: "(unknown stage: first event)", Counts: bulk.LossesAtUnknownStage.ToArray()))
            .ToList();
        var reasons = Enumerable.Range(0, losses.Columns).Where(c => rows.Exists(r => r.Counts[c] > 0)).ToList();
        if (reasons.Count == 0)
        {
            console.WriteLine("No losses.");
            return;
        }

        var table = new Table().Title("Losses by stage (the stage of the lead's previous event) and reason").AddColumn("stage");
        foreach (var c in reasons)
        {
            var reason = result.Definition.LossReasons[c];
            table.AddColumn(new TableColumn(Markup.Escape(reason.DisplayName + (reason.IsRecoverable ? " (recoverable)" : ""))).RightAligned());
        }

        table.AddColumn(new TableColumn("total").RightAligned());
        foreach (var (label, row) in rows)
        {
            if (row.Sum() == 0)
            {
                continue;
            }

            table.AddRow([Markup.Escape(label), .. reasons.Select(c => Count(row[c])), Count(row.Sum())]);
        }

        console.Write(table);
    }

    private static void WriteTransitions(AnalysisResult result, IAnsiConsole console)
    {
        var matrix = result.Bulk.Transitions;
        var stages = result.Definition.Stages;
        var table = new Table().Title("Transitions (from row to column, consecutive events)").AddColumn("from \\ to");
        foreach (var s in stages)
        {
            table.AddColumn(new TableColumn(Markup.Escape(s.DisplayName)).RightAligned());
        }

        table.AddColumn(new TableColumn("lost").RightAligned());
        for (var r = 0; r < matrix.Rows; r++)
        {
            // The last row: pairs whose first event is a loss (a lead that came back, or was lost again).
            var label = r == result.Bulk.LostRow ? "lost" : stages[r].DisplayName;
            table.AddRow([Markup.Escape(label), .. matrix.GetRow(r).ToArray().Select(c => c == 0 ? "." : Count(c))]);
        }

        console.Write(table);
    }

    private static void WriteSegments(SegmentBreakdown segments, string column, IAnsiConsole console)
    {
        var table = new Table().Title(Markup.Escape($"By {column}")).AddColumns("segment", "leads", "won", "lost", ReportText.NotClosed, "conversion (95% CI)");
        foreach (var s in segments.Segments)
        {
            var r = s.Report;
            table.AddRow(Markup.Escape(s.Name), Count(r.Leads), Count(r.Won), Count(r.Lost), Count(r.Open), Markup.Escape(Rate(r.OverallConversion)));
        }

        console.Write(table);
        if (segments.Segments.Length >= 2)
        {
            var test = segments.CompareOverallConversion();
            console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Do the segments convert differently? {Test(test)}: {(test.IsSignificant() ? "yes, significant at 5%" : "no significant difference at 5%")}."));
        }

        if (!segments.MergedSegments.IsEmpty)
        {
            console.WriteLine(Markup.Escape(
                $"Segments with fewer than {Count(segments.MinimumLeads)} leads (--min-leads) were merged into {SegmentBreakdown.OtherLabel}: {string.Join(", ", segments.MergedSegments)}."));
        }
    }

    private static void WriteCohorts(CohortReport cohorts, IAnsiConsole console)
    {
        var period = cohorts.Period switch { CohortPeriod.Day => "day", CohortPeriod.IsoWeek => "ISO week", _ => "month" };
        var table = new Table().Title($"Cohorts by {period} of the first event (UTC)").AddColumns("cohort", "leads", "won", "conversion (95% CI)");
        foreach (var c in cohorts.Cohorts)
        {
            table.AddRow(Markup.Escape(c.Label), Count(c.Report.Leads), Count(c.Report.Won), Markup.Escape(Rate(c.Conversion)));
        }

        console.Write(table);
        if (cohorts.TrendPerPeriod is { } trend)
        {
            console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Trend {trend * 100:+0.00;-0.00;0.00} conversion points per period; cohorts alike? {Test(cohorts.Homogeneity)} ({(cohorts.Homogeneity.IsSignificant() ? "they differ at 5%" : "no significant difference at 5%")}). Younger cohorts have had less time to convert."));
        }
    }

    private static void WriteEconomics(EconomicsReport economics, IAnsiConsole console)
    {
        var table = new Table().Title("Economics per source")
            .AddColumns("source", "leads", "sales", "spend", "revenue", "margin", "profit", "CPA", "ROMI", "break-even conv.", "conversion", "verdict");
        foreach (var s in economics.Sources.Append(economics.Overall))
        {
            table.AddRow(
                Markup.Escape(s.Source),
                Count(s.Leads),
                Count(s.Sales),
                Money(s.Spend),
                Money(s.Revenue),
                Money(s.Margin),
                Money(s.Profit),
                Money(s.CostPerAcquisition),
                s.Romi is { } romi ? Percent((double)romi) : ReportText.NotApplicable,
                s.BreakEvenConversion is { } be ? Percent((double)be) : "never",
                s.Conversion.HasData ? Percent(s.Conversion.Value) + (s.Conversion.IsSmallSample ? " *" : "") : ReportText.NotApplicable,
                Markup.Escape(Verdict(s.Verdict) + (s.Verdict is EconomicsVerdict.Profitable or EconomicsVerdict.LossMaking && !s.IsConclusive ? " (not conclusive)" : "")));
        }

        console.Write(table);
        console.WriteLine(EconomicsBasis(economics));
    }

    /// <summary>Which leads CAC and ROMI count (issue 23): every lead's cost; sales so far; open and silent leads as leads without a sale.</summary>
    internal static string EconomicsBasis(EconomicsReport economics) =>
        $"CPA and ROMI count the cost of every lead and the sales recorded by the as-of time; leads with no known outcome yet (open: {Count(economics.Overall.OpenLeads)}, of which silent: {Count(economics.Overall.SilentLeads)}) count as leads without a sale.";

    internal static string Verdict(EconomicsVerdict verdict) => verdict switch
    {
        EconomicsVerdict.Profitable => "profitable",
        EconomicsVerdict.BreakEven => "break-even",
        EconomicsVerdict.LossMaking => "works at a loss",
        EconomicsVerdict.CannotBreakEven => "cannot break even",
        _ => "no data",
    };
}
