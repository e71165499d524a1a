using System.Text.Json;

namespace Funnel.Cli.Tests;

/// <summary>The README's analyst path on the checked-in files of samples/data, run from the repository root.</summary>
public sealed class BundledDataTests
{
    private static readonly string RepositoryRoot = FindRoot();

    [Fact]
    public void BundledDefinition_IsValid()
    {
        var run = CliRun.Start(RepositoryRoot, "validate", "samples/data/funnel.json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("valid funnel 'customer-journey'", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void BundledEvents_AnalyzeWithTheDefinition_AllRowsKeptAndTheFullReportComputed()
    {
        var run = CliRun.Start(RepositoryRoot, "analyze", "samples/data/events.csv", "--definition", "samples/data/funnel.json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Read 67,639 rows from samples/data/events.csv", run.Error, StringComparison.Ordinal);
        Assert.Contains("67,639 events kept, 0 bad rows skipped.", run.Error, StringComparison.Ordinal);
        Assert.Contains("Analysed 67,639 events of 20,000 leads", run.Error, StringComparison.Ordinal);
        Assert.Contains("Outcomes", run.Out, StringComparison.Ordinal);
        Assert.Contains("Funnel 'customer-journey'", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void BundledEvents_ReportTheMovesTheirDefinitionDoesNotAllow()
    {
        // The generator makes leads go back and re-enter; the bundled definition allows forward moves only (issue 19).
        var table = CliRun.Start(RepositoryRoot, "analyze", "samples/data/events.csv", "-d", "samples/data/funnel.json", "-q");
        var json = CliRun.Start(RepositoryRoot, "analyze", "samples/data/events.csv", "-d", "samples/data/funnel.json", "-q", "-f", "json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains(
            "5,604 moves not allowed by the definition (3,155 back moves, 2,449 re-entries): Awareness → Awareness 2,449, Research → Awareness 1,530, Engagement → Research 874, Convert → Engagement 426, Post-purchase → Convert 325.",
            System.Text.RegularExpressions.Regex.Replace(table.Out, @"\s+", " "),
            StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        var back = document.RootElement.GetProperty("dataQuality").GetProperty("disallowedMovesByPair").EnumerateArray()
            .Where(m => m.GetProperty("kind").GetString() == "back").Sum(m => m.GetProperty("count").GetInt64());
        Assert.Equal(3_155, back);
    }

    [Fact]
    public void BundledCosts_AdsWorkAtALossAndTheOthersPay()
    {
        var run = CliRun.Start(RepositoryRoot, "analyze", "samples/data/events.csv", "-d", "samples/data/funnel.json", "--costs", "samples/data/costs.csv", "-f", "json", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var verdicts = json.RootElement.GetProperty("economics").EnumerateArray()
            .ToDictionary(e => e.GetProperty("source").GetString()!, e => e.GetProperty("verdict").GetString());
        Assert.Equal("works at a loss", verdicts["ads"]);
        Assert.Equal("profitable", verdicts["organic"]);
        Assert.Equal("profitable", verdicts["email"]);
        Assert.Equal("profitable", verdicts["referral"]);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Funnel.Core.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Funnel.Core.sln not found above " + AppContext.BaseDirectory);
    }
}
