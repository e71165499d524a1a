using Funnel.Core;

namespace Funnel.Reporting.Tests.Browser;

/// <summary>
/// Opens the SVG chart and the HTML report in headless Chromium: each must render (a screenshot that is not blank)
/// and keep every stage name in the DOM. The screenshots are kept in the test output folder (rendered/) to look at.
/// </summary>
public sealed class BrowserRenderingTests
{
    private static readonly string Output = Path.Combine(AppContext.BaseDirectory, "rendered");

    private static string Write(string name, string content)
    {
        Directory.CreateDirectory(Output);
        var path = Path.Combine(Output, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static void AssertRendered(string file, string screenshotName, int width, int height, FunnelDefinition? definition = null)
    {
        var bytes = HeadlessChromium.Screenshot(file, width, height);
        File.WriteAllBytes(Path.Combine(Output, screenshotName), bytes);
        var png = Png.Decode(bytes);
        var (colours, nonWhite) = png.Analyse();

        Assert.Equal(width, png.Width);
        Assert.True(colours > 50, $"{screenshotName} looks blank: only {colours} distinct colours.");
        Assert.InRange(nonWhite, 0.05, 0.95);

        var dom = HeadlessChromium.DumpDom(file);
        foreach (var stage in (definition ?? DemoData.Definition).Stages)
        {
            Assert.Contains(stage.DisplayName, dom, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SvgChartAndHtmlReport_RenderInChromium_WithEveryStageName()
    {
        var svg = Write("funnel-chart.svg", FunnelChart.RenderSvg(DemoData.Report(DemoData.Journeys())));
        var html = Write("funnel-report.html", Html.HtmlReportBuilderTests.FullReport());

        AssertRendered(svg, "funnel-chart.png", 1120, 560);
        AssertRendered(html, "funnel-report.png", 1200, 2600);
    }

    [Fact]
    public void DefinitionDiagrams_RenderInChromium_WithEveryStageName()
    {
        var journey = Write("definition-diagram.svg", DefinitionDiagram.RenderSvg(DemoData.Definition));
        var b2b = Write("definition-diagram-b2b.svg", DefinitionDiagram.RenderSvg(FunnelTemplates.B2BPipeline));

        AssertRendered(journey, "definition-diagram.png", 1160, 560);
        AssertRendered(b2b, "definition-diagram-b2b.png", 1160, 560, FunnelTemplates.B2BPipeline);
    }
}
