using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json.Internal;

namespace Funnel.Serialization.Json.Tests.Legacy;

using Funnel.Serialization.Json.Converters;

/// <summary>
/// Reads and writes a <see cref="FunnelReport"/>: every number of it, with the definition, stages and loss reasons by
/// key. Reading looks the definition up among those given to
/// <see cref="FunnelJsonSerializerOptionsExtensions.ConfigureForFunnel(JsonSerializerOptions, Action{FunnelJsonConfiguration}?)"/>,
/// checks stage and loss-reason keys against it, restores the report from its independent numbers with
/// <see cref="FunnelReport.Restore"/>, and checks every derived number written (leads, rates and intervals, loss
/// totals and breakdowns) against the restored report, so that an edited document cannot say two things at once.
/// </summary>
internal sealed class LegacyFunnelReportJsonConverter : FunnelJsonConverter<FunnelReport>
{
    /// <summary>A converter that knows no definitions: it writes reports, and reports a clear error on reading.</summary>
    public static readonly LegacyFunnelReportJsonConverter Instance = new();

    internal static readonly string[] Properties =
        [
            "definition", "asOf", "query", "leads", "won", "everWon", "lastStatusWon", "noLossesRecorded", "lost", "open", "overallConversion", "winRate", "cycleTimeToWon", "stages", "timeAfterLoss",
            "losses", "lossesAfterLoss", "lossesAtUnknownStage", "transitions", "lossesByStage",
            "excluded", "conversionTimes",
        ];

    internal static readonly string[] QueryProperties =
        ["reach", "window", "anchor", "stepWindows", "counting", "timeInStage", "includeOpenStays", "enteredFrom", "enteredBefore", "asOf", "silentAfter", "confidenceLevel", "minimumSample",
            "order", "exclusions", "optionalSteps", "median", "conversionTimeBins"];

    internal static readonly string[] StageProperties =
        ["stage", "reached", "convertedToNext", "conversionFromPrevious", "conversionFromTop", "dropped", "stillOpen", "losses", "timeInStage"];

    internal static readonly string[] ProportionProperties = ["successes", "trials", "value", "lower", "upper", "level", "smallSample"];

    internal static readonly string[] DurationProperties = ["count", "totalSeconds", "medianSeconds", "upperMedianSeconds", "p90Seconds"];

    internal static readonly string[] ConversionTimeProperties = ["step", "stage", "fromAnchor", "fromPrevious", "fromAnchorHistogram", "fromPreviousHistogram"];

    internal static readonly string[] ConversionDurationProperties = [.. DurationProperties, "meanSeconds", "reportedMedianSeconds"];

    internal static readonly string[] BinProperties = ["fromSeconds", "toSeconds", "count"];

    internal static readonly string[] ExclusionProperties = ["stage", "lost", "lossReason", "fromStep", "toStep"];

    internal static readonly string[] LossProperties = ["total", "recoverable", "byReason"];

    internal static readonly string[] MatrixProperties = ["rows", "columns", "values"];

    /// <summary>Where a <see cref="FunnelReport.Restore"/> or <see cref="FunnelQuery"/> parameter lives in the report format.</summary>
    private static readonly Dictionary<string, string> ParameterPaths = new(StringComparer.Ordinal)
    {
        ["asOf"] = ".asOf", ["won"] = ".won", ["everWon"] = ".everWon", ["lastStatusWon"] = ".lastStatusWon", ["lost"] = ".lost", ["open"] = ".open", ["cycleTimeToWon"] = ".cycleTimeToWon",
        ["reached"] = ".stages", ["convertedToNext"] = ".stages", ["reachedFromTop"] = ".stages", ["dropped"] = ".stages",
        ["stillOpen"] = ".stages", ["timeInStage"] = ".stages", ["transitions"] = ".transitions", ["lossesByStage"] = ".lossesByStage",
        ["timeAfterLoss"] = ".timeAfterLoss", ["lossesAfterLoss"] = ".lossesAfterLoss", ["lossesAtUnknownStage"] = ".lossesAtUnknownStage",
        ["window"] = ".query.window", ["anchor"] = ".query.anchor", ["stepWindows"] = ".query.stepWindows", ["counting"] = ".query.counting", ["mode"] = ".query.timeInStage",
        ["before"] = ".query.enteredBefore", ["silentAfter"] = ".query.silentAfter", ["level"] = ".query.confidenceLevel",
        ["minimumSample"] = ".query.minimumSample", ["order"] = ".query.order", ["exclusions"] = ".query.exclusions", ["stageKeys"] = ".query.optionalSteps",
        ["median"] = ".query.median", ["bins"] = ".query.conversionTimeBins", ["edges"] = ".query.conversionTimeBins",
        ["conversionTimes"] = ".conversionTimes", ["excluded"] = ".excluded",
    };

    private readonly ImmutableDictionary<string, FunnelDefinition> _definitions;

    /// <summary>Creates a converter that knows no definitions: it writes reports, and reports a clear error on reading. Used by <see cref="FunnelJsonContext"/>.</summary>
    public LegacyFunnelReportJsonConverter()
        : this(ImmutableDictionary<string, FunnelDefinition>.Empty)
    {
    }

    public LegacyFunnelReportJsonConverter(ImmutableDictionary<string, FunnelDefinition> definitions) => _definitions = definitions;

    protected override FunnelReport ReadCore(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var root = context.Path;
        context.BeginObject(ref reader, "a report");
        FunnelDefinition? definition = null;
        DateTimeOffset? asOf = null;
        FunnelQuery? query = null;
        long? leads = null, won = null, everWon = null, lastStatusWon = null, lost = null, open = null;
        ProportionJson? overall = null, winRate = null;
        DurationSummary? cycleTime = null, timeAfterLoss = null;
        List<StageJson?>? stages = null;
        LossesJson? losses = null, lossesAfterLoss = null, lossesAtUnknownStage = null;
        MatrixJson? transitions = null, lossesByStage = null;
        long? excluded = null;
        List<ConversionTimeJson?>? conversionTimes = null;
        var queryPresent = false;
        var cyclePresent = false;
        var afterLossPresent = false;
        while (context.NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "definition":
                    definition = KnownDefinitions.Find(context, _definitions, context.ReadKey(ref reader, "the definition key"));
                    break;
                case "asOf":
                    asOf = context.ReadNullableDateTimeOffset(ref reader, "the as-of time");
                    break;
                case "query":
                    queryPresent = true;
                    query = ReadQuery(ref reader, context);
                    break;
                case "leads":
                    leads = context.ReadCount(ref reader, "the number of leads");
                    break;
                case "won":
                    won = context.ReadCount(ref reader, "the number of won leads");
                    break;
                case "everWon":
                    everWon = context.ReadCount(ref reader, "the number of leads ever won");
                    break;
                case "lastStatusWon":
                    lastStatusWon = context.ReadCount(ref reader, "the number of leads won after their last event");
                    break;
                case "noLossesRecorded":
                    // Derived (no loss event in the report); read and ignored, like the other derived values' flags.
                    context.ReadBoolean(ref reader, "the no-losses-recorded flag");
                    break;
                case "lost":
                    lost = context.ReadCount(ref reader, "the number of lost leads");
                    break;
                case "open":
                    open = context.ReadCount(ref reader, "the number of open leads");
                    break;
                case "overallConversion":
                    overall = ReadProportion(ref reader, context);
                    break;
                case "winRate":
                    winRate = ReadProportion(ref reader, context);
                    break;
                case "cycleTimeToWon":
                    cyclePresent = true;
                    cycleTime = ReadDuration(ref reader, context);
                    break;
                case "stages":
                    stages = ReadStages(ref reader, context);
                    break;
                case "timeAfterLoss":
                    afterLossPresent = true;
                    timeAfterLoss = ReadDuration(ref reader, context);
                    break;
                case "losses":
                    losses = ReadLosses(ref reader, context);
                    break;
                case "lossesAfterLoss":
                    lossesAfterLoss = ReadLosses(ref reader, context);
                    break;
                case "lossesAtUnknownStage":
                    lossesAtUnknownStage = ReadLosses(ref reader, context);
                    break;
                case "transitions":
                    transitions = ReadMatrix(ref reader, context);
                    break;
                case "lossesByStage":
                    lossesByStage = ReadMatrix(ref reader, context);
                    break;
                case "excluded":
                    excluded = context.ReadCount(ref reader, "the number of excluded leads");
                    break;
                case "conversionTimes":
                    conversionTimes = ReadConversionTimes(ref reader, context);
                    break;
                default:
                    throw context.UnknownProperty(name, "a report", Properties);
            }

            context.Pop();
        }

        context.ReportMissing(
            root,
            ("definition", definition is not null), ("query", queryPresent), ("leads", leads is not null), ("won", won is not null),
            ("lost", lost is not null), ("open", open is not null), ("overallConversion", overall is not null), ("winRate", winRate is not null),
            ("cycleTimeToWon", cyclePresent), ("stages", stages is not null), ("timeAfterLoss", afterLossPresent), ("losses", losses is not null),
            ("lossesAfterLoss", lossesAfterLoss is not null), ("lossesAtUnknownStage", lossesAtUnknownStage is not null),
            ("transitions", transitions is not null), ("lossesByStage", lossesByStage is not null));

        // Keys and shapes are checked even when a value was wrong, so that one read reports every problem.
        if (definition is not null)
        {
            var n = definition.Stages.Length;
            CheckKeys(context, definition, root, stages, [losses, lossesAfterLoss, lossesAtUnknownStage]);
            CheckShape(context, transitions, n + 1, "stages + 1 (the last row counts moves from lost)", n + 1, "stages + 1 (the last column counts moves to lost)");
            CheckShape(context, lossesByStage, n, "one per stage", definition.LossReasons.Length, "one per loss reason");
            if (query is not null)
            {
                CheckQueryKeys(context, definition, root + ".query", query);
                CheckConversionTimeKeys(context, definition, query, root, conversionTimes);
            }
        }

        context.ThrowIfProblems();

        var read = stages!.Select(s => s!).ToList();
        var totals = query!.Counting == CountMode.Totals;
        foreach (var stage in read.Where(s => totals == s.FromTop is not null))
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
                definition!,
                query!,
                asOf,
                won!.Value,
                lost!.Value,
                open!.Value,
                cycleTime!.Value,
                [.. read.Select(s => s.Reached)],
                [.. read.Select(s => s.ConvertedToNext)],
                totals ? [] : [.. read.Select(s => s.FromTop!.Successes)],
                [.. read.Select(s => s.Dropped)],
                [.. read.Select(s => s.StillOpen)],
                [.. read.Select(s => s.TimeInStage)],
                timeAfterLoss!.Value,
                [.. transitions!.Values],
                [.. lossesByStage!.Values],
                ByReason(definition!, lossesAfterLoss!),
                ByReason(definition!, lossesAtUnknownStage!),
                everWon,
                lastStatusWon,
                conversionTimes is null ? default : [.. conversionTimes.Select(c => c!.Value)],
                excluded ?? 0);
        }
        catch (ArgumentException ex)
        {
            context.Report(PathOf(root, ex.ParamName), WithoutParameter(ex));
        }

        context.ThrowIfProblems();
        CheckDerived(context, root, report!, leads!.Value, overall!, winRate!, read, losses!, lossesAfterLoss!, lossesAtUnknownStage!);
        CheckConversionTimes(context, report!, conversionTimes);
        context.ThrowIfProblems();
        return report!;
    }

    internal override void WriteCore(Utf8JsonWriter writer, FunnelReport value)
    {
        writer.WriteStartObject();
        writer.WriteString("definition", value.Definition.Key);
        if (value.AsOf is { } asOf)
        {
            writer.WriteString("asOf", asOf);
        }

        WriteQuery(writer, value.Query);
        writer.WriteNumber("leads", value.Leads);
        writer.WriteNumber("won", value.Won);
        writer.WriteNumber("everWon", value.EverWon);
        writer.WriteNumber("lastStatusWon", value.LastStatusWon);
        writer.WriteBoolean("noLossesRecorded", value.NoLossesRecorded);
        writer.WriteNumber("lost", value.Lost);
        writer.WriteNumber("open", value.Open);
        WriteProportion(writer, "overallConversion", value.OverallConversion);
        WriteProportion(writer, "winRate", value.WinRate);
        WriteDuration(writer, "cycleTimeToWon", value.CycleTimeToWon);
        writer.WriteStartArray("stages");
        foreach (var stage in value.Stages)
        {
            writer.WriteStartObject();
            writer.WriteString("stage", stage.Stage.Key.Value);
            writer.WriteNumber("reached", stage.Reached);
            writer.WriteNumber("convertedToNext", stage.ConvertedToNext);
            WriteProportion(writer, "conversionFromPrevious", stage.ConversionFromPrevious);
            if (stage.ConversionFromTop is { } top)
            {
                WriteProportion(writer, "conversionFromTop", top);
            }
            else
            {
                writer.WriteNull("conversionFromTop");
            }

            writer.WriteNumber("dropped", stage.Dropped);
            writer.WriteNumber("stillOpen", stage.StillOpen);
            WriteLosses(writer, "losses", stage.Losses);
            WriteDuration(writer, "timeInStage", stage.TimeInStage);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteDuration(writer, "timeAfterLoss", value.TimeAfterLoss);
        WriteLosses(writer, "losses", value.Losses);
        WriteLosses(writer, "lossesAfterLoss", value.LossesAfterLoss);
        WriteLosses(writer, "lossesAtUnknownStage", value.LossesAtUnknownStage);
        WriteMatrix(writer, "transitions", value.Transitions);
        WriteMatrix(writer, "lossesByStage", value.LossesByStage);
        writer.WriteNumber("excluded", value.Excluded);
        WriteConversionTimes(writer, value);
        writer.WriteEndObject();
    }

    private static void WriteQuery(Utf8JsonWriter writer, FunnelQuery query)
    {
        writer.WriteStartObject("query");
        writer.WriteString("reach", JsonEnumNames<ReachMode>.ToName(query.Reach));
        if (query.Window is { } window)
        {
            writer.WriteString("window", window.ToString("c", CultureInfo.InvariantCulture));
        }

        writer.WriteString("anchor", JsonEnumNames<AnchorMode>.ToName(query.Anchor));
        if (!query.StepWindows.IsEmpty)
        {
            writer.WriteStartArray("stepWindows");
            foreach (var step in query.StepWindows)
            {
                if (step is { } w)
                {
                    writer.WriteStringValue(w.ToString("c", CultureInfo.InvariantCulture));
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteString("counting", JsonEnumNames<CountMode>.ToName(query.Counting));
        writer.WriteString("timeInStage", JsonEnumNames<TimeInStageMode>.ToName(query.TimeInStage));
        writer.WriteBoolean("includeOpenStays", query.IncludeOpenStays);
        if (query.EnteredFrom is { } from)
        {
            writer.WriteString("enteredFrom", from);
        }

        if (query.EnteredBefore is { } before)
        {
            writer.WriteString("enteredBefore", before);
        }

        if (query.AsOf is { } asOf)
        {
            writer.WriteString("asOf", asOf);
        }

        writer.WriteString("silentAfter", query.SilentAfter.ToString("c", CultureInfo.InvariantCulture));
        writer.WriteNumber("confidenceLevel", query.ConfidenceLevel);
        writer.WriteNumber("minimumSample", query.MinimumSample);
        writer.WriteString("order", JsonEnumNames<StepOrder>.ToName(query.Order));
        if (!query.Exclusions.IsEmpty)
        {
            writer.WriteStartArray("exclusions");
            foreach (var exclusion in query.Exclusions)
            {
                writer.WriteStartObject();
                if (exclusion.IsLoss)
                {
                    writer.WriteBoolean("lost", true);
                    if (exclusion.LossReasonKey is { } reason)
                    {
                        writer.WriteString("lossReason", reason);
                    }
                }
                else
                {
                    writer.WriteString("stage", exclusion.StageKey);
                }

                writer.WriteNumber("fromStep", exclusion.FromStep);
                writer.WriteNumber("toStep", exclusion.ToStep);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (!query.OptionalSteps.IsEmpty)
        {
            writer.WriteStartArray("optionalSteps");
            foreach (var key in query.OptionalSteps)
            {
                writer.WriteStringValue(key);
            }

            writer.WriteEndArray();
        }

        writer.WriteString("median", JsonEnumNames<MedianKind>.ToName(query.Median));
        if (!query.ConversionTimeBins.IsAutomatic)
        {
            writer.WriteStartArray("conversionTimeBins");
            foreach (var edge in query.ConversionTimeBins.BinEdges)
            {
                writer.WriteStringValue(edge.ToString("c", CultureInfo.InvariantCulture));
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static FunnelQuery? ReadQuery(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var path = context.Path;
        context.BeginObject(ref reader, "the query");
        ReachMode? reach = null;
        TimeSpan? window = null;
        AnchorMode? anchor = null;
        List<TimeSpan?> stepWindows = [];
        CountMode? counting = null;
        TimeInStageMode? timeInStage = null;
        bool? includeOpenStays = null;
        DateTimeOffset? enteredFrom = null, enteredBefore = null, asOf = null;
        TimeSpan? silentAfter = null;
        double? level = null;
        int? minimumSample = null;
        StepOrder order = default;
        List<FunnelExclusion?> exclusions = [];
        List<string> optionalSteps = [];
        MedianKind median = default;
        List<TimeSpan?>? bins = null;
        while (context.NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "reach":
                    reach = context.ReadEnum<ReachMode>(ref reader, "reach mode");
                    break;
                case "window":
                    window = context.ReadNullableDuration(ref reader, "the conversion window");
                    break;
                case "anchor":
                    anchor = context.ReadEnum<AnchorMode>(ref reader, "anchor mode");
                    break;
                case "stepWindows":
                    stepWindows = context.ReadNullableDurationArray(ref reader, "step windows");
                    break;
                case "counting":
                    counting = context.ReadEnum<CountMode>(ref reader, "count mode");
                    break;
                case "timeInStage":
                    timeInStage = context.ReadEnum<TimeInStageMode>(ref reader, "time-in-stage mode");
                    break;
                case "includeOpenStays":
                    includeOpenStays = context.ReadBoolean(ref reader, "whether open stays count");
                    break;
                case "enteredFrom":
                    enteredFrom = context.ReadNullableDateTimeOffset(ref reader, "the start of the entry range");
                    break;
                case "enteredBefore":
                    enteredBefore = context.ReadNullableDateTimeOffset(ref reader, "the end of the entry range");
                    break;
                case "asOf":
                    asOf = context.ReadNullableDateTimeOffset(ref reader, "the query's as-of time");
                    break;
                case "silentAfter":
                    silentAfter = context.ReadNullableDuration(ref reader, "the silence threshold");
                    break;
                case "confidenceLevel":
                    level = context.ReadDouble(ref reader, "the confidence level");
                    break;
                case "minimumSample":
                    minimumSample = context.ReadInt32(ref reader, "the minimum sample");
                    break;
                case "order":
                    order = context.ReadEnum<StepOrder>(ref reader, "step order");
                    break;
                case "exclusions":
                    exclusions = ReadExclusions(ref reader, context);
                    break;
                case "optionalSteps":
                    optionalSteps = context.ReadStringArray(ref reader, "optional step keys");
                    break;
                case "median":
                    median = context.ReadEnum<MedianKind>(ref reader, "median kind");
                    break;
                case "conversionTimeBins":
                    bins = context.ReadNullableDurationArray(ref reader, "bin edges");
                    break;
                default:
                    throw context.UnknownProperty(name, "a query", QueryProperties);
            }

            context.Pop();
        }

        context.ReportMissing(
            path,
            ("reach", reach is not null), ("anchor", anchor is not null), ("counting", counting is not null), ("timeInStage", timeInStage is not null),
            ("includeOpenStays", includeOpenStays is not null), ("silentAfter", silentAfter is not null), ("confidenceLevel", level is not null),
            ("minimumSample", minimumSample is not null));
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
            context.Report(ex.ParamName is { } p && ParameterPaths.TryGetValue(p, out var at) && at.StartsWith(".query", StringComparison.Ordinal) ? path + at[".query".Length..] : path, WithoutParameter(ex));
            return null;
        }
    }

    /// <summary>Reads the query's exclusion steps; one with a problem is reported and kept as <see langword="null"/>.</summary>
    private static List<FunnelExclusion?> ReadExclusions(ref Utf8JsonReader reader, JsonReadContext context)
    {
        context.BeginArray(ref reader, "the exclusion steps");
        var exclusions = new List<FunnelExclusion?>();
        while (context.NextItem(ref reader))
        {
            context.PushIndex(exclusions.Count);
            var path = context.Path;
            context.BeginObject(ref reader, "an exclusion step");
            string? stage = null, reason = null;
            var lost = false;
            int? from = null, to = null;
            while (context.NextProperty(ref reader, out var name))
            {
                switch (name)
                {
                    case "stage":
                        stage = context.ReadKey(ref reader, "the excluded stage key");
                        break;
                    case "lost":
                        lost = context.ReadBoolean(ref reader, "whether losses are excluded");
                        break;
                    case "lossReason":
                        reason = context.ReadKey(ref reader, "the excluded loss reason key");
                        break;
                    case "fromStep":
                        from = context.ReadInt32(ref reader, "the step after which the exclusion counts");
                        break;
                    case "toStep":
                        to = context.ReadInt32(ref reader, "the step before which the exclusion counts");
                        break;
                    default:
                        throw context.UnknownProperty(name, "an exclusion step", ExclusionProperties);
                }

                context.Pop();
            }

            context.ReportMissing(path, ("fromStep", from is not null), ("toStep", to is not null));
            FunnelExclusion? exclusion = null;
            if ((stage is null) == !lost || (reason is not null && !lost))
            {
                context.Report(path, "an exclusion step names either a \"stage\" or \"lost\": true (with an optional \"lossReason\"), not both or neither");
            }
            else if (from is not null && to is not null)
            {
                try
                {
                    exclusion = lost ? FunnelExclusion.Loss(from.Value, to.Value, reason) : FunnelExclusion.Stage(stage!, from.Value, to.Value);
                }
                catch (ArgumentException ex)
                {
                    context.Report(path + (ex.ParamName == "toStep" ? ".toStep" : ex.ParamName == "fromStep" ? ".fromStep" : string.Empty), WithoutParameter(ex));
                }
            }

            exclusions.Add(exclusion);
            context.Pop();
        }

        return exclusions;
    }

    /// <summary>Reads the time to convert of every step; a step with a problem is reported and kept as <see langword="null"/>, so that indexes still count.</summary>
    private static List<ConversionTimeJson?> ReadConversionTimes(ref Utf8JsonReader reader, JsonReadContext context) =>
        context.ReadArray<ConversionTimeJson?>(ref reader, "the time to convert of every step", ReadConversionTime);

    private static ConversionTimeJson? ReadConversionTime(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var path = context.Path;
        context.BeginObject(ref reader, "a step's time to convert");
        int? step = null;
        string? stage = null;
        bool stagePresent = false, anchorPresent = false, previousPresent = false;
        DurationSummary? fromAnchor = null, fromPrevious = null;
        DurationHistogram? anchorHistogram = null, previousHistogram = null;
        var derived = new List<DerivedJson>();
        while (context.NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "step":
                    step = context.ReadInt32(ref reader, "the step");
                    break;
                case "stage":
                    stagePresent = true;
                    stage = reader.TokenType == JsonTokenType.Null ? null : context.ReadKey(ref reader, "the step's stage key");
                    break;
                case "fromAnchor":
                    anchorPresent = true;
                    fromAnchor = ReadDuration(ref reader, context, derived);
                    break;
                case "fromPrevious":
                    previousPresent = true;
                    fromPrevious = ReadDuration(ref reader, context, derived);
                    break;
                case "fromAnchorHistogram":
                    anchorHistogram = ReadHistogram(ref reader, context);
                    break;
                case "fromPreviousHistogram":
                    previousHistogram = ReadHistogram(ref reader, context);
                    break;
                default:
                    throw context.UnknownProperty(name, "a step's time to convert", ConversionTimeProperties);
            }

            context.Pop();
        }

        context.ReportMissing(
            path, ("step", step is not null), ("stage", stagePresent), ("fromAnchor", anchorPresent), ("fromPrevious", previousPresent),
            ("fromAnchorHistogram", anchorHistogram is not null), ("fromPreviousHistogram", previousHistogram is not null));
        if (step is null || fromAnchor is null || fromPrevious is null || anchorHistogram is null || previousHistogram is null)
        {
            return null;
        }

        try
        {
            return new ConversionTimeJson(path, stage, derived, new StepConversionTime(step.Value, fromAnchor.Value, fromPrevious.Value, anchorHistogram, previousHistogram));
        }
        catch (ArgumentException ex)
        {
            context.Report(path + (ex.ParamName == "step" ? ".step" : string.Empty), WithoutParameter(ex));
            return null;
        }
    }

    /// <summary>Reads a histogram: its bins in ascending order, <c>{ "fromSeconds", "toSeconds", "count" }</c> with <see langword="null"/> for an open end.</summary>
    private static DurationHistogram? ReadHistogram(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var path = context.Path;
        context.BeginArray(ref reader, "a histogram's bins");
        var bins = new List<DurationBin>();
        var complete = true;
        while (context.NextItem(ref reader))
        {
            context.PushIndex(bins.Count);
            var binPath = context.Path;
            context.BeginObject(ref reader, "a histogram bin");
            long? from = null, to = null, count = null;
            bool fromPresent = false, toPresent = false;
            while (context.NextProperty(ref reader, out var name))
            {
                switch (name)
                {
                    case "fromSeconds":
                        fromPresent = true;
                        from = reader.TokenType == JsonTokenType.Null ? null : context.ReadInt64(ref reader, "the bin's start");
                        break;
                    case "toSeconds":
                        toPresent = true;
                        to = reader.TokenType == JsonTokenType.Null ? null : context.ReadInt64(ref reader, "the bin's end");
                        break;
                    case "count":
                        count = context.ReadCount(ref reader, "the bin's count");
                        break;
                    default:
                        throw context.UnknownProperty(name, "a histogram bin", BinProperties);
                }

                context.Pop();
            }

            context.ReportMissing(binPath, ("fromSeconds", fromPresent), ("toSeconds", toPresent), ("count", count is not null));
            complete &= fromPresent && toPresent && count is not null;
            bins.Add(new DurationBin(from, to, count ?? 0));
            context.Pop();
        }

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

    /// <summary>Checks the query's optional steps and exclusion targets and steps against the definition.</summary>
    private static void CheckQueryKeys(JsonReadContext context, FunnelDefinition definition, string path, FunnelQuery query)
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

    /// <summary>Checks that the time to convert has one entry per step 1 … n − 1, each naming its stage (or none, for an unordered funnel).</summary>
    private static void CheckConversionTimeKeys(JsonReadContext context, FunnelDefinition definition, FunnelQuery query, string root, List<ConversionTimeJson?>? times)
    {
        if (times is null)
        {
            return;
        }

        var steps = definition.Stages.Length - 1;
        if (times.Count != steps)
        {
            context.Report(root + ".conversionTimes", string.Create(CultureInfo.InvariantCulture, $"expected one entry per step after the first of the definition '{definition.Key}' ({steps}), found {times.Count}"));
            return;
        }

        var unordered = query.Reach == ReachMode.OrderedWindow && query.Order == StepOrder.Unordered;
        for (var k = 0; k < steps; k++)
        {
            if (times[k] is not { } time)
            {
                continue;
            }

            if (time.Value.Step != k + 1)
            {
                context.Report(time.Path + ".step", string.Create(CultureInfo.InvariantCulture, $"expected step {k + 1} here: the steps are written in order, found {time.Value.Step}"));
            }
            else if (unordered ? time.Stage is not null : time.Stage != definition.Stages[k + 1].Key.Value)
            {
                context.Report(time.Path + ".stage", unordered
                    ? "an unordered funnel's step is 'k + 1 distinct steps', not a stage: the stage must be null"
                    : $"expected the stage '{definition.Stages[k + 1].Key}' of step {k + 1}, found {(time.Stage is null ? "null" : "'" + time.Stage + "'")}");
            }
        }
    }

    /// <summary>Checks the derived numbers written with the time to convert (means and reported medians) against the restored report.</summary>
    private static void CheckConversionTimes(JsonReadContext context, FunnelReport report, List<ConversionTimeJson?>? times)
    {
        foreach (var time in (times ?? []).OfType<ConversionTimeJson>())
        {
            var restored = report.ConversionTimes[time.Value.Step - 1];
            foreach (var value in time.Derived)
            {
                var summary = value.Path.Contains(".fromAnchor.", StringComparison.Ordinal) ? restored.FromAnchor : restored.FromPrevious;
                CheckClose(context, value.Path, value.Value, value.Name == "meanSeconds" ? summary.MeanSeconds : summary.MedianSecondsOf(report.Query.Median), "the count, total, medians and the query's median kind");
            }
        }
    }

    private static void WriteConversionTimes(Utf8JsonWriter writer, FunnelReport report)
    {
        writer.WriteStartArray("conversionTimes");
        foreach (var time in report.ConversionTimes)
        {
            writer.WriteStartObject();
            writer.WriteNumber("step", time.Step);
            if (report.IsUnordered)
            {
                // "k + 1 distinct steps", whichever stages they were.
                writer.WriteNull("stage");
            }
            else
            {
                writer.WriteString("stage", report.Definition.Stages[time.Step].Key.Value);
            }

            WriteConversionDuration(writer, "fromAnchor", time.FromAnchor, report.Query.Median);
            WriteConversionDuration(writer, "fromPrevious", time.FromPrevious, report.Query.Median);
            WriteHistogram(writer, "fromAnchorHistogram", time.FromAnchorHistogram);
            WriteHistogram(writer, "fromPreviousHistogram", time.FromPreviousHistogram);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>A duration summary with the two numbers a reader wants and would otherwise derive: the mean and the median the query's kind picks.</summary>
    private static void WriteConversionDuration(Utf8JsonWriter writer, string name, DurationSummary value, MedianKind median)
    {
        writer.WriteStartObject(name);
        WriteDurationFields(writer, value);
        writer.WriteNumber("meanSeconds", value.MeanSeconds);
        writer.WriteNumber("reportedMedianSeconds", value.MedianSecondsOf(median));
        writer.WriteEndObject();
    }

    private static void WriteHistogram(Utf8JsonWriter writer, string name, DurationHistogram histogram)
    {
        writer.WriteStartArray(name);
        foreach (var bin in histogram.Bins)
        {
            writer.WriteStartObject();
            WriteNullable(writer, "fromSeconds", bin.FromSeconds);
            WriteNullable(writer, "toSeconds", bin.ToSeconds);
            writer.WriteNumber("count", bin.Count);
            writer.WriteEndObject();
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

    /// <summary>Reads the stages; a stage with a missing value is reported and kept as <see langword="null"/>, so that indexes still count.</summary>
    private static List<StageJson?> ReadStages(ref Utf8JsonReader reader, JsonReadContext context) =>
        context.ReadArray<StageJson?>(ref reader, "the stages", ReadStage);

    private static StageJson? ReadStage(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var path = context.Path;
        context.BeginObject(ref reader, "a stage's numbers");
        string? key = null;
        long? reached = null, converted = null, dropped = null, stillOpen = null;
        ProportionJson? fromPrevious = null, fromTop = null;
        LossesJson? losses = null;
        DurationSummary? timeInStage = null;
        bool fromTopPresent = false, timePresent = false;
        while (context.NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "stage":
                    key = context.ReadKey(ref reader, "the stage key");
                    break;
                case "reached":
                    reached = context.ReadCount(ref reader, "the reached count");
                    break;
                case "convertedToNext":
                    converted = context.ReadCount(ref reader, "the converted count");
                    break;
                case "conversionFromPrevious":
                    fromPrevious = ReadProportion(ref reader, context);
                    break;
                case "conversionFromTop":
                    fromTopPresent = true;
                    fromTop = reader.TokenType == JsonTokenType.Null ? null : ReadProportion(ref reader, context);
                    break;
                case "dropped":
                    dropped = context.ReadCount(ref reader, "the dropped count");
                    break;
                case "stillOpen":
                    stillOpen = context.ReadCount(ref reader, "the still-open count");
                    break;
                case "losses":
                    losses = ReadLosses(ref reader, context);
                    break;
                case "timeInStage":
                    timePresent = true;
                    timeInStage = ReadDuration(ref reader, context);
                    break;
                default:
                    throw context.UnknownProperty(name, "a stage's numbers", StageProperties);
            }

            context.Pop();
        }

        context.ReportMissing(
            path,
            ("stage", key is not null), ("reached", reached is not null), ("convertedToNext", converted is not null),
            ("conversionFromPrevious", fromPrevious is not null), ("conversionFromTop", fromTopPresent), ("dropped", dropped is not null),
            ("stillOpen", stillOpen is not null), ("losses", losses is not null), ("timeInStage", timePresent));
        return key is null || reached is null || converted is null || fromPrevious is null || dropped is null || stillOpen is null || losses is null || timeInStage is null
            ? null
            : new StageJson(path, key, reached.Value, converted.Value, fromPrevious, fromTop, dropped.Value, stillOpen.Value, losses, timeInStage.Value);
    }

    private static ProportionJson? ReadProportion(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var path = context.Path;
        context.BeginObject(ref reader, "a proportion");
        long? successes = null, trials = null;
        double? value = null, lower = null, upper = null, level = null;
        bool? small = null;
        while (context.NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "successes":
                    successes = context.ReadCount(ref reader, "the successes");
                    break;
                case "trials":
                    trials = context.ReadCount(ref reader, "the trials");
                    break;
                case "value":
                    value = context.ReadDouble(ref reader, "the rate");
                    break;
                case "lower":
                    lower = context.ReadDouble(ref reader, "the lower bound");
                    break;
                case "upper":
                    upper = context.ReadDouble(ref reader, "the upper bound");
                    break;
                case "level":
                    level = context.ReadDouble(ref reader, "the confidence level");
                    break;
                case "smallSample":
                    small = context.ReadBoolean(ref reader, "the small-sample flag");
                    break;
                default:
                    throw context.UnknownProperty(name, "a proportion", ProportionProperties);
            }

            context.Pop();
        }

        context.ReportMissing(
            path,
            ("successes", successes is not null), ("trials", trials is not null), ("value", value is not null), ("lower", lower is not null),
            ("upper", upper is not null), ("level", level is not null), ("smallSample", small is not null));
        foreach (var (property, rate) in new[] { ("value", value), ("lower", lower), ("upper", upper), ("level", level) })
        {
            if (rate is { } r && !(r >= 0 && r <= 1))
            {
                context.Report(path + "." + property, string.Create(CultureInfo.InvariantCulture, $"a rate must lie between 0 and 1, not {r}"));
            }
        }

        return successes is null || trials is null || value is null || lower is null || upper is null || level is null || small is null
            ? null
            : new ProportionJson(path, successes.Value, trials.Value, value.Value, lower.Value, upper.Value, level.Value, small.Value);
    }

    /// <summary>
    /// Reads a duration summary; with <paramref name="derived"/>, also the derived numbers a time to convert repeats
    /// (<c>meanSeconds</c>, <c>reportedMedianSeconds</c>), collected there to be checked against the restored report.
    /// An absent <c>upperMedianSeconds</c> (written only when it differs) is the median.
    /// </summary>
    private static DurationSummary? ReadDuration(ref Utf8JsonReader reader, JsonReadContext context, List<DerivedJson>? derived = null)
    {
        var path = context.Path;
        context.BeginObject(ref reader, "a duration summary");
        long? count = null, median = null, upperMedian = null, p90 = null;
        Int128? total = null;
        while (context.NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "count":
                    count = context.ReadCount(ref reader, "the number of samples");
                    break;
                case "totalSeconds":
                    total = context.ReadCount128(ref reader, "the total");
                    break;
                case "medianSeconds":
                    median = context.ReadCount(ref reader, "the median");
                    break;
                case "upperMedianSeconds":
                    upperMedian = context.ReadCount(ref reader, "the upper median");
                    break;
                case "p90Seconds":
                    p90 = context.ReadCount(ref reader, "the 90th percentile");
                    break;
                case "meanSeconds" or "reportedMedianSeconds" when derived is not null:
                    derived.Add(new DerivedJson(context.Path, name, context.ReadDouble(ref reader, name == "meanSeconds" ? "the mean" : "the reported median")));
                    break;
                default:
                    throw context.UnknownProperty(name, "a duration summary", derived is null ? DurationProperties : ConversionDurationProperties);
            }

            context.Pop();
        }

        context.ReportMissing(path, ("count", count is not null), ("totalSeconds", total is not null), ("medianSeconds", median is not null), ("p90Seconds", p90 is not null));
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

    private static LossesJson? ReadLosses(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var path = context.Path;
        context.BeginObject(ref reader, "a loss breakdown");
        long? total = null, recoverable = null;
        List<ReasonJson>? byReason = null;
        while (context.NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "total":
                    total = context.ReadCount(ref reader, "the total losses");
                    break;
                case "recoverable":
                    recoverable = context.ReadCount(ref reader, "the recoverable losses");
                    break;
                case "byReason":
                    byReason = [];
                    context.BeginObject(ref reader, "the losses by reason");
                    while (context.NextProperty(ref reader, out var reason))
                    {
                        byReason.Add(new ReasonJson(context.Path, reason, context.ReadCount(ref reader, "a loss count")));
                        context.Pop();
                    }

                    break;
                default:
                    throw context.UnknownProperty(name, "a loss breakdown", LossProperties);
            }

            context.Pop();
        }

        context.ReportMissing(path, ("total", total is not null), ("recoverable", recoverable is not null), ("byReason", byReason is not null));
        return total is null || recoverable is null || byReason is null ? null : new LossesJson(path, total.Value, recoverable.Value, byReason);
    }

    private static MatrixJson? ReadMatrix(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var path = context.Path;
        context.BeginObject(ref reader, "a count matrix");
        int? rows = null, columns = null;
        List<long>? values = null;
        while (context.NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "rows":
                    rows = context.ReadInt32(ref reader, "the number of rows");
                    break;
                case "columns":
                    columns = context.ReadInt32(ref reader, "the number of columns");
                    break;
                case "values":
                    values = [];
                    context.BeginArray(ref reader, "the counts");
                    while (context.NextItem(ref reader))
                    {
                        context.PushIndex(values.Count);
                        values.Add(context.ReadCount(ref reader, "a count"));
                        context.Pop();
                    }

                    break;
                default:
                    throw context.UnknownProperty(name, "a count matrix", MatrixProperties);
            }

            context.Pop();
        }

        context.ReportMissing(path, ("rows", rows is not null), ("columns", columns is not null), ("values", values is not null));
        return rows is null || columns is null || values is null ? null : new MatrixJson(path, rows.Value, columns.Value, values);
    }

    /// <summary>Checks that the stages are the definition's, in its order, and that every breakdown names exactly its loss reasons.</summary>
    private static void CheckKeys(JsonReadContext context, FunnelDefinition definition, string root, List<StageJson?>? stages, LossesJson?[] losses)
    {
        var expected = definition.Stages;
        foreach (var breakdown in (stages ?? []).Select(s => s?.Losses).Concat(losses).OfType<LossesJson>())
        {
            CheckReasons(context, definition, breakdown);
        }

        if (stages is null)
        {
            return;
        }

        for (var i = 0; i < Math.Min(stages.Count, expected.Length); i++)
        {
            if (stages[i] is not { } stage || stage.Key == expected[i].Key.Value)
            {
                continue;
            }

            var key = stage.Key;
            context.Report(stage.Path + ".stage", definition.TryGetStage(key, out _)
                ? $"expected the stage '{expected[i].Key}' here: stages are written in the order of the definition '{definition.Key}', found '{key}'"
                : $"'{key}' is not a stage of the definition '{definition.Key}'; its stages in order: {string.Join(", ", expected.Select(s => s.Key))}");
        }

        if (stages.Count < expected.Length)
        {
            context.Report(root + ".stages", $"the definition '{definition.Key}' has {expected.Length} stages, the report {stages.Count}: missing {string.Join(", ", expected.Skip(stages.Count).Select(s => "'" + s.Key + "'"))}");
        }
        else if (stages.Count > expected.Length)
        {
            context.Report(root + ".stages" + JsonReadContext.IndexSegment(expected.Length), $"the definition '{definition.Key}' has {expected.Length} stages, the report {stages.Count}");
        }
    }

    private static void CheckReasons(JsonReadContext context, FunnelDefinition definition, LossesJson breakdown)
    {
        foreach (var reason in breakdown.ByReason)
        {
            if (!definition.TryGetLossReason(reason.Key, out _))
            {
                context.Report(reason.Path, $"'{reason.Key}' is not a loss reason of the definition '{definition.Key}'; its loss reasons: {string.Join(", ", definition.LossReasons.Select(r => r.Key))}");
            }
        }

        var missing = definition.LossReasons.Where(r => !breakdown.ByReason.Exists(b => b.Key == r.Key.Value)).Select(r => "'" + r.Key + "'").ToList();
        if (missing.Count > 0)
        {
            context.Report(breakdown.Path + ".byReason", $"every loss reason of the definition '{definition.Key}' has a count; missing {string.Join(", ", missing)}");
        }
    }

    private static void CheckShape(JsonReadContext context, MatrixJson? matrix, int rows, string rowsAre, int columns, string columnsAre)
    {
        if (matrix is null)
        {
            return;
        }

        if (matrix.Rows != rows)
        {
            context.Report(matrix.Path + ".rows", $"expected {rows} rows ({rowsAre}), found {matrix.Rows}");
        }

        if (matrix.Columns != columns)
        {
            context.Report(matrix.Path + ".columns", $"expected {columns} columns ({columnsAre}), found {matrix.Columns}");
        }

        if (matrix.Values.Count != (long)matrix.Rows * matrix.Columns)
        {
            context.Report(matrix.Path + ".values", $"expected rows × columns = {(long)matrix.Rows * matrix.Columns} counts, found {matrix.Values.Count}");
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
        CheckProportion(context, overall, report.OverallConversion);
        CheckProportion(context, winRate, report.WinRate);
        CheckLosses(context, losses, report.Losses);
        CheckLosses(context, lossesAfterLoss, report.LossesAfterLoss);
        CheckLosses(context, lossesAtUnknownStage, report.LossesAtUnknownStage);
        for (var k = 0; k < stages.Count; k++)
        {
            var (written, restored) = (stages[k], report.Stages[k]);
            CheckProportion(context, written.FromPrevious, restored.ConversionFromPrevious);
            if (restored.ConversionFromTop is { } top && written.FromTop is { } writtenTop)
            {
                CheckProportion(context, writtenTop, top);
            }

            CheckLosses(context, written.Losses, restored.Losses);
        }
    }

    /// <summary>The counts of a breakdown in the definition's loss-reason order (every reason is there: <see cref="CheckKeys"/>).</summary>
    private static ImmutableArray<long> ByReason(FunnelDefinition definition, LossesJson breakdown) =>
        [.. definition.LossReasons.Select(r => breakdown.ByReason.Find(b => b.Key == r.Key.Value)?.Count ?? 0)];

    private static void CheckProportion(JsonReadContext context, ProportionJson written, Proportion restored)
    {
        CheckEqual(context, written.Path + ".successes", written.Successes, restored.Successes);
        CheckEqual(context, written.Path + ".trials", written.Trials, restored.Trials);
        CheckClose(context, written.Path + ".value", written.Value, restored.Value);
        CheckClose(context, written.Path + ".lower", written.Lower, restored.Interval.Lower);
        CheckClose(context, written.Path + ".upper", written.Upper, restored.Interval.Upper);
        CheckClose(context, written.Path + ".level", written.Level, restored.Interval.Level);
        if (written.SmallSample != restored.IsSmallSample)
        {
            context.Report(written.Path + ".smallSample", $"{(written.SmallSample ? "true" : "false")} does not match the query's minimum sample: {restored.Trials} trials are {(restored.IsSmallSample ? "" : "not ")}a small sample");
        }
    }

    private static void CheckLosses(JsonReadContext context, LossesJson written, LossBreakdown restored)
    {
        CheckEqual(context, written.Path + ".total", written.Total, restored.Total);
        CheckEqual(context, written.Path + ".recoverable", written.Recoverable, restored.Recoverable);
        foreach (var reason in written.ByReason)
        {
            CheckEqual(context, reason.Path, reason.Count, restored[new LossReasonKey(reason.Key)]);
        }
    }

    private static void CheckEqual(JsonReadContext context, string path, long written, long derived)
    {
        if (written != derived)
        {
            context.Report(path, string.Create(CultureInfo.InvariantCulture, $"{written} does not match {derived}, derived from the report's other numbers (the counts, the loss matrix and the query)"));
        }
    }

    private static void CheckClose(JsonReadContext context, string path, double written, double derived, string from = "the successes, trials and the query's confidence level")
    {
        if (Math.Abs(written - derived) > 1e-12 * Math.Max(1, Math.Abs(derived)))
        {
            context.Report(path, string.Create(CultureInfo.InvariantCulture, $"{written} does not match {derived}, derived from {from}"));
        }
    }

    /// <summary>The exception's first line without the " (Parameter 'x')" the runtime appends: the path names the place.</summary>
    private static string WithoutParameter(ArgumentException ex)
    {
        var message = ex.Message.Split('\n')[0].TrimEnd();
        return ex.ParamName is null ? message : message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);
    }

    private static string PathOf(string root, string? parameter) =>
        parameter is not null && ParameterPaths.TryGetValue(parameter, out var path) ? root + path : root;

    private sealed record DerivedJson(string Path, string Name, double Value);

    private sealed record ConversionTimeJson(string Path, string? Stage, List<DerivedJson> Derived, StepConversionTime Value);

    private sealed record ProportionJson(string Path, long Successes, long Trials, double Value, double Lower, double Upper, double Level, bool SmallSample);

    private sealed record ReasonJson(string Path, string Key, long Count);

    private sealed record LossesJson(string Path, long Total, long Recoverable, List<ReasonJson> ByReason);

    private sealed record MatrixJson(string Path, int Rows, int Columns, List<long> Values);

    private sealed record StageJson(
        string Path, string Key, long Reached, long ConvertedToNext, ProportionJson FromPrevious, ProportionJson? FromTop, long Dropped, long StillOpen, LossesJson Losses, DurationSummary TimeInStage);

    private static void WriteProportion(Utf8JsonWriter writer, string name, Proportion value)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("successes", value.Successes);
        writer.WriteNumber("trials", value.Trials);
        writer.WriteNumber("value", value.Value);
        writer.WriteNumber("lower", value.Interval.Lower);
        writer.WriteNumber("upper", value.Interval.Upper);
        writer.WriteNumber("level", value.Interval.Level);
        writer.WriteBoolean("smallSample", value.IsSmallSample);
        writer.WriteEndObject();
    }

    private static void WriteDuration(Utf8JsonWriter writer, string name, DurationSummary value)
    {
        writer.WriteStartObject(name);
        WriteDurationFields(writer, value);
        writer.WriteEndObject();
    }

    private static void WriteDurationFields(Utf8JsonWriter writer, DurationSummary value)
    {
        writer.WriteNumber("count", value.Count);
        // Exact: a total may exceed a 64-bit integer, so it is written as the number's digits (no JSON number limit).
        writer.WritePropertyName("totalSeconds");
        writer.WriteRawValue(value.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        writer.WriteNumber("medianSeconds", value.MedianSeconds);
        if (value.UpperMedianSeconds != value.MedianSeconds)
        {
            // Only an even count whose two middle values differ has an upper median of its own.
            writer.WriteNumber("upperMedianSeconds", value.UpperMedianSeconds);
        }

        writer.WriteNumber("p90Seconds", value.P90Seconds);
    }

    private static void WriteLosses(Utf8JsonWriter writer, string name, LossBreakdown value)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("total", value.Total);
        writer.WriteNumber("recoverable", value.Recoverable);
        writer.WriteStartObject("byReason");
        foreach (var reason in value.ByReason)
        {
            writer.WriteNumber(reason.Reason.Key.Value, reason.Count);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteMatrix(Utf8JsonWriter writer, string name, CountMatrix value)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("rows", value.Rows);
        writer.WriteNumber("columns", value.Columns);
        writer.WriteStartArray("values");
        foreach (var count in value.Counts)
        {
            writer.WriteNumberValue(count);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
