using System.Globalization;
using System.Text;
using Funnel.Core.Metrics;
using Funnel.Reporting.Internal;

namespace Funnel.Reporting;

/// <summary>
/// Renders the time to convert into one step of a <see cref="FunnelReport"/> (<see cref="FunnelReport.ConversionTimes"/>)
/// as a small SVG chart: two histograms side by side, the time from the anchor and the time from the previous step,
/// one bar per bin with its height proportional to the leads in it.
/// </summary>
/// <remarks>
/// <para>The chart is self-contained (no scripts, no external fonts or images) and accessible: it has
/// <c>role="img"</c>, a <c>&lt;title&gt;</c>, and a <c>&lt;desc&gt;</c> that states every bin in words; each bar has its
/// own <c>&lt;title&gt;</c> (a tooltip). Its ids carry the step, so the charts of several steps can be inlined in one
/// HTML page. Every number is culture-invariant.</para>
/// <para>This type is stateless and thread-safe.</para>
/// </remarks>
public static class ConversionTimeChart
{
    /// <summary>The width of the chart in SVG user units (pixels at 100% zoom).</summary>
    public const int Width = 560;

    private const double Height = 190;
    private const double PanelWidth = 250;
    private const double PanelGap = 30;
    private const double Left = 20;
    private const double PlotTop = 58;
    private const double PlotHeight = 90;

    /// <summary>Renders the chart of one step.</summary>
    /// <param name="report">The report.</param>
    /// <param name="step">The step, 1 to the number of stages − 1 (the first step has no time to convert).</param>
    /// <param name="title">The chart title; "Time to convert into &lt;step&gt;" when <see langword="null"/>.</param>
    /// <returns>The SVG document as text (UTF-8 without a declaration, so it can also be inlined in HTML).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is not a step after the first.</exception>
    public static string RenderSvg(FunnelReport report, int step, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(step, report.ConversionTimes.Length);
        var time = report.ConversionTimes[step - 1];
        var name = ReportText.StepName(report, step);
        var chartTitle = title ?? $"Time to convert into {name}";
        var id = string.Create(CultureInfo.InvariantCulture, $"conversion-{step}");
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"conversion-chart\" width=\"{Width}\" height=\"{Format.Px(Height)}\" viewBox=\"0 0 {Width} {Format.Px(Height)}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <title id=\"{id}-title\">").Append(Format.Escape(chartTitle)).Append("</title>\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <desc id=\"{id}-desc\">").Append(Format.Escape(Describe(report, time, name))).Append("</desc>\n");
        svg.Append("  <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        svg.Append("  <text x=\"20\" y=\"24\" font-size=\"15\" font-weight=\"600\" fill=\"#111827\">").Append(Format.Escape(chartTitle)).Append("</text>\n");
        AppendPanel(svg, Left, "from the anchor", time.FromAnchor, time.FromAnchorHistogram, report.Query.Median);
        AppendPanel(svg, Left + PanelWidth + PanelGap, "from the previous step", time.FromPrevious, time.FromPreviousHistogram, report.Query.Median);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>A bin's range in words: <c>1 h 0 min to 2 h 0 min</c>, <c>below 1 h 0 min</c>, <c>1 d 0 h or more</c>.</summary>
    internal static string Range(DurationBin bin) => (bin.FromSeconds, bin.ToSeconds) switch
    {
        (null, { } to) => $"below {ReportText.Duration(to)}",
        ({ } from, null) => $"{ReportText.Duration(from)} or more",
        ({ } from, { } to) => $"{ReportText.Duration(from)} to {ReportText.Duration(to)}",
        _ => "any time",
    };

    private static void AppendPanel(StringBuilder svg, double x, string label, DurationSummary summary, DurationHistogram histogram, MedianKind median)
    {
        var heading = summary.Count == 0
            ? $"{label}: no lead"
            : $"{label}: median {ReportText.Duration(summary.MedianSecondsOf(median))}, n = {Format.Count(summary.Count)}";
        svg.Append(CultureInfo.InvariantCulture, $"  <g class=\"histogram\" data-bins=\"{histogram.Bins.Length}\" data-total=\"{histogram.Total}\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(x)}\" y=\"{Format.Px(PlotTop - 14)}\" font-size=\"12\" fill=\"#374151\">{Format.Escape(heading)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"    <line x1=\"{Format.Px(x)}\" y1=\"{Format.Px(PlotTop + PlotHeight)}\" x2=\"{Format.Px(x + PanelWidth)}\" y2=\"{Format.Px(PlotTop + PlotHeight)}\" stroke=\"#9ca3af\" stroke-width=\"1\"/>\n");
        var bins = histogram.Bins;
        if (bins.IsEmpty)
        {
            svg.Append("  </g>\n");
            return;
        }

        var max = Math.Max(1, bins.Max(b => b.Count));
        var width = PanelWidth / bins.Length;
        for (var i = 0; i < bins.Length; i++)
        {
            var bin = bins[i];
            var height = bin.Count == 0 ? 0 : Math.Max(1, PlotHeight * bin.Count / max);
            var barX = x + (i * width) + 1;
            svg.Append(CultureInfo.InvariantCulture, $"    <rect class=\"bin\" x=\"{Format.Px(barX)}\" y=\"{Format.Px(PlotTop + PlotHeight - height)}\" width=\"{Format.Px(Math.Max(1, width - 2))}\" height=\"{Format.Px(height)}\" fill=\"#60a5fa\" stroke=\"#1e3a8a\" stroke-width=\"1\" data-count=\"{bin.Count}\">");
            svg.Append("<title>").Append(Format.Escape($"{Range(bin)}: {Leads(bin.Count)}")).Append("</title></rect>\n");
        }

        // The axis: where the first bin starts and the last one ends, and the tallest bar's count.
        var (first, last) = (bins[0], bins[^1]);
        var start = first.FromSeconds is { } f ? ReportText.Duration(f) : $"below {ReportText.Duration(first.ToSeconds ?? 0)}";
        var end = last.ToSeconds is { } t ? ReportText.Duration(t) : $"{ReportText.Duration(last.FromSeconds ?? 0)}+";
        svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(x)}\" y=\"{Format.Px(PlotTop + PlotHeight + 16)}\" font-size=\"11\" fill=\"#4b5563\">{Format.Escape(start)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(x + PanelWidth)}\" y=\"{Format.Px(PlotTop + PlotHeight + 16)}\" text-anchor=\"end\" font-size=\"11\" fill=\"#4b5563\">{Format.Escape(end)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(x + PanelWidth)}\" y=\"{Format.Px(PlotTop - 2)}\" text-anchor=\"end\" font-size=\"10\" fill=\"#6b7280\">max {Format.Escape(Leads(max))} a bin</text>\n");
        svg.Append("  </g>\n");
    }

    private static string Describe(FunnelReport report, StepConversionTime time, string name)
    {
        var text = new StringBuilder();
        text.Append("Histograms of the time to convert into ").Append(name).Append(" of the leads whose counted attempt reached it. ");
        foreach (var (label, summary, histogram) in new[] { ("From the anchor", time.FromAnchor, time.FromAnchorHistogram), ("From the previous step", time.FromPrevious, time.FromPreviousHistogram) })
        {
            text.Append(label).Append(": ");
            if (summary.Count == 0)
            {
                text.Append("no lead. ");
                continue;
            }

            text.Append(Leads(summary.Count)).Append(", median ").Append(ReportText.Duration(summary.MedianSecondsOf(report.Query.Median)))
                .Append(", mean ").Append(ReportText.Duration(summary.MeanSeconds)).Append(", p90 ").Append(ReportText.Duration(summary.P90Seconds)).Append("; ")
                .Append(string.Join(", ", histogram.Bins.Select(b => $"{Range(b)}: {Format.Count(b.Count)}"))).Append(". ");
        }

        return text.ToString().TrimEnd();
    }

    private static string Leads(long count) => $"{Format.Count(count)} {(count == 1 ? "lead" : "leads")}";
}
