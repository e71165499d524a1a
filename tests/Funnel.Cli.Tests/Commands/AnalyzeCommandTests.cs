using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json;
using Funnel.Serialization.Json.Tests;

namespace Funnel.Cli.Tests.Commands;

public sealed partial class AnalyzeCommandTests : IDisposable
{
    // Three leads on AIDA, worked out by hand from the canonical semantics (docs/cli.md, docs/metrics.md):
    // a: attention 1000, interest 1100, desire 1200, action 1500 (won);
    // b: attention 1000, interest 1300, lost with abandoned-cart at 1300 (counted at interest, its previous stage);
    // c: interest 2000, then attention 2100 (its anchor; nothing follows, so it reaches only attention).
    // Three bad rows are mixed in on lines 4, 7 and 9.
    private const string HandLog = """
        entity,stage,timestamp,loss_reason,source
        a,attention,1000,,ads
        b,attention,1000,,organic
        x,nowhere,1000,,ads
        a,interest,1100,,ads
        b,interest,1300,,organic
        y,attention,yesterday,,ads
        a,desire,1200,,ads
        z,attention,1000,price,ads,extra
        b,desire,1300,abandoned-cart,organic
        a,action,1500,,ads
        c,interest,2000,,ads
        c,attention,2100,,ads
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Analyze_HandWorkedLog_GivesTheCanonicalNumbersAndReportsBadRowsByLine()
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "--definition", "aida", "--format", "json", "--max-bad-rows", "3");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("events.csv:4: bad row skipped: stage: 'nowhere' is neither a stage key of 'aida' nor a stage ordinal 0..3", run.Error, StringComparison.Ordinal);
        Assert.Contains("events.csv:7: bad row skipped: timestamp: 'yesterday' is neither Unix seconds nor an ISO 8601 date and time", run.Error, StringComparison.Ordinal);
        Assert.Contains("events.csv:9: bad row skipped: expected 5 fields as in the header, found 6", run.Error, StringComparison.Ordinal);
        Assert.Contains("Read 12 rows from events.csv", run.Error, StringComparison.Ordinal);
        Assert.Contains("9 events kept, 3 bad rows skipped.", run.Error, StringComparison.Ordinal);

        using var json = AnalyzeJson.Parse(run.Out);
        var input = json.Input;
        Assert.Equal("events.csv", input.GetProperty("file").GetString());
        Assert.Equal(12, input.GetProperty("rowsRead").GetInt64());
        Assert.Equal(3, input.GetProperty("badRows").GetInt64());
        var byColumn = input.GetProperty("badRowsByColumn");
        Assert.Equal(1, byColumn.GetProperty("stage").GetInt64());
        Assert.Equal(1, byColumn.GetProperty("timestamp").GetInt64());
        Assert.Equal(1, byColumn.GetProperty("(whole row)").GetInt64());
        var bulk = json.Bulk;
        Assert.Equal(9, bulk.EventCount);
        Assert.Equal(3, bulk.EntityCount);
        Assert.Equal(new long[] { 3, 2, 1, 1 }, json.Reached());
        Assert.Equal(new long[] { 2, 3, 1, 0 }, bulk.TimeInStage.Select(t => t.Count));
        Assert.Equal(new long[] { 400, 200, 300, 0 }, bulk.TimeInStage.Select(t => (long)t.TotalSeconds));
        Assert.Equal(new long[] { 100, 100, 300, 0 }, bulk.TimeInStage.Select(t => t.MedianSeconds));
        Assert.Equal(new long[] { 0, 2, 0, 0, 0 }, bulk.Transitions.GetRow(0).ToArray());
        Assert.Equal(new long[] { 1, 0, 1, 0, 1 }, bulk.Transitions.GetRow(1).ToArray());
        Assert.Equal(new long[] { 0, 0, 0, 1, 0 }, bulk.Transitions.GetRow(2).ToArray());
        Assert.Equal(1, bulk.Losses.Total);
        Assert.Equal(1, bulk.Losses[1, FunnelTemplates.Aida.LossReasons.IndexOf(FunnelTemplates.Aida.LossReasons.Single(r => r.Key.Value == "abandoned-cart"))]);
        Assert.Equal((1L, 1L), (json.Report.Won, json.Report.Lost));
    }

    [Fact]
    public void Analyze_Window_CutsStepsAfterTheWindowFromTheAnchor()
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "--max-bad-rows", "3", "-d", "aida", "--window", "150s", "-f", "json", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = AnalyzeJson.Parse(run.Out);
        Assert.Equal(150, json.Bulk.WindowSeconds);
        Assert.Equal(TimeSpan.FromSeconds(150), json.Report.Query.Window);
        Assert.Equal(new long[] { 3, 1, 0, 0 }, json.Reached());
        Assert.DoesNotContain("Read ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("interest=150s", new long[] { 3, 1, 1, 1 })] // b enters interest 300 s after attention
    [InlineData("action=200s", new long[] { 3, 2, 1, 0 })]   // a enters action 300 s after desire
    [InlineData("interest=none", new long[] { 3, 2, 1, 1 })]
    public void Analyze_StepWindow_LimitsTheStepIntoThatStage(string stepWindow, long[] reached)
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "--max-bad-rows", "3", "-d", "aida", "--step-window", stepWindow, "-f", "json", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = AnalyzeJson.Parse(run.Out);
        Assert.Equal(reached, json.Reached());
    }

    [Theory]
    [InlineData("attention=1d", "is the first stage")]
    [InlineData("nosuch=1d", "has no stage 'nosuch'")]
    [InlineData("interest", "expected stage=duration")]
    [InlineData("interest=3x", "'3x' is not a duration")]
    public void Analyze_BadStepWindow_ExitsTwoSayingWhy(string stepWindow, string message)
    {
        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--step-window", stepWindow);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.EndsWith("Run 'funnel analyze --help' for usage.", run.Error.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_ParquetFileWrittenByDuckDb_GivesTheSameNumbersAsTheCsv()
    {
        var clean = string.Join('\n', HandLog.Split('\n').Where(line => !line.StartsWith('x') && !line.StartsWith('y') && !line.StartsWith('z')));
        _folder.Write("events.csv", clean);
        using (var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SET threads = 1; COPY (SELECT * FROM read_csv('{Path.Combine(_folder.Path, "events.csv")}', header = true, "
                + "columns = {'entity': 'VARCHAR', 'stage': 'VARCHAR', 'timestamp': 'BIGINT', 'loss_reason': 'VARCHAR', 'source': 'VARCHAR'})) "
                + $"TO '{Path.Combine(_folder.Path, "events.parquet")}' (FORMAT parquet)";
            command.ExecuteNonQuery();
        }

        var csv = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--by", "source", "-f", "json", "--quiet");
        var parquet = CliRun.Start(_folder.Path, "analyze", "events.parquet", "-d", "aida", "--by", "source", "-f", "json", "--quiet");

        Assert.True(parquet.ExitCode == 0, parquet.ToString());
        using var a = JsonDocument.Parse(csv.Out);
        using var b = JsonDocument.Parse(parquet.Out);
        foreach (var name in new[] { "report", "transitions", "segments" })
        {
            Assert.Equal(a.RootElement.GetProperty(name).GetRawText(), b.RootElement.GetProperty(name).GetRawText());
        }
    }

    [Theory]
    [InlineData("events.parquet")]
    [InlineData("events.arrow")]
    public void Analyze_ColumnarFileThatIsNotOne_ExitsOneNamingTheFile(string name)
    {
        _folder.Write(name, "entity,stage,timestamp\na,attention,1\n");

        var run = CliRun.Start(_folder.Path, "analyze", name, "-d", "aida");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(name, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_GeneratedLog_MatchesTheBulkEngineInProcess()
    {
        Assert.Equal(0, CliRun.Start(_folder.Path, "generate", "-n", "400", "--seed", "3", "-o", "events.csv").ExitCode);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "customer-journey", "-w", "7d", "-f", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var definition = FunnelTemplates.CustomerJourney;
        var expected = new TransitionAnalyzer(definition, TimeSpan.FromDays(7)).Analyze(TransitionLogGenerator.Generate(400, 3));
        using var json = AnalyzeJson.Parse(run.Out);

        // The bulk document read back by the library is the engine's report, every number of it.
        Assert.Equal(expected, json.Bulk);
        Assert.Equal(expected.Reached, json.Reached());
    }

    [Fact]
    public void Analyze_Json_CarriesTheLibrarysReportDocument_ThatFunnelJsonReadsBack()
    {
        Assert.Equal(0, CliRun.Start(_folder.Path, "generate", "-n", "300", "--seed", "5", "-o", "events.csv").ExitCode);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "customer-journey", "-w", "7d", "--anchor", "best", "-f", "json", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        var definition = FunnelTemplates.CustomerJourney;
        using var json = AnalyzeJson.Parse(run.Out, definition);
        var report = json.Report;
        var read = TransitionLogCsvReader.ReadFile(_folder.File("events.csv"), definition, new TransitionLogCsvOptions { SegmentColumn = "source" });
        var expected = TransitionLogMetrics.ComputeReport(
            definition, read.Log, read.Entities.ToImmutableArray(), read.Segments.ToImmutableArray(), FunnelQuery.Default.Ordered(TimeSpan.FromDays(7), AnchorMode.Best).WithStepWindows(Enumerable.Repeat<TimeSpan?>(null, definition.Stages.Length - 1)));
        Assert.Equal(AnchorMode.Best, report.Query.Anchor);
        Assert.Equal(expected.Leads, report.Leads);
        Assert.Equal(expected.Reached.ToArray(), report.Reached.ToArray());
        Assert.Equal((expected.Won, expected.EverWon, expected.Lost, expected.Open), (report.Won, report.EverWon, report.Lost, report.Open));
        Assert.Equal(expected.Transitions.Counts.ToArray(), report.Transitions.Counts.ToArray());
        Assert.Equal(expected.Stages.Select(st => st.TimeInStage).ToArray(), report.Stages.Select(st => st.TimeInStage).ToArray());
        Assert.Equal(FunnelJson.WriteReport(expected, indented: false), json.ReportJson.GetRawText());
    }

    [Fact]
    public void Analyze_ByCohortAndCosts_GivesSegmentsCohortsAndAVerdictPerSource()
    {
        Assert.Equal(0, CliRun.Start(_folder.Path, "generate", "-n", "400", "-o", "events.csv").ExitCode);
        _folder.Write("costs.csv", """
            source,cost_per_lead,total_spend,revenue_per_sale,margin_per_sale
            ads,40,,100,50
            organic,,0,100,50
            *,1,,100,50
            """);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "customer-journey", "--by", "source", "--cohort", "month", "--costs", "costs.csv", "-f", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = AnalyzeJson.Parse(run.Out);
        var root = json.Root;
        var segments = root.GetProperty("segments").GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(
            new[] { "ads", "email", "organic", "referral" },
            segments.Select(s => s.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));

        // Each segment and cohort carries the library's report document.
        var segmentReports = segments.Select(s => FunnelJson.ReadReport(s.GetProperty("report").GetRawText(), FunnelTemplates.All)).ToArray();
        Assert.Equal(json.Bulk.EntityCount, segmentReports.Sum(r => r.Leads));
        Assert.Equal(json.Report.Leads, segmentReports.Sum(r => r.Leads));
        Assert.True(root.GetProperty("segments").TryGetProperty("conversionTest", out _));
        var cohorts = root.GetProperty("cohorts").GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(json.Report.Leads, cohorts.Sum(c => FunnelJson.ReadReport(c.GetProperty("report").GetRawText(), FunnelTemplates.All).Leads));
        Assert.Equal("month", root.GetProperty("cohorts").GetProperty("period").GetString());
        var economics = root.GetProperty("economics").EnumerateArray().ToDictionary(e => e.GetProperty("source").GetString()!);
        Assert.Equal("works at a loss", economics["ads"].GetProperty("verdict").GetString());
        Assert.Equal(40m * economics["ads"].GetProperty("leads").GetInt64(), economics["ads"].GetProperty("spend").GetDecimal());
        Assert.Equal(0.8m, economics["ads"].GetProperty("breakEvenConversion").GetDecimal());
        Assert.Equal("profitable", economics["email"].GetProperty("verdict").GetString());
        Assert.True(economics.ContainsKey("(overall)"));
        Assert.Empty(PublishedSchemas.Analyze.Problems(root));
    }

    // Losses at no stage (issue 14): d is lost before any stage, then enters attention at the same second as its
    // interest row (logged first: it still reaches interest); e is lost at interest, lost again, and comes back.
    private const string OddLossLog = """
        entity,stage,timestamp,loss_reason
        d,attention,900,price
        d,interest,1000,
        d,attention,1000,
        e,attention,1000,
        e,interest,1100,
        e,interest,1200,price
        e,interest,1300,abandoned-cart
        e,interest,1700,
        """;

    [Fact]
    public void Analyze_LossesAtNoStage_TableShowsThemOnTheirOwnLines()
    {
        _folder.Write("events.csv", OddLossLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "-f", "table", "--out", "report.txt");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = File.ReadAllLines(_folder.File("report.txt"));
        var rows = lines.Select(l => l.Split('│', '|').Select(c => c.Trim()).Where(c => c.Length > 0).ToArray()).ToList();

        // Losses (abandoned-cart, price, total): interest holds e's first loss only; the others are on their own lines.
        Assert.Contains(["Interest", "0", "1", "1"], rows);
        Assert.Contains(["(after a loss)", "1", "0", "1"], rows);
        Assert.Contains(["(unknown stage: first event)", "0", "1", "1"], rows);

        // Transitions: the lost row (from a loss to d's and e's next entries, and to e's second loss).
        Assert.Contains(["lost", ".", "2", ".", ".", "1"], rows);
        Assert.Contains(lines, l => l.Contains("After a loss (in no stage): 3 stays", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_LossesAtNoStage_JsonNamesThemApartAndCountsTheLostRow()
    {
        _folder.Write("events.csv", OddLossLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "-f", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = AnalyzeJson.Parse(run.Out);
        var bulk = json.Bulk;
        Assert.Equal(new long[] { 2, 2, 0, 0 }, json.Reached());
        Assert.Equal(new long[] { 0, 1, 0, 0 }, Enumerable.Range(0, 4).Select(s => bulk.Transitions[s, bulk.LostColumn]));
        Assert.Equal(new long[] { 0, 2, 0, 0, 1 }, bulk.Transitions.GetRow(bulk.LostRow).ToArray());
        var (price, cart) = (FunnelTemplates.Aida.LossReasons.IndexOf(FunnelTemplates.Aida.LossReasons.Single(r => r.Key.Value == "price")), FunnelTemplates.Aida.LossReasons.IndexOf(FunnelTemplates.Aida.LossReasons.Single(r => r.Key.Value == "abandoned-cart")));
        Assert.Equal((1L, 1L), (bulk.Losses.Total, bulk.Losses[1, price]));
        Assert.Equal((1L, 1L), (bulk.LossesAfterLoss.Sum(), bulk.LossesAfterLoss[cart]));
        Assert.Equal((1L, 1L), (bulk.LossesAtUnknownStage.Sum(), bulk.LossesAtUnknownStage[price]));
        Assert.Equal((3L, (Int128)(100 + 100 + 400)), (bulk.TimeAfterLoss.Count, bulk.TimeAfterLoss.TotalSeconds));
    }

    [Fact]
    public void Analyze_LeadLostAfterTheGoal_ShowsWonAndWonAtSomeTimeAndSaysWhy()
    {
        // p bought and was lost afterwards; q bought and stayed; r never bought.
        _folder.Write("after-goal.csv", """
            entity,stage,timestamp,loss_reason
            p,attention,1000,
            p,action,1100,
            p,action,1200,price
            q,attention,1000,
            q,action,1100,
            r,attention,1000,
            """);

        var table = CliRun.Start(_folder.Path, "analyze", "after-goal.csv", "-d", "aida", "-f", "table");
        var json = CliRun.Start(_folder.Path, "analyze", "after-goal.csv", "-d", "aida", "-f", "json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("won at some time", table.Out, StringComparison.Ordinal);
        Assert.Contains("1 more reached the goal and were lost or moved back afterwards, so 2 were won at some time.", table.Out, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = AnalyzeJson.Parse(json.Out);
        Assert.Equal((1L, 2L, 1L), (document.Report.Won, document.Report.EverWon, document.Report.Lost));
    }

    [Fact]
    public void Analyze_TableToOutFile_WritesEverySection()
    {
        _folder.Write("events.csv", HandLog);
        _folder.Write("costs.csv", "source,cost_per_lead,revenue_per_sale,margin_per_sale\nads,10,100,50\norganic,10,100,50\n");

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "--max-bad-rows", "3", "-d", "aida", "--costs", "costs.csv", "--format", "table", "--out", "report.txt");

        Assert.True(run.ExitCode == 0, run.ToString());
        var text = File.ReadAllText(_folder.File("report.txt"));
        foreach (var section in new[] { "Funnel 'aida'", "Stages", "Outcomes", "Losses by stage", "Transitions", "By source", "Economics per source", "Attention", "Abandoned cart" })
        {
            Assert.Contains(section, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_SvgFormat_WritesTheFunnelChart()
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "--max-bad-rows", "3", "-d", "aida", "-f", "svg", "-o", "chart.svg");

        Assert.True(run.ExitCode == 0, run.ToString());
        var svg = File.ReadAllText(_folder.File("chart.svg"));
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("Attention", svg, StringComparison.Ordinal);
        Assert.Contains("Wrote chart.svg.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_HtmlFormat_WritesOneSelfContainedReportWithTheBreakdowns()
    {
        _folder.Write("events.csv", HandLog);
        _folder.Write("costs.csv", "source,cost_per_lead,revenue_per_sale,margin_per_sale\n*,10,100,50\n");

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "--max-bad-rows", "3", "-d", "aida", "--costs", "costs.csv", "--cohort", "day", "-f", "html", "-o", "report.html");

        Assert.True(run.ExitCode == 0, run.ToString());
        var html = File.ReadAllText(_folder.File("report.html"));
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("organic", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Analyze_Verbose_PrintsWhereTheTimeWent()
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "--max-bad-rows", "3", "-d", "aida", "--cohort", "month", "--quiet", "--verbose");

        Assert.True(run.ExitCode == 0, run.ToString());
        var line = Assert.Single(run.Error.Split('\n'), l => l.StartsWith("Time: ", StringComparison.Ordinal));
        foreach (var phase in new[] { "read ", "bulk engine ", "metrics report ", "cohorts ", "write ", "total " })
        {
            Assert.Contains(phase, line, StringComparison.Ordinal);
        }

        Assert.Matches(@"peak memory [0-9,]+ MiB\.", line);
        Assert.DoesNotContain("Analysed", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_AnchorLatest_UsesTheMetricsReportForReach()
    {
        _folder.Write("events.csv", "entity,stage,timestamp\na,attention,0\na,interest,10\na,attention,100\n");

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--anchor", "latest", "-f", "json", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = AnalyzeJson.Parse(run.Out);
        Assert.Equal(0, json.Reached()[1]);
        Assert.Equal(0, json.Bulk.Reached[1]); // the transitions answer the same question (before: 1, the first anchor's)
        Assert.Equal(AnchorMode.Latest, json.Bulk.Anchor);
    }

    [Fact]
    public void Analyze_MoreBadRowsThanAllowed_StopsWithExitOne()
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--max-bad-rows", "1");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("funnel: error: events.csv:7: timestamp: 'yesterday' is neither Unix seconds nor an ISO 8601 date and time; more than 1 bad rows", run.Error, StringComparison.Ordinal);
        Assert.Contains("(--max-bad-rows), stopping.", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Analyze_BinaryLogFromGenerate_GivesTheSameNumbersAsTheCsv()
    {
        Assert.Equal(0, CliRun.Start(_folder.Path, "generate", "-n", "300", "-o", "events.csv").ExitCode);
        Assert.Equal(0, CliRun.Start(_folder.Path, "generate", "-n", "300", "-o", "events.bin").ExitCode);

        var csv = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "customer-journey", "--by", "source", "-f", "json", "-q");
        var bin = CliRun.Start(_folder.Path, "analyze", "events.bin", "-d", "customer-journey", "--by", "segment", "-f", "json", "-q");

        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.True(bin.ExitCode == 0, bin.ToString());
        using var fromCsv = JsonDocument.Parse(csv.Out);
        using var fromBin = JsonDocument.Parse(bin.Out);
        foreach (var property in new[] { "report", "transitions" })
        {
            Assert.Equal(fromCsv.RootElement.GetProperty(property).GetRawText(), fromBin.RootElement.GetProperty(property).GetRawText());
        }

        // The binary format keeps source codes (0 organic, 1 ads, 2 email, 3 referral), not names.
        static long[] Leads(JsonDocument d) => [.. d.RootElement.GetProperty("segments").GetProperty("items").EnumerateArray().Select(i => i.GetProperty("report").GetProperty("leads").GetInt64())];
        Assert.Equal(Leads(fromCsv), Leads(fromBin));
        Assert.Equal("0", fromBin.RootElement.GetProperty("segments").GetProperty("items")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void Analyze_BinaryFileThatIsNotALog_ExitsOne()
    {
        _folder.Write("events.bin", "entity,stage,timestamp\n");

        var run = CliRun.Start(_folder.Path, "analyze", "events.bin", "-d", "aida");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("funnel: error: events.bin: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_HeaderWithoutStage_ExitsOneNamingTheColumn()
    {
        _folder.Write("events.csv", "entity,step,timestamp\na,attention,0\n");

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("funnel: error: events.csv:1: Line 1 (the header) lacks the required column 'stage'; found: entity, step, timestamp.", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Analyze_StderrRedirected_ShowsNoProgressBarEvenForASlowRead(bool quiet)
    {
        // The bar would appear at once (no delay), but stderr is not a terminal: only the summary lines, no bar.
        Assert.Equal(0, CliRun.Start(_folder.Path, "generate", "-n", "2000", "-o", "events.csv").ExitCode);
        var environment = new Dictionary<string, string> { ["FUNNEL_PROGRESS_DELAY_MS"] = "0" };

        var run = CliRun.Start(_folder.Path, environment, ["analyze", "events.csv", "-d", "customer-journey", .. quiet ? new[] { "-q" } : []]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("events.csv · ~", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("━", run.Error, StringComparison.Ordinal);
        Assert.Equal(!quiet, run.Error.Contains("rows from events.csv", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_ExportHeaderNames_AreReadByTheLibrarysReaderAndNameTheSegmentColumn()
    {
        // The names of common exports (TransitionLogCsvOptions.CommonNames), in another order, with an extra column.
        _folder.Write("events.csv", "note,Lead_ID,at,stage,reason,channel\nx,a,1000,attention,,web\nx,a,1100,interest,,web\nx,b,1000,attention,,mail\n");

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--by", "channel", "--min-leads", "0", "-f", "json", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = AnalyzeJson.Parse(run.Out);
        Assert.Equal("channel", json.Input.GetProperty("segmentColumn").GetString());
        Assert.Equal(new long[] { 2, 1, 0, 0 }, json.Reached());
        Assert.Equal(["mail", "web"], json.Root.GetProperty("segments").GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Analyze_CostsWithoutARowForASource_ExitsOneNamingIt()
    {
        _folder.Write("events.csv", HandLog);
        _folder.Write("costs.csv", "source,cost_per_lead,revenue_per_sale,margin_per_sale\nads,10,100,50\n");

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--costs", "costs.csv");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("the costs file has no row for the source(s) 'organic'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_BadCostsRow_ExitsOneWithTheLine()
    {
        _folder.Write("events.csv", HandLog);
        _folder.Write("costs.csv", "source,cost_per_lead,revenue_per_sale,margin_per_sale\nads,10,100,50\norganic,ten,100,50\n");

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--costs", "costs.csv");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("funnel: error: costs.csv:3: cost_per_lead 'ten' is not a number", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_ByAColumnTheLogLacks_ExitsOne()
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--by", "channel");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("--by channel: events.csv has no 'channel' column; its segment column is 'source'.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_UnknownDefinition_ExitsOneListingTemplates()
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "nosuch");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("'nosuch' is neither an existing definition file nor a template name", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--window", "30x")]
    [InlineData("--anchor", "middle")]
    [InlineData("--format", "pdf")]
    public void Analyze_BadOptionValue_ExitsTwo(string option, string value)
    {
        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", option, value);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(value, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_MissingEventsFile_ExitsOne()
    {
        var run = CliRun.Start(_folder.Path, "analyze", "missing.csv", "-d", "aida");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("funnel: error: missing.csv: file not found.", run.Error.Trim());
    }
}
