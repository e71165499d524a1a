using Funnel.Core.Bulk;

namespace Funnel.Cli.Tests.Commands;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Generate_Csv_WritesEveryEventOfTheBenchmarkGeneratorWithKeysAndSources()
    {
        var run = CliRun.Start(_folder.Path, "generate", "--entities", "250", "--seed", "7", "--out", "events.csv");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = File.ReadAllLines(_folder.File("events.csv"));
        var expected = TransitionLogGenerator.Generate(250, 7);
        Assert.Equal("entity,stage,timestamp,loss_reason,source", lines[0]);
        Assert.Equal(expected.Count, lines.Length - 1);
        var first = lines[1].Split(',');
        Assert.Equal(expected.EntityIds[0].ToString(System.Globalization.CultureInfo.InvariantCulture), first[0]);
        Assert.Equal("awareness", first[1]);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(expected.Timestamps[0]).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), first[2]);
        Assert.Contains(first[4], new[] { "organic", "ads", "email", "referral" });
        Assert.Contains($"Generated {expected.Count:N0} events of 250 entities (seed 7)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_SameSeedTwice_WritesIdenticalFiles()
    {
        Assert.Equal(0, CliRun.Start(_folder.Path, "generate", "-n", "100", "-o", "a.csv").ExitCode);
        Assert.Equal(0, CliRun.Start(_folder.Path, "generate", "-n", "100", "-o", "b.csv").ExitCode);

        Assert.Equal(File.ReadAllBytes(_folder.File("a.csv")), File.ReadAllBytes(_folder.File("b.csv")));
    }

    [Fact]
    public void Generate_FunnelWithTooFewStages_ExitsOneExplaining()
    {
        var run = CliRun.Start(_folder.Path, "generate", "-n", "10", "-o", "x.csv", "--definition", "aida");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("at least 6 stages and 4 loss reasons; 'aida' has 4 stages", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.File("x.csv")));
    }

    [Theory]
    [InlineData("events.txt", "the extension '.txt'")]
    [InlineData("events", "a file name without an extension")]
    public void Generate_OutWithAnotherExtension_ExitsTwoNamingTheFormats(string output, string what)
    {
        var run = CliRun.Start(_folder.Path, "generate", "-n", "10", "-o", output);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"funnel: error: --out {output}: {what} names no format; end the file name in .csv or .bin.", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.File(output)));
    }

    [Fact]
    public void Generate_OutDirectory_SaysItIsADirectory()
    {
        Directory.CreateDirectory(_folder.File("data"));

        var run = CliRun.Start(_folder.Path, "generate", "-n", "10", "-o", "data");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("funnel: error: --out data: is a directory, not a file; name a file (in it, or elsewhere).", run.Error.Trim());
    }

    [Fact]
    public void Generate_NegativeEntities_ExitsTwo()
    {
        var run = CliRun.Start(_folder.Path, "generate", "-n", "-5", "-o", "x.csv");

        Assert.True(run.ExitCode == 2, run.ToString());
    }
}
