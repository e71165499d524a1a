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
    public void UnknownCommand_ExitsTwoWithAnErrorAndAUsageHint()
    {
        var run = CliRun.Start(_folder.Path, "frobnicate");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("funnel: error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("Run 'funnel --help' for usage.", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void MissingRequiredOption_ExitsTwoNamingTheOption()
    {
        var run = CliRun.Start(_folder.Path, "analyze", "events.csv");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--definition", run.Error, StringComparison.Ordinal);
        Assert.Contains("Run 'funnel analyze --help' for usage.", run.Error, StringComparison.Ordinal);
    }
}
