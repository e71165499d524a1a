namespace Funnel.Cli.Tests.Commands;

/// <summary>The funnel-mode options of issue 22: --order, --exclude, --optional, --median, --conversion-bins.</summary>
public sealed partial class AnalyzeCommandTests
{
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
        using var json = System.Text.Json.JsonDocument.Parse(run.Out);
        Assert.Equal("lost:price@proposal-sent-invoice-issued", Assert.Single(json.RootElement.GetProperty("exclude").EnumerateArray()).GetString());
        Assert.Equal("proposal-read", Assert.Single(json.RootElement.GetProperty("optional").EnumerateArray()).GetString());
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
