using System.Text.Json;

namespace Funnel.Cli.Tests.Commands;

/// <summary>Input and output paths: directories named as such, --out checked before the input is read, the format from --out's extension.</summary>
public sealed partial class AnalyzeCommandTests
{
    [Fact]
    public void Analyze_DirectoryAsEvents_SaysItIsADirectory()
    {
        Directory.CreateDirectory(_folder.File("logs"));

        var run = CliRun.Start(_folder.Path, "analyze", "logs", "-d", "aida");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("funnel: error: logs: is a directory, not a file; give the event log file.", run.Error.Trim());
    }

    [Fact]
    public void Analyze_DirectoryAsDefinition_SaysItIsADirectory()
    {
        _folder.Write("events.csv", HandLog);
        Directory.CreateDirectory(_folder.File("defs"));

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "defs");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("funnel: error: defs: is a directory, not a file; give a definition JSON file.", run.Error.Trim());
    }

    [Fact]
    public void Analyze_DirectoryAsOut_SaysItIsADirectoryBeforeReading()
    {
        _folder.Write("events.csv", HandLog);
        Directory.CreateDirectory(_folder.File("reports"));

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "-f", "json", "--out", "reports");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("funnel: error: --out reports: is a directory, not a file; name a file (in it, or elsewhere).", run.Error.Trim());
    }

    [Fact]
    public void Analyze_UnwritableOut_FailsBeforeTheInputIsRead()
    {
        // A folder on the way that is a file cannot be created, whoever runs the test (root included).
        _folder.Write("events.csv", HandLog);
        _folder.Write("taken", "a file, not a folder");

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--out", "taken/report.json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("funnel: error: --out taken/report.json: cannot write the file: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("taken is a file, not a folder.", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("bad row skipped", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Read ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_NewOutFileThatFails_IsNotLeftBehindByTheCheck()
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "nosuch", "--out", "report.json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.False(File.Exists(_folder.File("report.json")));
    }

    [Theory]
    [InlineData("report.txt", "the extension '.txt'")]
    [InlineData("report", "a file name without an extension")]
    public void Analyze_OutWithoutAFormatItsExtensionNames_ExitsTwoListingTheFormats(string output, string what)
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--out", output);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(
            $"funnel: error: --out {output}: {what} names no format; add --format table|json|html|svg, or end the file name in .json, .html, .htm or .svg.",
            run.Error,
            StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.File(output)));
    }

    [Fact]
    public void Analyze_OutExtensionWithoutFormat_PicksTheFormat()
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--max-bad-rows", "3", "--out", "report.JSON", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(_folder.File("report.JSON")));
        Assert.Equal("aida", json.RootElement.GetProperty("report").GetProperty("definition").GetString());
    }

    [Fact]
    public void Analyze_ExplicitFormat_WinsOverTheExtension()
    {
        _folder.Write("events.csv", HandLog);

        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--max-bad-rows", "3", "-f", "table", "--out", "report.txt", "-q");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Funnel 'aida'", File.ReadAllText(_folder.File("report.txt")), StringComparison.Ordinal);
    }
}
