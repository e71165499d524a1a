using System.Globalization;
using System.Xml.Linq;
using Funnel.Core;
using Funnel.Core.Metrics;

namespace Funnel.Reporting.Tests.Svg;

public class FunnelChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly FunnelReport Report = DemoData.Report(DemoData.Journeys());

    [Fact]
    public void RenderSvg_IsWellFormedAndAccessible()
    {
        var svg = XDocument.Parse(FunnelChart.RenderSvg(Report));
        var root = svg.Root!;

        Assert.Equal("img", (string?)root.Attribute("role"));
        Assert.Equal("funnel-title funnel-desc", (string?)root.Attribute("aria-labelledby"));
        Assert.StartsWith("Customer journey", root.Element(Svg + "title")!.Value, StringComparison.Ordinal);
        var desc = root.Element(Svg + "desc")!.Value;
        foreach (var stage in Report.Stages)
        {
            Assert.Contains($"{stage.Stage.DisplayName}{(stage.Stage.Kind == StageKind.Key ? " (key stage)" : "")}: {stage.Reached.ToString("N0", CultureInfo.InvariantCulture)} reached", desc, StringComparison.Ordinal);
        }

        Assert.Empty(svg.Descendants(Svg + "script"));
        Assert.DoesNotContain(svg.Descendants(), e => e.Attributes().Any(a => a.Name.LocalName == "href"));
    }

    [Fact]
    public void RenderSvg_BarWidths_AreProportionalToReached()
    {
        var svg = XDocument.Parse(FunnelChart.RenderSvg(Report));
        var groups = svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "stage").ToList();

        Assert.Equal(Report.Stages.Select(s => s.Stage.Key.Value), groups.Select(g => (string)g.Attribute("data-stage")!));
        var widths = groups.Select(g => double.Parse((string)g.Element(Svg + "rect")!.Attribute("width")!, CultureInfo.InvariantCulture)).ToList();
        var max = Report.Reached.Max();
        for (var i = 0; i < widths.Count; i++)
        {
            var expected = Report.Reached[i] == 0 ? 0 : Math.Max(2, 440.0 * Report.Reached[i] / max);
            Assert.Equal(expected, widths[i], 0.01);
        }
    }

    [Fact]
    public void RenderSvg_EachBar_CarriesCountConversionAndLosses_AndGapsCarryDropOff()
    {
        var svg = XDocument.Parse(FunnelChart.RenderSvg(Report));
        var groups = svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "stage").ToList();

        for (var i = 0; i < groups.Count; i++)
        {
            var stage = Report.Stages[i];
            var texts = groups[i].Elements(Svg + "text").Select(t => t.Value).ToList();
            Assert.Contains($"{stage.Reached.ToString("N0", CultureInfo.InvariantCulture)} leads", texts);
            Assert.Contains(texts, t => t.Contains("% of top", StringComparison.Ordinal));
            if (i > 0)
            {
                Assert.Contains(texts, t => t.Contains($"{(stage.ConversionFromPrevious.Value * 100).ToString("0.0", CultureInfo.InvariantCulture)}% from previous", StringComparison.Ordinal));
            }

            if (stage.Losses.Total > 0)
            {
                Assert.Contains($"✕ {stage.Losses.Total.ToString("N0", CultureInfo.InvariantCulture)} lost", texts);
            }
        }

        var drops = svg.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "drop").Select(t => t.Value).ToList();
        Assert.Equal(Report.Stages.Length - 1, drops.Count);
        var firstDrop = Report.Reached[0] - Report.Reached[1];
        Assert.StartsWith($"▼ {firstDrop.ToString("N0", CultureInfo.InvariantCulture)} did not reach the next stage", drops[0], StringComparison.Ordinal);
    }

    [Fact]
    public void RenderSvg_EmptyReportAndMarkupInNames_StayValid()
    {
        var definition = new FunnelDefinitionBuilder("x", "A & B <funnel>")
            .AddStage("a", s => s.WithDisplayName("\"Quoted\" & <b>").WithKind(StageKind.Technical))
            .AddStage("b")
            .WonAt("b")
            .Build();
        var empty = FunnelReport.Compute(definition, Array.Empty<Journey>());

        var svg = XDocument.Parse(FunnelChart.RenderSvg(empty));

        Assert.Contains("\"Quoted\" & <b>", svg.Descendants(Svg + "text").Select(t => t.Value));
        Assert.Contains("technical", svg.Descendants(Svg + "text").Select(t => t.Value));
    }

    [Fact]
    public void RenderSvg_LongStageName_IsWrappedAndShortenedWithTheFullNameInATitle()
    {
        const string Long = "Qualified by the inside sales team after the discovery call";
        var definition = new FunnelDefinitionBuilder("x")
            .AddStage("a", s => s.WithDisplayName(Long).WithKind(StageKind.Key))
            .AddStage("b", s => s.WithDisplayName("Won"))
            .WonAt("b")
            .Build();

        var svg = XDocument.Parse(FunnelChart.RenderSvg(FunnelReport.Compute(definition, Array.Empty<Journey>())));

        var group = svg.Descendants(Svg + "g").First(g => (string?)g.Attribute("data-stage") == "a");
        Assert.Equal(Long, group.Element(Svg + "title")!.Value);
        var labels = group.Elements(Svg + "text").Where(t => (string?)t.Attribute("text-anchor") == "end").Select(t => t.Value).ToList();
        Assert.Equal(["Qualified by the", "inside sales team aft…", "key stage"], labels);
        Assert.All(labels, l => Assert.True(l.Length <= 22, l));
    }
}
