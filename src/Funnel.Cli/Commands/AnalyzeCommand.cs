using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Funnel.Cli.Analysis;
using Funnel.Cli.Input;
using Funnel.Cli.Output;
using Funnel.Core;
using Funnel.Core.Metrics;
using Spectre.Console;

namespace Funnel.Cli.Commands;

/// <summary><c>funnel analyze &lt;events&gt; --definition &lt;file|template&gt; ...</c>: the full report of an event log.</summary>
internal static class AnalyzeCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Argument<string>("events") { Description = "The event log: a CSV file with a header (entity,stage,timestamp[,loss_reason][,source]) or a .bin columnar file." };
        var definition = new Option<string>("--definition", "-d") { HelpName = "file|template",  Description = "The funnel: a definition JSON file or a template name (see 'funnel templates').", Required = true };
        var window = new Option<string>("--window", "-w") { HelpName = "duration",  Description = "The conversion window from the anchor: 30d, 2w, 12h, 90m, 3600s, or none.", DefaultValueFactory = _ => "none" };
        window.Validators.Add(r =>
        {
            var text = r.GetValueOrDefault<string>();
            if (text is not null && !DurationParser.TryParse(text, out _))
            {
                r.AddError($"'{text}' is not a window; use a whole number with a unit (30d, 2w, 12h, 90m, 3600s) or 'none'.");
            }
        });
        var reach = new Option<string>("--reach")
        {
            HelpName = "mode",
            Description = "What 'reached a stage' means, one of:\n"
                + "ordered: entered every stage up to it in order, within --window of the --anchor entry into the first stage (the default; the bulk engine's)\n"
                + "any-order: entered the stage at some time, in any order (click logs where buyers skip the cart)\n"
                + "pass-through: now at the stage or a later one, or closed from one, counts as having passed it (how CRMs count)",
            DefaultValueFactory = _ => "ordered",
        };
        reach.AcceptOnlyFromAmong("ordered", "any-order", "pass-through");
        var anchor = new Option<string>("--anchor") { Description = "Which entry into the first stage anchors the window: first (canonical), latest or best.", DefaultValueFactory = _ => "first" };
        anchor.AcceptOnlyFromAmong("first", "latest", "best");
        var stepWindow = new Option<string[]>("--step-window")
        {
            HelpName = "stage=duration",
            Description = "A per-step window: the entry into <stage> counts only within <duration> of the entry into the stage before it (e.g. proposal=2d; repeat for more steps; 'none' lifts a limit the definition sets).",
            AllowMultipleArgumentsPerToken = false,
        };
        var order = new Option<string>("--order")
        {
            Description = "How the steps must follow each other (--reach ordered), one of:\n"
                + "ordered: in funnel order, other events in between do not matter (the default)\n"
                + "strict: in funnel order with no other event of the lead in between (a repeat or a loss breaks the path)\n"
                + "unordered: k distinct stages of the funnel in any order within --window; rows read '1 step, 2 steps, ...'",
            DefaultValueFactory = _ => "ordered",
        };
        order.AcceptOnlyFromAmong("ordered", "strict", "unordered");
        var exclude = new Option<string[]>("--exclude")
        {
            HelpName = "stage|lost[:reason]@from-to",
            Description = "An exclusion step: a lead with an entry into <stage>, or a loss (of any reason or of <reason>), after it reached step <from> and before it reached step <to> (stage keys), within --window, is dropped from the funnel and counted as excluded (e.g. demo@interest-action, lost:competitor@interest-action; repeat for more).",
            AllowMultipleArgumentsPerToken = false,
        };
        var optional = new Option<string[]>("--optional")
        {
            HelpName = "stage[,stage]",
            Description = "Steps a path may skip without breaking (not the first stage), e.g. demo or demo,trial; repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var median = new Option<string>("--median") { Description = "The median shown for time in stage and time to convert: lower (an observed value, the default) or interpolated (the mean of the two middle values).", DefaultValueFactory = _ => "lower" };
        median.AcceptOnlyFromAmong("lower", "interpolated");
        var conversionBins = new Option<string>("--conversion-bins")
        {
            HelpName = "auto|edges",
            Description = "The bins of the time-to-convert histograms: auto (the default) or ascending edges such as 1h,1d,7d (bins [1h, 1d), [1d, 7d), [7d, ...), and one below 1h when needed).",
            DefaultValueFactory = _ => "auto",
        };
        var by = new Option<string>("--by") { HelpName = "column",  Description = "Break the report down by the segment column (source, segment or channel, as named in the CSV header), with a significance test." };
        var cohort = new Option<string>("--cohort") { Description = "Group leads into cohorts by the period of their first event: day, week (ISO) or month." };
        cohort.AcceptOnlyFromAmong("day", "week", "month");
        var costs = new Option<string>("--costs") { HelpName = "file",  Description = "A costs CSV per source (source,cost_per_lead,total_spend,revenue_per_sale,margin_per_sale): economics and a verdict per source." };
        var format = new Option<string>("--format", "-f") { Description = "The output format: table, json, html (a self-contained report with the chart, segments, cohorts, economics and the forecast) or svg (the funnel chart).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong(ReportFormats.Supported);
        var output = new Option<string>("--out", "-o") { HelpName = "file",  Description = "Write the report to this file instead of stdout; without --format, a .json, .html or .svg name picks the format." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar and no summary lines on stderr (errors and bad rows are still reported)." };
        var verbose = new Option<bool>("--verbose") { Description = "Print where the time went on stderr: reading, each computing phase, writing, and the peak memory." };
        var maxBad = new Option<long?>("--max-bad-rows")
        {
            HelpName = "n",
            Description = "Accept up to n bad rows (skipped and counted in the report) with exit code 0, and stop with exit code 1 at the next. Without it, bad rows are skipped and counted, the report is written, and the exit code is 1.",
        }.InRange(0, long.MaxValue);
        var minLeads = new Option<int>("--min-leads") { HelpName = "n", Description = "Merge segments with fewer than n leads into '(other)' before comparing them (default 30; 0 keeps all).", DefaultValueFactory = _ => 30 }
            .InRange(0, int.MaxValue);
        var outcome = new Option<string>("--outcome") { Description = "What 'won' means: last-status (the status after the last event; the default unless the definition says otherwise) or reached (won once the goal is reached)." };
        outcome.AcceptOnlyFromAmong("reached", "last-status");

        var command = new Command("analyze", "Analyse an event log: the ordered window funnel, conversion with confidence intervals, transitions, time in stage, losses; optionally by segment, by cohort and with economics per source.")
        {
            input, definition, reach, window, anchor, order, stepWindow, exclude, optional, median, conversionBins, by, cohort, minLeads, outcome, costs, format, output, quiet, verbose, maxBad,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(input);
            var outPath = parse.GetValue(output);
            var formatName = parse.GetResult(format) is { Implicit: false } || OutputFile.IsStdout(outPath)
                ? parse.GetValue(format) ?? "table"
                : OutputFile.FormatFromExtension(outPath!, ReportFormats.Supported, (".json", "json"), (".html", "html"), (".htm", "html"), (".svg", "svg"));
            OutputFile.CheckWritable(outPath);
            var reachMode = parse.GetValue(reach) switch { "any-order" => ReachMode.AnyOrder, "pass-through" => ReachMode.PassThrough, _ => ReachMode.OrderedWindow };
            if (reachMode != ReachMode.OrderedWindow
                && new Option[] { window, anchor, order, stepWindow, exclude, optional }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } ordered)
            {
                throw new CliException($"{ordered.Name} applies to --reach ordered only; --reach {parse.GetValue(reach)} has no window, anchor or step order.", ExitCodes.Usage);
            }

            var def = DefinitionResolver.Resolve(parse.GetRequiredValue(definition), context);
            if (parse.GetValue(outcome) is { } rule && (rule == "reached" ? OutcomeRule.Reached : OutcomeRule.LastStatus) is var chosen && chosen != def.Outcome)
            {
                def = def.ToBuilder().WithOutcome(chosen).Build();
            }

            if (!DurationParser.TryParse(parse.GetValue(window) ?? "none", out var windowValue))
            {
                throw new CliException("--window: not a window.", ExitCodes.Usage);
            }

            var stepOrder = parse.GetValue(order) switch { "strict" => StepOrder.Strict, "unordered" => StepOrder.Unordered, _ => StepOrder.Ordered };
            var stepWindows = reachMode == ReachMode.OrderedWindow ? StepWindows(def, parse.GetValue(stepWindow) ?? []) : [];
            var optionalSteps = FunnelModeParser.OptionalSteps(def, parse.GetValue(optional) ?? []);
            var exclusions = FunnelModeParser.Exclusions(def, parse.GetValue(exclude) ?? [], optionalSteps);
            if (stepOrder == StepOrder.Unordered)
            {
                RefuseWithUnordered(def, parse.GetResult(stepWindow) is { Implicit: false }, stepWindows, exclusions, optionalSteps);
            }

            var costsPath = parse.GetValue(costs);
            var costTable = costsPath is null ? null : CostsCsvReader.Read(costsPath);
            var options = new AnalysisOptions
            {
                Window = windowValue,
                Reach = reachMode,
                Anchor = parse.GetValue(anchor) switch { "latest" => AnchorMode.Latest, "best" => AnchorMode.Best, _ => AnchorMode.First },
                Order = stepOrder,
                StepWindows = stepWindows,
                Exclusions = exclusions,
                OptionalSteps = optionalSteps,
                Median = parse.GetValue(median) == "interpolated" ? MedianKind.Interpolated : MedianKind.Lower,
                ConversionBins = FunnelModeParser.ConversionBins(parse.GetValue(conversionBins) ?? "auto"),
                By = parse.GetValue(by),
                MinimumLeads = parse.GetValue(minLeads),
                Cohort = parse.GetValue(cohort) switch { "day" => CohortPeriod.Day, "week" => CohortPeriod.IsoWeek, "month" => CohortPeriod.Month, _ => null },
                Costs = costTable?.BySource,
                DefaultCosts = costTable?.Default,
                Forecast = formatName == "html",
            };
            var isQuiet = parse.GetValue(quiet);

            var maxBadRows = parse.GetValue(maxBad);
            var data = EventLogReader.Read(path, def, maxBadRows, isQuiet, context, cancellationToken);
            if (options.By is { } column && !string.Equals(column, data.SegmentColumn, StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException(data.SegmentColumn is null
                    ? $"--by {column}: {path} has no segment column (name one 'source', 'segment' or 'channel' in the header)."
                    : $"--by {column}: {path} has no '{column}' column; its segment column is '{data.SegmentColumn}'.");
            }

            if (data.Log.Count == 0)
            {
                throw new CliException($"{path}: no valid event to analyse ({data.RowsRead:N0} rows read, {data.BadRows:N0} bad).");
            }

            var result = AnalysisRunner.Run(path, def, data, options);
            if (!isQuiet)
            {
                context.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Analysed {data.Log.Count:N0} events of {result.Report.Leads:N0} leads: bulk engine {result.BulkSeconds:0.000} s ({Rate(data.Log.Count, result.BulkSeconds)} events/s), metrics report {result.ReportSeconds:0.000} s."));
            }

            var writeClock = Stopwatch.StartNew();
            ReportFormats.Write(formatName, result, outPath, context);
            if (parse.GetValue(verbose))
            {
                context.Error.WriteLine(TimeBreakdown(data, result, writeClock.Elapsed.TotalSeconds));
            }

            if (data.BadRows > 0 && maxBadRows is null)
            {
                // A report with rows left out is not a success unless the user said how many bad rows are acceptable:
                // a script that checks only the exit code must not take a partial funnel for the whole one.
                context.WriteError(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{path}: {data.BadRows:N0} of {data.RowsRead:N0} rows were bad and skipped (the report states it); pass --max-bad-rows {data.BadRows} to accept them with exit code 0."));
                return Task.FromResult(ExitCodes.InvalidInput);
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>The definition's step windows with the <c>--step-window stage=duration</c> overrides applied, one per step; empty when no step is limited.</summary>
    private static System.Collections.Immutable.ImmutableArray<TimeSpan?> StepWindows(FunnelDefinition definition, string[] overrides)
    {
        var windows = definition.Stages.Skip(1).Select(s => s.StepWindow).ToArray();
        foreach (var item in overrides)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"--step-window {item}: expected stage=duration, such as proposal=2d.", ExitCodes.Usage);
            }

            var key = item[..equals];
            if (!definition.TryGetStage(key, out var stage))
            {
                throw new CliException($"--step-window {item}: funnel '{definition.Key}' has no stage '{key}' (stages: {string.Join(", ", definition.Stages.Select(s => s.Key.Value))}).", ExitCodes.Usage);
            }

            if (stage.Order == 0)
            {
                throw new CliException($"--step-window {item}: '{key}' is the first stage; a step window limits the step into a later stage.", ExitCodes.Usage);
            }

            if (!DurationParser.TryParse(item[(equals + 1)..], out var duration))
            {
                throw new CliException($"--step-window {item}: '{item[(equals + 1)..]}' is not a duration; use a whole number with a unit (30d, 2w, 12h, 90m, 3600s) or 'none'.", ExitCodes.Usage);
            }

            windows[stage.Order - 1] = duration;
        }

        return windows.All(w => w is null) ? [] : [.. windows];
    }

    /// <summary>
    /// Refuses what an unordered funnel cannot have, naming the option: step windows (given, or set by the definition),
    /// exclusion steps and optional steps all need an order of steps.
    /// </summary>
    private static void RefuseWithUnordered(
        FunnelDefinition definition, bool stepWindowGiven, System.Collections.Immutable.ImmutableArray<TimeSpan?> stepWindows, System.Collections.Immutable.ImmutableArray<FunnelExclusion> exclusions, System.Collections.Immutable.ImmutableArray<string> optionalSteps)
    {
        if (!exclusions.IsEmpty)
        {
            throw new CliException("--exclude applies to --order ordered or strict; an unordered funnel has no steps in between.", ExitCodes.Usage);
        }

        if (!optionalSteps.IsEmpty)
        {
            throw new CliException("--optional applies to --order ordered or strict; in an unordered funnel every step counts alike.", ExitCodes.Usage);
        }

        if (!stepWindows.IsEmpty)
        {
            var limited = stepWindows.Select((w, k) => (w, k)).Where(x => x.w is not null).Select(x => definition.Stages[x.k + 1].Key.Value).ToList();
            throw new CliException(stepWindowGiven
                ? "--step-window applies to --order ordered or strict; an unordered funnel has no step before another."
                : $"--order unordered: the definition '{definition.Key}' sets step windows ({string.Join(", ", limited)}), which need an order of steps; lift them with {string.Join(" ", limited.Select(k => $"--step-window {k}=none"))}.", ExitCodes.Usage);
        }
    }

    /// <summary>The <c>--verbose</c> line: read, each computing phase, write, the total and the peak resident memory.</summary>
    internal static string TimeBreakdown(EventLogData data, AnalysisResult result, double writeSeconds)
    {
        var phases = result.Timings.Prepend(("read", data.ReadSeconds)).Append(("write", writeSeconds)).ToList();
        var total = phases.Sum(p => p.Item2);
        using var process = Process.GetCurrentProcess();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Time: {string.Join(" · ", phases.Select(p => $"{p.Item1} {p.Item2:0.000} s"))} · total {total:0.000} s; peak memory {process.PeakWorkingSet64 / (1024.0 * 1024.0):N0} MiB.");
    }

    internal static string Rate(long count, double seconds) =>
        seconds <= 0 ? "n/a" : (count / seconds).ToString("N0", CultureInfo.InvariantCulture);
}
