using System.Text.Json;

namespace Funnel.Cli.Tests.Commands;

/// <summary>Issue 23 in the CLI: --min-leads, tests that say their method and flag small samples, --outcome, no losses recorded.</summary>
public sealed partial class AnalyzeCommandTests
{
    private const string AfterGoal = """
        entity,stage,timestamp,loss_reason
        p,attention,1000,
        p,action,1100,
        p,action,1200,price
        q,attention,1000,
        q,action,1100,
        q,interest,1300,
        r,attention,1000,
        """;

    [Fact]
    public void Analyze_OutcomeReached_CountsEveryLeadThatReachedTheGoalAndLabelsBothCounts()
    {
        _folder.Write("after-goal.csv", AfterGoal);

        var table = CliRun.Start(_folder.Path, "analyze", "after-goal.csv", "-d", "aida", "--outcome", "reached", "-f", "table");
        var json = CliRun.Start(_folder.Path, "analyze", "after-goal.csv", "-d", "aida", "--outcome", "reached", "-f", "json");
        var lastStatus = CliRun.Start(_folder.Path, "analyze", "after-goal.csv", "-d", "aida", "-f", "json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("Won counts every lead that reached the goal (outcome: reached); 0 of them are still at or past the goal after their last event (outcome: last-status).", table.Out, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal("reached", document.RootElement.GetProperty("outcome").GetString());
        var outcomes = document.RootElement.GetProperty("report");
        Assert.Equal((2L, 0L, 1L, 0L), (outcomes.GetProperty("won").GetInt64(), outcomes.GetProperty("lost").GetInt64(), outcomes.GetProperty("open").GetInt64(), outcomes.GetProperty("lastStatusWon").GetInt64()));
        using var before = JsonDocument.Parse(lastStatus.Out);
        Assert.Equal("last-status", before.RootElement.GetProperty("outcome").GetString());
        Assert.Equal((0L, 1L), (before.RootElement.GetProperty("report").GetProperty("won").GetInt64(), before.RootElement.GetProperty("report").GetProperty("lost").GetInt64()));
    }

    [Fact]
    public void Analyze_NoLossEvents_SaysNoLossesRecordedInsteadOfAnInterval()
    {
        _folder.Write("clicks.csv", "entity,stage,timestamp\nu,attention,1000\nu,action,1100\nv,attention,1000\n");

        var table = CliRun.Start(_folder.Path, "analyze", "clicks.csv", "-d", "aida", "-f", "table");
        var json = CliRun.Start(_folder.Path, "analyze", "clicks.csv", "-d", "aida", "-f", "json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("100.0% (no losses recorded)", table.Out, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Out);
        Assert.True(document.RootElement.GetProperty("report").GetProperty("noLossesRecorded").GetBoolean());
    }

    [Fact]
    public void Analyze_BySource_MergesSegmentsBelowThirtyLeadsByDefaultAndSaysSo()
    {
        _folder.Write("events.csv", HandLog);

        var table = CliRun.Start(_folder.Path, "analyze", "events.csv", "--max-bad-rows", "3", "-d", "aida", "--by", "source", "-f", "table");
        var json = CliRun.Start(_folder.Path, "analyze", "events.csv", "--max-bad-rows", "3", "-d", "aida", "--by", "source", "-f", "json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("Segments with fewer than 30 leads (--min-leads) were merged into (other): ads, organic.", table.Out, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Out);
        var segments = document.RootElement.GetProperty("segments");
        Assert.Equal(30, segments.GetProperty("minimumLeads").GetInt32());
        Assert.Equal(["ads", "organic"], segments.GetProperty("merged").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Analyze_MinLeadsZero_TestsTinySegmentsExactlyAndFlagsTheResult()
    {
        _folder.Write("events.csv", HandLog);

        var table = CliRun.Start(_folder.Path, "analyze", "events.csv", "--max-bad-rows", "3", "-d", "aida", "--by", "source", "--min-leads", "0", "-f", "table");
        var json = CliRun.Start(_folder.Path, "analyze", "events.csv", "--max-bad-rows", "3", "-d", "aida", "--by", "source", "--min-leads", "0", "-f", "json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("Do the segments convert differently? Fisher's exact test, p 1.0000 (small sample: 4 of 4 expected counts below 5): no significant difference at 5%.", table.Out, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Out);
        var test = document.RootElement.GetProperty("segments").GetProperty("conversionTest");
        Assert.Equal("fisher-exact", test.GetProperty("method").GetString());
        Assert.True(test.GetProperty("smallSample").GetBoolean());
        Assert.Empty(document.RootElement.GetProperty("segments").GetProperty("merged").EnumerateArray());
    }

    [Fact]
    public void Analyze_Costs_SayWhichLeadsTheEconomicsCount()
    {
        _folder.Write("events.csv", HandLog);
        _folder.Write("costs.csv", "source,cost_per_lead,revenue_per_sale,margin_per_sale\nads,10,100,50\norganic,10,100,50\n");

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "--max-bad-rows", "3", "-d", "aida", "--costs", "costs.csv", "-f", "table");

        Assert.True(run.ExitCode == 0, run.ToString());
        var text = string.Join(' ', run.Out.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)); // the console wraps long lines
        Assert.Contains("CPA and ROMI count the cost of every lead and the sales recorded by the as-of time; leads with no known outcome yet (open: 1, of which silent: 0) count as leads without a sale.", text, StringComparison.Ordinal);
        Assert.Contains("│ ads ", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void AnalyzeHelp_ExplainsMinLeadsAndOutcome()
    {
        var run = CliRun.Start(_folder.Path, "analyze", "--help");

        Assert.Contains("--min-leads", run.Out, StringComparison.Ordinal);
        Assert.Contains("Merge segments with fewer than n leads into '(other)'", run.Out, StringComparison.Ordinal);
        Assert.Contains("--outcome", run.Out, StringComparison.Ordinal);
    }
}
