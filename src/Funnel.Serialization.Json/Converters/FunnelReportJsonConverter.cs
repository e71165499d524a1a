using System.Collections.Immutable;
using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json.Converters.Report;
using Funnel.Serialization.Json.Internal;
using static Funnel.Serialization.Json.Converters.Report.ReportJsonChecks;

namespace Funnel.Serialization.Json.Converters;

/// <summary>
/// Reads and writes a <see cref="FunnelReport"/>: every number of it, with the definition, stages and loss reasons by
/// key. Reading looks the definition up among those given to
/// <see cref="FunnelJsonSerializerOptionsExtensions.ConfigureForFunnel(JsonSerializerOptions, Action{FunnelJsonConfiguration}?)"/>,
/// checks stage and loss-reason keys against it, restores the report from its independent numbers with
/// <see cref="FunnelReport.Restore"/>, and checks every derived number written (leads, rates and intervals, loss
/// totals and breakdowns) against the restored report, so that an edited document cannot say two things at once.
/// Each part of the format is one table of properties (<see cref="JsonObjectShape{TValue, TState}"/>) in
/// <c>Converters/Report</c>: the query, a stage, a proportion, a duration summary, a loss breakdown, a count matrix, a
/// step's time to convert and its histograms; the first problem that stops reading ends the read.
/// </summary>
internal sealed class FunnelReportJsonConverter : FunnelJsonConverter<FunnelReport>
{
    /// <summary>A converter that knows no definitions: it writes reports, and reports a clear error on reading.</summary>
    public static readonly FunnelReportJsonConverter Instance = new();

    private static readonly JsonObjectShape<FunnelReport, ReportFields> ReportShape = new(
        "a report",
        JsonShapeReading.FirstProblem,
        new("definition", (ref r, c, s) => s.ReadDefinition(ref r, c), (w, n, v) => w.WriteString(n, v.Definition.Key)) { Required = true },
        new("asOf", (ref r, c, s) => s.AsOf = c.ReadNullableDateTimeOffset(ref r, "the as-of time"), (w, n, v) =>
        {
            if (v.AsOf is { } asOf)
            {
                w.WriteString(n, asOf);
            }
        }),
        new("query", (ref r, c, s) => s.Query = FunnelQueryJson.Read(ref r, c), (w, n, v) => FunnelQueryJson.Write(w, n, v.Query)) { Required = true },
        new("leads", (ref r, c, s) => s.Leads = c.ReadCount(ref r, "the number of leads"), (w, n, v) => w.WriteNumber(n, v.Leads)) { Required = true },
        new("won", (ref r, c, s) => s.Won = c.ReadCount(ref r, "the number of won leads"), (w, n, v) => w.WriteNumber(n, v.Won)) { Required = true },
        new("everWon", (ref r, c, s) => s.EverWon = c.ReadCount(ref r, "the number of leads ever won"), (w, n, v) => w.WriteNumber(n, v.EverWon)),
        new("lastStatusWon", (ref r, c, s) => s.LastStatusWon = c.ReadCount(ref r, "the number of leads won after their last event"), (w, n, v) => w.WriteNumber(n, v.LastStatusWon)),
        // Derived (no loss event in the report); read and ignored, like the other derived values' flags.
        new("noLossesRecorded", (ref r, c, _) => c.ReadBoolean(ref r, "the no-losses-recorded flag"), (w, n, v) => w.WriteBoolean(n, v.NoLossesRecorded)),
        new("lost", (ref r, c, s) => s.Lost = c.ReadCount(ref r, "the number of lost leads"), (w, n, v) => w.WriteNumber(n, v.Lost)) { Required = true },
        new("open", (ref r, c, s) => s.Open = c.ReadCount(ref r, "the number of open leads"), (w, n, v) => w.WriteNumber(n, v.Open)) { Required = true },
        new("overallConversion", (ref r, c, s) => s.Overall = ProportionJson.Read(ref r, c), (w, n, v) => ProportionJson.Write(w, n, v.OverallConversion))
        {
            Required = true, Met = s => s.Overall is not null,
        },
        new("winRate", (ref r, c, s) => s.WinRate = ProportionJson.Read(ref r, c), (w, n, v) => ProportionJson.Write(w, n, v.WinRate)) { Required = true, Met = s => s.WinRate is not null },
        new("cycleTimeToWon", (ref r, c, s) => s.CycleTime = DurationSummaryJson.Read(ref r, c), (w, n, v) => DurationSummaryJson.Write(w, n, v.CycleTimeToWon)) { Required = true },
        new("stages", (ref r, c, s) => s.Stages = StageJson.ReadAll(ref r, c), (w, n, v) => StageJson.WriteAll(w, n, v.Stages)) { Required = true },
        new("timeAfterLoss", (ref r, c, s) => s.TimeAfterLoss = DurationSummaryJson.Read(ref r, c), (w, n, v) => DurationSummaryJson.Write(w, n, v.TimeAfterLoss)) { Required = true },
        new("losses", (ref r, c, s) => s.Losses = LossesJson.Read(ref r, c), (w, n, v) => LossesJson.Write(w, n, v.Losses)) { Required = true, Met = s => s.Losses is not null },
        new("lossesAfterLoss", (ref r, c, s) => s.LossesAfterLoss = LossesJson.Read(ref r, c), (w, n, v) => LossesJson.Write(w, n, v.LossesAfterLoss))
        {
            Required = true, Met = s => s.LossesAfterLoss is not null,
        },
        new("lossesAtUnknownStage", (ref r, c, s) => s.LossesAtUnknownStage = LossesJson.Read(ref r, c), (w, n, v) => LossesJson.Write(w, n, v.LossesAtUnknownStage))
        {
            Required = true, Met = s => s.LossesAtUnknownStage is not null,
        },
        new("transitions", (ref r, c, s) => s.Transitions = MatrixJson.Read(ref r, c), (w, n, v) => MatrixJson.Write(w, n, v.Transitions)) { Required = true, Met = s => s.Transitions is not null },
        new("lossesByStage", (ref r, c, s) => s.LossesByStage = MatrixJson.Read(ref r, c), (w, n, v) => MatrixJson.Write(w, n, v.LossesByStage))
        {
            Required = true, Met = s => s.LossesByStage is not null,
        },
        new("excluded", (ref r, c, s) => s.Excluded = c.ReadCount(ref r, "the number of excluded leads"), (w, n, v) => w.WriteNumber(n, v.Excluded)),
        new("conversionTimes", (ref r, c, s) => s.ConversionTimes = ConversionTimeJson.ReadAll(ref r, c), (w, n, v) => ConversionTimeJson.WriteAll(w, n, v)));

    private readonly ImmutableDictionary<string, FunnelDefinition> _definitions;

    /// <summary>Creates a converter that knows no definitions: it writes reports, and reports a clear error on reading. Used by <see cref="FunnelJsonContext"/>.</summary>
    public FunnelReportJsonConverter()
        : this(ImmutableDictionary<string, FunnelDefinition>.Empty)
    {
    }

    public FunnelReportJsonConverter(ImmutableDictionary<string, FunnelDefinition> definitions) => _definitions = definitions;

    protected override FunnelReport ReadCore(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var root = context.Path;
        var s = new ReportFields(_definitions);
        ReportShape.Read(ref reader, context, s);

        // Keys and shapes are checked even when a value was wrong, so that one read reports every problem.
        if (s.Definition is { } definition)
        {
            var n = definition.Stages.Length;
            CheckKeys(context, definition, root, s.Stages, [s.Losses, s.LossesAfterLoss, s.LossesAtUnknownStage]);
            MatrixJson.CheckShape(context, s.Transitions, n + 1, "stages + 1 (the last row counts moves from lost)", n + 1, "stages + 1 (the last column counts moves to lost)");
            MatrixJson.CheckShape(context, s.LossesByStage, n, "one per stage", definition.LossReasons.Length, "one per loss reason");
            if (s.Query is not null)
            {
                FunnelQueryJson.CheckKeys(context, definition, root + ".query", s.Query);
                ConversionTimeJson.CheckKeys(context, definition, s.Query, root, s.ConversionTimes);
            }
        }

        context.ThrowIfProblems();

        var read = s.Stages!.Select(stage => stage!).ToList();
        var totals = s.Query!.Counting == CountMode.Totals;
        foreach (var stage in read.Where(stage => totals == stage.FromTop is not null))
        {
            context.Report(stage.Path + ".conversionFromTop", totals
                ? "'totals' counting has no conversion from the top: it must be null"
                : "the conversion from the top is required when counting uniques");
        }

        context.ThrowIfProblems();
        FunnelReport? report = null;
        try
        {
            report = FunnelReport.Restore(
                s.Definition!,
                s.Query,
                s.AsOf,
                s.Won!.Value,
                s.Lost!.Value,
                s.Open!.Value,
                s.CycleTime!.Value,
                [.. read.Select(stage => stage.Reached)],
                [.. read.Select(stage => stage.ConvertedToNext)],
                totals ? [] : [.. read.Select(stage => stage.FromTop!.Successes)],
                [.. read.Select(stage => stage.Dropped)],
                [.. read.Select(stage => stage.StillOpen)],
                [.. read.Select(stage => stage.TimeInStage)],
                s.TimeAfterLoss!.Value,
                [.. s.Transitions!.Values],
                [.. s.LossesByStage!.Values],
                s.LossesAfterLoss!.InReasonOrder(s.Definition!),
                s.LossesAtUnknownStage!.InReasonOrder(s.Definition!),
                s.EverWon,
                s.LastStatusWon,
                s.ConversionTimes is null ? default : [.. s.ConversionTimes.Select(c => c!.Value)],
                s.Excluded ?? 0);
        }
        catch (ArgumentException ex)
        {
            context.Report(PathOf(root, ex.ParamName), WithoutParameter(ex));
        }

        context.ThrowIfProblems();
        CheckDerived(context, root, report!, s.Leads!.Value, s.Overall!, s.WinRate!, read, s.Losses!, s.LossesAfterLoss!, s.LossesAtUnknownStage!);
        ConversionTimeJson.CheckDerived(context, report!, s.ConversionTimes);
        context.ThrowIfProblems();
        return report!;
    }

    internal override void WriteCore(Utf8JsonWriter writer, FunnelReport value) => ReportShape.Write(writer, value);

    /// <summary>Checks that the stages are the definition's, in its order, and that every breakdown names exactly its loss reasons.</summary>
    private static void CheckKeys(JsonReadContext context, FunnelDefinition definition, string root, List<StageJson?>? stages, LossesJson?[] losses)
    {
        foreach (var breakdown in (stages ?? []).Select(stage => stage?.Losses).Concat(losses).OfType<LossesJson>())
        {
            breakdown.CheckReasons(context, definition);
        }

        if (stages is not null)
        {
            StageJson.CheckOrder(context, definition, root, stages);
        }
    }

    /// <summary>Checks every number the report derives (and the document repeats) against the restored report.</summary>
    private static void CheckDerived(
        JsonReadContext context,
        string root,
        FunnelReport report,
        long leads,
        ProportionJson overall,
        ProportionJson winRate,
        List<StageJson> stages,
        LossesJson losses,
        LossesJson lossesAfterLoss,
        LossesJson lossesAtUnknownStage)
    {
        CheckEqual(context, root + ".leads", leads, report.Leads);
        overall.Check(context, report.OverallConversion);
        winRate.Check(context, report.WinRate);
        losses.Check(context, report.Losses);
        lossesAfterLoss.Check(context, report.LossesAfterLoss);
        lossesAtUnknownStage.Check(context, report.LossesAtUnknownStage);
        for (var k = 0; k < stages.Count; k++)
        {
            stages[k].Check(context, report.Stages[k]);
        }
    }

    /// <summary>The values of a report object as read; the read checks and restores the report from them.</summary>
    private sealed class ReportFields(ImmutableDictionary<string, FunnelDefinition> definitions)
    {
        public FunnelDefinition? Definition { get; private set; }

        public DateTimeOffset? AsOf { get; set; }

        public FunnelQuery? Query { get; set; }

        public long? Leads { get; set; }

        public long? Won { get; set; }

        public long? EverWon { get; set; }

        public long? LastStatusWon { get; set; }

        public long? Lost { get; set; }

        public long? Open { get; set; }

        public ProportionJson? Overall { get; set; }

        public ProportionJson? WinRate { get; set; }

        public DurationSummary? CycleTime { get; set; }

        public List<StageJson?>? Stages { get; set; }

        public DurationSummary? TimeAfterLoss { get; set; }

        public LossesJson? Losses { get; set; }

        public LossesJson? LossesAfterLoss { get; set; }

        public LossesJson? LossesAtUnknownStage { get; set; }

        public MatrixJson? Transitions { get; set; }

        public MatrixJson? LossesByStage { get; set; }

        public long? Excluded { get; set; }

        public List<ConversionTimeJson?>? ConversionTimes { get; set; }

        /// <summary>Reads the definition key and looks the definition up among those given to the converter.</summary>
        public void ReadDefinition(ref Utf8JsonReader reader, JsonReadContext context) =>
            Definition = KnownDefinitions.Find(context, definitions, context.ReadKey(ref reader, "the definition key"));
    }
}
