using System.Text.Json;
using Funnel.Core.Metrics;

namespace Funnel.Cli.Tests.Commands;

/// <summary>A report that explains its own numbers (issue 19): data-quality findings, words, units, "–", reach modes.</summary>
public sealed partial class AnalyzeCommandTests
{
    // AIDA (forward only, goal action). a walks the funnel a day a stage; b skips interest and desire (a click log's
    // buyer who skips the cart); c stops at interest; d's purchase is dated the day before its first event (a wrong
    // date in the export): ordered by time it ends at desire, so the deal the export shows as won is not won.
    private const string ClickLog = """
        entity,stage,timestamp
        a,attention,2026-01-10T00:00:00Z
        a,interest,2026-01-11T00:00:00Z
        a,desire,2026-01-12T00:00:00Z
        a,action,2026-01-13T00:00:00Z
        b,attention,2026-01-10T00:00:00Z
        b,action,2026-01-10T06:00:00Z
        c,attention,2026-01-10T00:00:00Z
        c,interest,2026-01-10T00:30:00Z
        d,attention,2026-01-10T00:00:00Z
        d,interest,2026-01-11T00:00:00Z
        d,desire,2026-01-12T00:00:00Z
        d,action,2026-01-09T00:00:00Z
        """;

    [Fact]
    public void Analyze_MovesTheDefinitionDoesNotAllowAndAnEarlyGoal_AreDataQualityFindingsInTextJsonAndHtml()
    {
        _folder.Write("clicks.csv", ClickLog);

        var table = CliRun.Start(_folder.Path, "analyze", "clicks.csv", "-d", "aida", "-q");
        var json = CliRun.Start(_folder.Path, "analyze", "clicks.csv", "-d", "aida", "-q", "-f", "json");
        var html = CliRun.Start(_folder.Path, "analyze", "clicks.csv", "-d", "aida", "-q", "-o", "report.html");

        const string Moves = "2 moves not allowed by the definition (1 back move, 1 skip): Attention → Action (purchase) 1, Action (purchase) → Attention 1. They are counted like any other move.";
        const string Early = "1 event of 1 lead is dated before the lead's first entry into Attention (a negative time since entering the funnel; usually a wrong date). 1 of these leads entered the goal stage Action (purchase) only before that: ordered by time, it ends at an earlier stage and counts as not won.";
        Assert.True(table.ExitCode == 0, table.ToString());
        var text = Unwrapped(table.Out);
        Assert.Contains("Data quality: · All 12 rows of clicks.csv were read; none was skipped. · " + Moves + " · " + Early, text, StringComparison.Ordinal);

        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        var quality = document.RootElement.GetProperty("dataQuality");
        Assert.Equal((0L, 2L), (document.RootElement.GetProperty("input").GetProperty("badRows").GetInt64(), quality.GetProperty("disallowedMoves").GetInt64()));
        Assert.Equal(
            [("attention", "action", "skip", 1L), ("action", "attention", "back", 1L)],
            quality.GetProperty("disallowedMovesByPair").EnumerateArray().Select(m => (m.GetProperty("from").GetString(), m.GetProperty("to").GetString(), m.GetProperty("kind").GetString(), m.GetProperty("count").GetInt64())));
        Assert.Equal(
            (1L, 1L, 1L),
            (quality.GetProperty("eventsBeforeEntry").GetInt64(), quality.GetProperty("leadsWithEventsBeforeEntry").GetInt64(), quality.GetProperty("leadsWonOnlyBeforeEntry").GetInt64()));
        Assert.Equal(2, document.RootElement.GetProperty("report").GetProperty("won").GetInt64()); // a and b; d is the finding

        Assert.True(html.ExitCode == 0, html.ToString());
        var page = File.ReadAllText(_folder.File("report.html"));
        Assert.Contains("<li>All 12 rows of clicks.csv were read; none was skipped.</li>", page, StringComparison.Ordinal);
        Assert.Contains("<li>" + System.Net.WebUtility.HtmlEncode(Moves) + "</li>", page, StringComparison.Ordinal);
        Assert.Contains("<li>" + System.Net.WebUtility.HtmlEncode(Early) + "</li>", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_Table_HumanizesDurationsDatesAndStageNamesAndShowsADashWhereNothingApplies()
    {
        _folder.Write("clicks.csv", ClickLog);

        var run = CliRun.Start(_folder.Path, "analyze", "clicks.csv", "-d", "aida", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        var text = Unwrapped(run.Out);
        Assert.Contains("dated 2026-01-09 00:00 UTC to 2026-01-13 00:00 UTC", text, StringComparison.Ordinal);
        var action = Row(run.Out, "Action (purchase) (goal)");
        Assert.Equal(["1", "50.0% [9.5%, 90.5%] *", "25.0% [4.6%, 69.9%] *", "0", "–", "–", "1", "1 d 0 h", "1 d 0 h", "1 d 0 h"], action);
        Assert.Equal("–", Row(run.Out, "Attention")[1]);
        Assert.Equal("6 h 0 min", Row(run.Out, "Attention")[7]);
        Assert.DoesNotContain("1.0d", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("│ action", run.Out, StringComparison.Ordinal);
        Assert.Contains("│ not closed │", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("│ open", run.Out, StringComparison.Ordinal);
        Assert.Contains("Not closed: neither won nor lost after the lead's last event. Each not-closed lead is either active (an event within 14 d 0 h of the report's as-of time: still in the funnel) or dropped (silent for longer), counted at the stage of its last event. – = not applicable. Times in UTC.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_LastStageWithoutStays_ShowsDashesNotZeros()
    {
        // Nobody leaves buy (the last stage and the goal): no stay, so no median, mean or p90; a lead there is won, so
        // it is never dropped or active; visit is first, so it has no conversion from a previous stage.
        _folder.Write("two.json", """{"key":"two","stages":[{"key":"visit","displayName":"Visit"},{"key":"buy","displayName":"Buy"}],"wonAt":"buy"}""");
        _folder.Write("events.csv", "entity,stage,timestamp\np,visit,1000\np,buy,1300\nq,visit,1000\nq,buy,1100\n");

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "two.json", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["2", "–", "100.0% [34.2%, 100.0%] *", "0", "0", "0", "2", "1 min 40 s", "3 min 20 s", "5 min 0 s"], Row(run.Out, "Visit"));
        Assert.Equal(["2", "100.0% [34.2%, 100.0%] *", "100.0% [34.2%, 100.0%] *", "0", "–", "–", "0", "–", "–", "–"], Row(run.Out, "Buy (goal)"));
    }

    [Theory]
    [InlineData("ordered", "ordered", new long[] { 4, 3, 2, 1 })]
    [InlineData("any-order", "any-order", new long[] { 4, 3, 2, 3 })]
    [InlineData("pass-through", "pass-through", new long[] { 4, 4, 3, 2 })]
    public void Analyze_Reach_CountsReachedUnderTheChosenMode(string reach, string reported, long[] reached)
    {
        _folder.Write("clicks.csv", ClickLog);

        var run = CliRun.Start(_folder.Path, "analyze", "clicks.csv", "-d", "aida", "-q", "-f", "json", "--reach", reach);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var document = AnalyzeJson.Parse(run.Out);
        Assert.Equal(reported switch { "any-order" => ReachMode.AnyOrder, "pass-through" => ReachMode.PassThrough, _ => ReachMode.OrderedWindow }, document.Report.Query.Reach);
        Assert.Equal(reached, document.Reached());
    }

    [Theory]
    [InlineData("--window", "3d")]
    [InlineData("--anchor", "latest")]
    [InlineData("--step-window", "interest=1d")]
    [InlineData("--order", "strict")]
    [InlineData("--exclude", "desire@interest-action")]
    [InlineData("--optional", "desire")]
    public void Analyze_OrderedOnlyOptionWithAnotherReach_IsAUsageError(string option, string value)
    {
        _folder.Write("clicks.csv", ClickLog);

        var run = CliRun.Start(_folder.Path, "analyze", "clicks.csv", "-d", "aida", "--reach", "any-order", option, value);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"funnel: error: {option} applies to --reach ordered only; --reach any-order has no window, anchor or step order.", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Fact]
    public void AnalyzeHelp_ExplainsEachReachModeInOneLine()
    {
        var run = CliRun.Start(_folder.Path, "analyze", "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Split('\n').Select(l => l.Trim()).ToArray();
        Assert.Contains(lines, l => l.StartsWith("--reach <mode>", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("ordered: entered every stage up to it in order", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("any-order: entered the stage at some time, in any order", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("pass-through: now at the stage or a later one", StringComparison.Ordinal));
    }

    /// <summary>The text with the console's line wrapping undone (every run of white space one space).</summary>
    private static string Unwrapped(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    /// <summary>
    /// The cells after the first of the table row whose first cell is <paramref name="label"/>, with the lines of cells
    /// the console wrapped joined again (a line whose first cell is empty continues the row above).
    /// </summary>
    private static string[] Row(string text, string label)
    {
        var rows = new List<string[]>();
        foreach (var cells in text.Split('\n').Select(l => l.Split('│').Select(c => c.Trim()).ToArray()).Where(c => c.Length > 2))
        {
            if (cells[1].Length == 0 && rows.Count > 0 && rows[^1].Length == cells.Length)
            {
                rows[^1] = rows[^1].Zip(cells, (a, b) => b.Length == 0 ? a : a + " " + b).ToArray();
            }
            else
            {
                rows.Add(cells);
            }
        }

        return rows.First(c => c[1] == label)[2..^1];
    }
}
