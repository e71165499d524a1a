using System.Globalization;
using System.Xml.Linq;
using Funnel.Core.Metrics;

namespace Funnel.Reporting.Tests.Svg;

public class ConversionTimeChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void RenderSvg_IsWellFormedAndAccessible_WithEveryBinInTheDescription()
    {
        var report = ModeData.Report(FunnelQuery.Default);

        var svg = XDocument.Parse(ConversionTimeChart.RenderSvg(report, 1));
        var root = svg.Root!;

        Assert.Equal("img", (string?)root.Attribute("role"));
        Assert.Equal("conversion-1-title conversion-1-desc", (string?)root.Attribute("aria-labelledby"));
        Assert.Equal("Time to convert into Interest", root.Element(Svg + "title")!.Value);
        Assert.Equal("conversion-1-title", (string?)root.Element(Svg + "title")!.Attribute("id"));
        var desc = root.Element(Svg + "desc")!.Value;
        Assert.Contains("From the anchor: 2 leads, median 1 h 0 min, mean 1 h 30 min, p90 2 h 0 min; 1 h 0 min to 2 h 0 min: 1, 2 h 0 min to 3 h 0 min: 1.", desc, StringComparison.Ordinal);
        Assert.Contains("From the previous step: 2 leads, median 1 h 0 min", desc, StringComparison.Ordinal);
        Assert.Empty(svg.Descendants(Svg + "script"));
        Assert.DoesNotContain(svg.Descendants(), e => e.Attributes().Any(a => a.Name.LocalName == "href"));
    }

    [Fact]
    public void RenderSvg_OneBarPerBin_HeightsProportionalToTheCounts_EachWithATooltip()
    {
        var report = ModeData.Report(FunnelQuery.Default.WithConversionTimeBins(ConversionTimeBins.Edges([TimeSpan.Zero, TimeSpan.FromMinutes(90)])));

        var svg = XDocument.Parse(ConversionTimeChart.RenderSvg(report, 1));
        var panels = svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "histogram").ToList();

        // From the anchor {1 h, 2 h} with edges 0 and 90 min: [0, 90 min) 1, [90 min, ∞) 1.
        Assert.Equal(2, panels.Count);
        var bars = panels[0].Elements(Svg + "rect").ToList();
        Assert.Equal(["1", "1"], bars.Select(b => (string)b.Attribute("data-count")!));
        Assert.Equal(["0 s to 1 h 30 min: 1 lead", "1 h 30 min or more: 1 lead"], bars.Select(b => b.Element(Svg + "title")!.Value));
        var heights = bars.Select(b => double.Parse((string)b.Attribute("height")!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(heights[0], heights[1]);
        Assert.Equal("2", (string?)panels[0].Attribute("data-total"));
    }

    [Fact]
    public void RenderSvg_InterpolatedMedian_IsTheOneShown()
    {
        var report = ModeData.Report(FunnelQuery.Default.WithMedian(MedianKind.Interpolated));

        var svg = ConversionTimeChart.RenderSvg(report, 1);

        Assert.Contains("from the anchor: median 1 h 30 min, n = 2", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderSvg_StepNobodyReached_SaysNoLead()
    {
        var report = ModeData.ReportWithoutL1(FunnelQuery.Default);

        var svg = XDocument.Parse(ConversionTimeChart.RenderSvg(report, 3));

        Assert.Contains("From the anchor: no lead.", svg.Root!.Element(Svg + "desc")!.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(svg.Descendants(Svg + "rect"), r => (string?)r.Attribute("class") == "bin");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void RenderSvg_StepWithoutATimeToConvert_Throws(int step) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ConversionTimeChart.RenderSvg(ModeData.Report(FunnelQuery.Default), step));
}
