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
