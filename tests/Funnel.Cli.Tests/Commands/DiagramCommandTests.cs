namespace Funnel.Cli.Tests.Commands;

public sealed class DiagramCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Diagram_TemplateName_PrintsTheMermaidFlowchart()
    {
        var run = CliRun.Start(_folder.Path, "diagram", "real-estate");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("flowchart LR", run.Out, StringComparison.Ordinal);
        Assert.Contains("Second showing", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagram_DefinitionFileToOutFile_WritesTopToBottomFlowchart()
    {
        Assert.Equal(0, CliRun.Start(_folder.Path, "init", "aida").ExitCode);

        var run = CliRun.Start(_folder.Path, "diagram", "aida.json", "--direction", "tb", "--out", "aida.mmd");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("flowchart TB", File.ReadAllText(_folder.File("aida.mmd")), StringComparison.Ordinal);
    }

    [Fact]
    public void Diagram_UnsupportedFormat_ExitsTwo()
    {
        var run = CliRun.Start(_folder.Path, "diagram", "aida", "--format", "png");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("png", run.Error, StringComparison.Ordinal);
    }
}
