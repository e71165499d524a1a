using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json.Tests;

namespace Funnel.Cli.Tests.Commands;

/// <summary>The funnel-mode options of issue 22: --order, --exclude, --optional, --median, --conversion-bins.</summary>
public sealed partial class AnalyzeCommandTests
{
    // Worked out by hand on AIDA (docs/metrics.md): a enters attention 0, interest 1 h, desire 2 h, action 3 h; b attention
    // 0, interest 2 h, is lost to a competitor at 3 h; c enters attention 0, attention again at 1 h, then desire at 2 h
    // (it skips interest); d enters interest 0, desire 1 h (no attention: an unordered funnel only).
    private const string ModeLog = """
        entity,stage,timestamp,loss_reason
        a,attention,0,
        a,interest,3600,
        a,desire,7200,
        a,action,10800,
        b,attention,0,
        b,interest,7200,
        b,interest,10800,competitor
        c,attention,0,
        c,attention,3600,
        c,desire,7200,
        d,interest,0,
        d,desire,3600,
        """;

    [Fact]
    public void Analyze_TimeToConvert_JsonCarriesTheOptionsAndTheTimesPerStep()
    {
        _folder.Write("events.csv", ModeLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--median", "interpolated", "--conversion-bins", "0s,90m", "-f", "json", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = AnalyzeJson.Parse(run.Out);
        var root = json.Root;
        Assert.Equal(MedianKind.Interpolated, json.Report.Query.Median);
        Assert.Equal(MedianKind.Interpolated, json.Bulk.Median);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMinutes(90)], json.Report.Query.ConversionTimeBins.BinEdges.ToArray());
        Assert.Equal(StepOrder.Ordered, json.Report.Query.Order);
        var report = root.GetProperty("report");
        Assert.Equal("interpolated", report.GetProperty("query").GetProperty("median").GetString());
        Assert.Equal(["00:00:00", "01:30:00"], report.GetProperty("query").GetProperty("conversionTimeBins").EnumerateArray().Select(e => e.GetString()));

        // Into interest: a 1 h, b 2 h (c and d never enter interest after an attention anchor).
        var interest = report.GetProperty("conversionTimes")[0];
        Assert.Equal("interest", interest.GetProperty("stage").GetString());
        Assert.Equal(2, interest.GetProperty("fromAnchor").GetProperty("count").GetInt64());
        Assert.Equal(5400, interest.GetProperty("fromAnchor").GetProperty("reportedMedianSeconds").GetDouble());
        Assert.Equal(
            [(0L, 5400L, 1L), (5400L, -1L, 1L)],
            interest.GetProperty("fromAnchorHistogram").EnumerateArray()
                .Select(b => (b.GetProperty("fromSeconds").GetInt64(), b.GetProperty("toSeconds").ValueKind == JsonValueKind.Null ? -1 : b.GetProperty("toSeconds").GetInt64(), b.GetProperty("count").GetInt64())));
    }

    [Theory]
    [InlineData("--order strict --exclude lost:competitor@interest-action --optional desire --median interpolated --conversion-bins 0s,90m")]
    [InlineData("--order unordered --window 3h")]
    [InlineData("--reach any-order")]
    public void Analyze_JsonWithFunnelModes_EmbedsAReportThatFollowsThePublishedReportSchema(string modes)
    {
        _folder.Write("events.csv", ModeLog);

        var run = CliRun.Start(_folder.Path, ["analyze", "events.csv", "-d", "aida", .. modes.Split(' '), "-f", "json", "-q"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var report = json.RootElement.GetProperty("report");
        Assert.NotEmpty(report.GetProperty("conversionTimes").EnumerateArray());
        Assert.Empty(PublishedSchemas.Report.Problems(report));
        Assert.Empty(PublishedSchemas.TransitionReport.Problems(json.RootElement.GetProperty("transitions")));
        Assert.Empty(PublishedSchemas.Analyze.Problems(json.RootElement));
    }

    [Theory]
    [InlineData("--anchor best --order strict --exclude lost:competitor@interest-action --optional desire")]
    [InlineData("--anchor latest --exclude lost@attention-desire")]
    [InlineData("--order unordered --window 3h")]
    public void Analyze_JsonWithFunnelModes_TransitionsAnswerTheReportsFunnelQuestion(string modes)
    {
        _folder.Write("events.csv", ModeLog);

        var run = CliRun.Start(_folder.Path, ["analyze", "events.csv", "-d", "aida", .. modes.Split(' '), "-f", "json", "-q"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = AnalyzeJson.Parse(run.Out);
        Assert.Equal((json.Report.Query.Anchor, json.Report.Query.Order), (json.Bulk.Anchor, json.Bulk.Order));
        Assert.Equal(json.Report.Excluded, json.Bulk.Excluded);
        Assert.Equal(json.Report.Reached.ToArray(), json.Bulk.Reached.ToArray());
    }

    [Fact]
    public void Analyze_TimeToConvert_TableShowsEachStepFromTheAnchorAndFromThePreviousStepAndNamesTheMedian()
    {
        _folder.Write("events.csv", ModeLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--median", "interpolated", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        var table = run.Out[run.Out.IndexOf("Time to convert", StringComparison.Ordinal)..];
        Assert.Equal(["2", "1 h 30 min", "1 h 30 min", "2 h 0 min", "1 h 30 min", "1 h 30 min", "2 h 0 min"], Row(table, "Interest"));
        Assert.Equal(["1", "3 h 0 min", "3 h 0 min", "3 h 0 min", "1 h 0 min", "1 h 0 min", "1 h 0 min"], Row(table, "Action (purchase)"));
        Assert.Contains("Median: interpolated (of an even count, the mean of the two middle values).", Unwrapped(run.Out), StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_ExcludeALoss_DropsTheLeadAndCountsItAsExcluded()
    {
        _folder.Write("events.csv", ModeLog);

        var json = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--exclude", "lost:competitor@interest-action", "-f", "json", "-q");
        var table = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--exclude", "lost:competitor@interest-action", "-q");

        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = AnalyzeJson.Parse(json.Out);
        var root = document.Root;
        Assert.Equal([2L, 1L, 1L, 1L], document.Reached()); // b is dropped
        Assert.Equal(1, root.GetProperty("report").GetProperty("excluded").GetInt64());
        var exclusion = Assert.Single(root.GetProperty("report").GetProperty("query").GetProperty("exclusions").EnumerateArray());
        Assert.Equal((1, 3, "competitor"), (exclusion.GetProperty("fromStep").GetInt32(), exclusion.GetProperty("toStep").GetInt32(), exclusion.GetProperty("lossReason").GetString()));
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("exclude lost:competitor@interest-action", Unwrapped(table.Out), StringComparison.Ordinal);
        Assert.Contains("Excluded: 1 lead, dropped by the exclusion steps (a loss (Chose a competitor) between Interest and Action (purchase))", Unwrapped(table.Out), StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_StrictOrder_BreaksThePathAtAnotherEvent()
    {
        _folder.Write("events.csv", "entity,stage,timestamp\na,attention,0\na,interest,10\na,attention,20\na,desire,30\n");

        var ordered = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "-f", "json", "-q");
        var strict = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--order", "strict", "-f", "json", "-q");

        static long[] Reached(CliRun run) => AnalyzeJson.Parse(run.Out).Reached();
        Assert.True(strict.ExitCode == 0, strict.ToString());
        Assert.Equal([1L, 1L, 1L, 0L], Reached(ordered));
        Assert.Equal([1L, 1L, 0L, 0L], Reached(strict)); // the second attention breaks interest → desire
        Assert.Equal("strict", JsonDocument.Parse(strict.Out).RootElement.GetProperty("report").GetProperty("query").GetProperty("order").GetString());
    }

    [Fact]
    public void Analyze_OptionalStep_LetsAPathSkipItAndMarksIt()
    {
        _folder.Write("events.csv", ModeLog);

        var json = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--optional", "interest", "-f", "json", "-q");
        var table = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--optional", "interest", "-q");

        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        // c skips interest and still reaches desire; interest's own row counts the leads that matched it (a, b).
        Assert.Equal([3L, 2L, 2L, 1L], document.RootElement.GetProperty("report").GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("reached").GetInt64()));
        Assert.Equal(["interest"], document.RootElement.GetProperty("report").GetProperty("query").GetProperty("optionalSteps").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("Interest (optional)", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_Unordered_LabelsTheRowsAsSteps()
    {
        _folder.Write("events.csv", ModeLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--order", "unordered", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        var steps = run.Out[run.Out.IndexOf("Steps in any order", StringComparison.Ordinal)..];
        // Distinct stages entered: a 4, b 2, c 2, d 2.
        Assert.Equal("4", Row(steps, "1 step")[0]);
        Assert.Equal("4", Row(steps, "2 steps")[0]);
        Assert.Equal("1", Row(steps, "3 steps")[0]);
        Assert.Contains("order unordered", Unwrapped(run.Out), StringComparison.Ordinal);
        var times = run.Out[run.Out.IndexOf("Time to convert", StringComparison.Ordinal)..];
        Assert.Equal("4", Row(times, "2 steps")[0]);
    }

    [Theory]
    [InlineData("--order", "sideways")]
    [InlineData("--median", "mean")]
    public void Analyze_BadModeValue_ExitsTwoNamingIt(string option, string value)
    {
        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", option, value);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(value, run.Error, StringComparison.Ordinal);
        Assert.Contains(option, run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("desire", "--exclude desire: expected STAGE@FROM-TO or lost[:REASON]@FROM-TO")]
    [InlineData("desire@interest", "--exclude desire@interest: 'interest' is not a step range; expected FROM-TO with two stages of funnel 'aida', such as attention-action.")]
    [InlineData("dezire@interest-action", "--exclude dezire@interest-action: funnel 'aida' has no stage 'dezire'; did you mean 'desire'? (stages: attention, interest, desire, action).")]
    [InlineData("desire@intrest-action", "--exclude desire@intrest-action: funnel 'aida' has no stage 'intrest'; did you mean 'interest'?")]
    [InlineData("desire@interest-acton", "--exclude desire@interest-acton: funnel 'aida' has no stage 'acton'; did you mean 'action'?")]
    [InlineData("desire@action-interest", "--exclude desire@action-interest: 'action' (step 3) does not come before 'interest' (step 1)")]
    [InlineData("lost:pricee@interest-action", "--exclude lost:pricee@interest-action: funnel 'aida' has no loss reason 'pricee'; did you mean 'price'?")]
    [InlineData("lost:nothing-like-it@interest-action", "--exclude lost:nothing-like-it@interest-action: funnel 'aida' has no loss reason 'nothing-like-it' (loss reasons: ")]
    public void Analyze_BadExclude_ExitsTwoNamingTheKeyAndTheNearestOne(string exclude, string message)
    {
        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--exclude", exclude);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("funnel: error: " + message, run.Error, StringComparison.Ordinal);
        Assert.EndsWith("Run 'funnel analyze --help' for usage.", run.Error.TrimEnd(), StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Theory]
    [InlineData("attention", "--optional attention: 'attention' is the first stage; the first step of a funnel is never optional.")]
    [InlineData("desire,intrest", "--optional desire,intrest: funnel 'aida' has no stage 'intrest'; did you mean 'interest'?")]
    [InlineData("desire,", "--optional desire,: an empty stage key")]
    public void Analyze_BadOptional_ExitsTwoSayingWhy(string optional, string message)
    {
        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--optional", optional);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("funnel: error: " + message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_ExclusionFromAnOptionalStep_ExitsTwo()
    {
        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--optional", "interest", "--exclude", "lost@interest-action");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith(
            "funnel: error: --exclude lost@interest-action: 'interest' is an optional step (--optional); an exclusion must start and end at steps every path matches.",
            run.Error,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--exclude", "desire@interest-action", "--exclude applies to --order ordered or strict")]
    [InlineData("--optional", "desire", "--optional applies to --order ordered or strict")]
    [InlineData("--step-window", "interest=1d", "--step-window applies to --order ordered or strict")]
    public void Analyze_UnorderedWithAnOrderOnlyOption_ExitsTwoNamingTheOption(string option, string value, string message)
    {
        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--order", "unordered", option, value);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("funnel: error: " + message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_UnorderedWithTheDefinitionsStepWindows_ExitsTwoSayingHowToLiftThem()
    {
        _folder.Write("limited.json", """
            {
              "key": "limited", "displayName": "Limited",
              "stages": [ { "key": "a" }, { "key": "b", "stepWindow": "1.00:00:00" }, { "key": "c" } ],
              "wonAt": "c"
            }
            """);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "limited.json", "--order", "unordered");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith(
            "funnel: error: --order unordered: the definition 'limited' sets step windows (b), which need an order of steps; lift them with --step-window b=none.",
            run.Error,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1d,1h", "--conversion-bins 1d,1h: the edges must ascend; '1h' does not come after 86400 s.")]
    [InlineData("1h,soon", "--conversion-bins 1h,soon: 'soon' is not a bin edge")]
    [InlineData("1h,none", "--conversion-bins 1h,none: 'none' is not a bin edge")]
    public void Analyze_BadConversionBins_ExitsTwoSayingWhy(string bins, string message)
    {
        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--conversion-bins", bins);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("funnel: error: " + message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_ExcludeBetweenStagesWithDashesInTheirKeys_FindsTheOneSplit()
    {
        _folder.Write("events.csv", "entity,stage,timestamp\na,request,0\na,proposal-sent,10\n");

        var run = CliRun.Start(
            _folder.Path, "analyze", "events.csv", "-d", "b2b-pipeline", "--exclude", "lost:price@proposal-sent-invoice-issued", "--optional", "proposal-read", "-f", "json", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = AnalyzeJson.Parse(run.Out);
        var exclusion = Assert.Single(json.Report.Query.Exclusions);
        var b2b = FunnelTemplates.All.Single(d => d.Key == "b2b-pipeline");
        int Step(string key) => b2b.Stages.Single(s => s.Key.Value == key).Order;
        Assert.Equal(("price", Step("proposal-sent"), Step("invoice-issued")), (exclusion.LossReasonKey, exclusion.FromStep, exclusion.ToStep));
        Assert.Equal(["proposal-read"], json.Report.Query.OptionalSteps.ToArray());
    }

    [Fact]
    public void AnalyzeHelp_ListsTheModeOptions()
    {
        var run = CliRun.Start(_folder.Path, "analyze", "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Split('\n').Select(l => l.Trim()).ToArray();
        foreach (var option in new[] { "--order", "--exclude <stage|lost[:reason]@from-to>", "--optional <stage[,stage]>", "--median", "--conversion-bins <auto|edges>" })
        {
            Assert.Contains(lines, l => l.StartsWith(option, StringComparison.Ordinal));
        }

        Assert.Contains(lines, l => l.StartsWith("strict: in funnel order with no other event of the lead in between", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("unordered: k distinct stages of the funnel in any order", StringComparison.Ordinal));
    }
}
