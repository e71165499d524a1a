using System.Text.Json;

namespace Funnel.Cli.Tests.Commands;

/// <summary>Rows skipped as bad: stated in every report, exit code 1 unless --max-bad-rows allows them, and hints for misspelt keys.</summary>
public sealed partial class AnalyzeCommandTests
{
    // HandLog has 12 data rows; 3 are bad: an unknown stage (line 4), a bad timestamp (line 7), a field too many (line 9).
    private const string SkippedStatement = "Skipped 3 of 12 rows of events.csv as bad ((whole row) 1, stage 1, timestamp 1); they are in none of the numbers of this report.";

    [Fact]
    public void Analyze_BadRowsWithoutMaxBadRows_WritesTheReportAndExitsOne()
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "-f", "json", "-q");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(3, json.RootElement.GetProperty("input").GetProperty("badRows").GetInt64());
        Assert.Contains(
            "funnel: error: events.csv: 3 of 12 rows were bad and skipped (the report states it); pass --max-bad-rows 3 to accept them with exit code 0.",
            run.Error,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_FewerBadRowsThanAllowed_ExitsZero()
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--max-bad-rows", "10", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("funnel: error:", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_BadRows_TableStatesTheSkippedRowsByColumn()
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--max-bad-rows", "3", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(SkippedStatement, run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_BadRows_HtmlStatesTheSkippedRowsInADataQualitySection()
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "-f", "html", "-o", "report.html", "-q");

        Assert.True(run.ExitCode == 1, run.ToString());
        var html = File.ReadAllText(_folder.File("report.html"));
        Assert.Contains("Data quality</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<li>" + SkippedStatement + "</li>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_CleanLog_HtmlSaysNoRowWasSkipped()
    {
        _folder.Write("events.csv", "entity,stage,timestamp\na,attention,1000\na,interest,1100\nb,attention,1000\n");

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "-f", "html", "-o", "report.html", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("<li>All 3 rows of events.csv were read; none was skipped.</li>", File.ReadAllText(_folder.File("report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_StageKeysDifferingInCaseOrByATypo_HintTheDefinedKeyOncePerKey()
    {
        _folder.Write("events.csv", """
            entity,stage,timestamp
            a,attention,1000
            a,Interest,1100
            b,attention,1000
            b,Interest,1200
            c,atention,1000
            d,nowhere,1000
            """);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "-q");

        Assert.True(run.ExitCode == 1, run.ToString());
        var hints = run.Error.Split('\n').Where(l => l.StartsWith("funnel: hint: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "funnel: hint: stage 'Interest' (2 rows) is not a stage key of 'aida'; did you mean 'interest'? Keys are matched exactly.",
                "funnel: hint: stage 'atention' (1 row) is not a stage key of 'aida'; did you mean 'attention'? Keys are matched exactly.",
            ],
            hints);
    }

    [Fact]
    public void Analyze_DisplayNameInsteadOfKey_HintsTheKey()
    {
        _folder.Write("crm.json", """
            { "key": "crm", "stages": [ { "key": "new", "displayName": "New lead" }, { "key": "won", "displayName": "Closed Won" } ], "wonAt": "won" }
            """);
        _folder.Write("events.csv", "entity,stage,timestamp\na,new,1000\na,closed won,2000\n");

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "crm.json", "-q");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(
            "funnel: hint: stage 'closed won' (1 row) is not a stage key of 'crm'; did you mean 'won' (display name 'Closed Won')? Keys are matched exactly.",
            run.Error,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_StoppedByMaxBadRows_StillHintsTheMisspeltKey()
    {
        _folder.Write("events.csv", "entity,stage,timestamp\na,Attention,1000\nb,Attention,1000\nc,attention,1000\n");

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--max-bad-rows", "1");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("funnel: hint: stage 'Attention' (2 rows) is not a stage key of 'aida'; did you mean 'attention'?", run.Error, StringComparison.Ordinal);
        Assert.Contains("more than 1 bad rows (--max-bad-rows), stopping.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_FractionalUnixSeconds_AreRoundedDownToTheSecond()
    {
        // Floored, not rounded to nearest: 1000.9 is 1000 and 1100.2 is 1100 (a stay of 100 s, not 99); -0.5 is -1.
        _folder.Write("events.csv", "entity,stage,timestamp\na,attention,1000.9\na,interest,1100.2\nb,attention,-0.5\nb,interest,99.5\n");

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "-f", "json", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = AnalyzeJson.Parse(run.Out);
        var attention = json.Bulk.TimeInStage[0];
        Assert.Equal(0, json.Input.GetProperty("badRows").GetInt64());
        Assert.Equal(2, attention.Count);
        Assert.Equal(200, (long)attention.TotalSeconds);
    }
}
