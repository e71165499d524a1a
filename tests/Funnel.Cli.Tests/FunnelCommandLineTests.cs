namespace Funnel.Cli.Tests;

public sealed class FunnelCommandLineTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Help_Root_ListsEveryCommandAndExitsZero()
    {
        var run = CliRun.Start(_folder.Path, "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var command in new[] { "validate", "diagram", "analyze", "generate", "templates", "init" })
        {
            Assert.Contains(command, run.Out, StringComparison.Ordinal);
        }

        Assert.Contains("funnel", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate", "<definition>")]
    [InlineData("diagram", "--format")]
    [InlineData("analyze", "--definition")]
    [InlineData("generate", "--entities")]
    [InlineData("templates", "Usage")]
    [InlineData("init", "<template>")]
    public void Help_EveryCommand_DescribesItsOptionsAndExitsZero(string command, string expected)
    {
        var run = CliRun.Start(_folder.Path, command, "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(expected, run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCommand_PrintsOneErrorAndTheCommandList()
    {
        var run = CliRun.Start(_folder.Path, "frob");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(
            [
                "funnel: error: unknown command 'frob'.",
                "Commands: validate, diagram, analyze, generate, templates, init. Run 'funnel --help' for usage.",
            ],
            Lines(run.Error));
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void MisspeltCommand_SuggestsTheNearestCommand()
    {
        var run = CliRun.Start(_folder.Path, "anlyze", "events.csv");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("funnel: error: unknown command 'anlyze'; did you mean 'analyze'?", Lines(run.Error)[0]);
    }

    [Fact]
    public void NoCommand_ExitsTwoWithTheCommandList()
    {
        var run = CliRun.Start(_folder.Path);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("funnel: error: no command given.", Lines(run.Error)[0]);
        Assert.StartsWith("Commands: validate, diagram,", Lines(run.Error)[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--entities: 'abc' is not a whole number.", "generate", "-n", "abc", "-o", "x.csv")]
    [InlineData("--entities: 99999999999 is too large; it must be at most 500,000,000.", "generate", "-n", "99999999999", "-o", "x.csv")]
    [InlineData("--entities: -5 is negative; it must be 0 or more.", "generate", "-n", "-5", "-o", "x.csv")]
    [InlineData("--seed: -1 is negative; it must be 0 or more.", "generate", "-n", "5", "-o", "x.csv", "--seed", "-1")]
    [InlineData("--seed: '1e3' is not a whole number.", "generate", "-n", "5", "-o", "x.csv", "--seed", "1e3")]
    [InlineData("--max-bad-rows: -3 is negative; it must be 0 or more.", "analyze", "events.csv", "-d", "aida", "--max-bad-rows", "-3")]
    [InlineData("--max-bad-rows: 'ten' is not a whole number.", "analyze", "events.csv", "-d", "aida", "--max-bad-rows", "ten")]
    public void NumericOption_BadValue_ExitsTwoWithOneLineNamingTheOption(string message, params string[] args)
    {
        var run = CliRun.Start(_folder.Path, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        var lines = Lines(run.Error);
        Assert.Equal(["funnel: error: " + message, $"Run 'funnel {args[0]} --help' for usage."], lines);
        Assert.DoesNotContain("System.", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.File("x.csv")));
    }

    [Fact]
    public void AllowedValues_AreListedOnOneLineNamingTheOption()
    {
        var run = CliRun.Start(_folder.Path, "analyze", "events.csv", "-d", "aida", "--format", "pdf");

        Assert.True(run.ExitCode == 2, run.ToString());
        var error = Lines(run.Error)[0];
        Assert.StartsWith("funnel: error: --format: ", error, StringComparison.Ordinal);
        Assert.Contains("'pdf'", error, StringComparison.Ordinal);
        Assert.Contains("'table' 'json' 'html' 'svg'", error, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void MissingRequiredOption_ExitsTwoNamingTheOption()
    {
        var run = CliRun.Start(_folder.Path, "analyze", "events.csv");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--definition", run.Error, StringComparison.Ordinal);
        Assert.Contains("Run 'funnel analyze --help' for usage.", run.Error, StringComparison.Ordinal);
    }
}
