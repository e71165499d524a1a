using System.Xml.Linq;
using Funnel.Core;

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
    public void Diagram_SvgFormat_PrintsWellFormedSvgWithEveryStageName()
    {
        var run = CliRun.Start(_folder.Path, "diagram", "b2b-pipeline", "--format", "svg");

        Assert.True(run.ExitCode == 0, run.ToString());
        var svg = XDocument.Parse(run.Out);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        Assert.Equal("img", (string?)svg.Root.Attribute("role"));
        var texts = string.Join("\n", svg.Descendants(ns + "text").Select(t => t.Value));
        foreach (var stage in FunnelTemplates.B2BPipeline.Stages)
        {
            Assert.Contains(stage.DisplayName, texts, StringComparison.Ordinal);
        }

        Assert.Contains("skip", texts, StringComparison.Ordinal);
        Assert.Contains("back", texts, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagram_SvgFormatFromDefinitionFileToOutFile_WritesTheSvg()
    {
        Assert.Equal(0, CliRun.Start(_folder.Path, "init", "customer-journey").ExitCode);

        var run = CliRun.Start(_folder.Path, "diagram", "customer-journey.json", "-f", "svg", "--out", "diagram/journey.svg");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Out);
        var svg = XDocument.Load(_folder.File("diagram/journey.svg"));
        var texts = string.Join("\n", svg.Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value));
        foreach (var stage in FunnelTemplates.CustomerJourney.Stages)
        {
            Assert.Contains(stage.DisplayName, texts, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Diagram_SvgOutFileWithoutFormat_WritesTheSvg()
    {
        var run = CliRun.Start(_folder.Path, "diagram", "aida", "--out", "aida.svg");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("svg", XDocument.Load(_folder.File("aida.svg")).Root!.Name.LocalName);
    }

    [Fact]
    public void Diagram_OutFileWithAnotherExtensionWithoutFormat_ExitsTwoListingTheFormats()
    {
        var run = CliRun.Start(_folder.Path, "diagram", "aida", "--out", "aida.png");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("funnel: error: --out aida.png: the extension '.png' names no format; add --format mermaid|svg, or end the file name in .svg, .mmd, .mermaid or .md.", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.File("aida.png")));
    }

    [Fact]
    public void Diagram_UnsupportedFormat_ExitsTwo()
    {
        var run = CliRun.Start(_folder.Path, "diagram", "aida", "--format", "png");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("png", run.Error, StringComparison.Ordinal);
    }
}
