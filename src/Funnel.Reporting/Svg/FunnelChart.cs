using System.Globalization;
using System.Text;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Reporting.Internal;

namespace Funnel.Reporting;

/// <summary>
/// Renders a <see cref="FunnelReport"/> as an SVG funnel chart: one centred bar per stage, its width proportional
/// to the leads that reached the stage; on each bar the count and the conversion from the top and from the previous
/// stage; between bars the drop-off; beside each bar the leads lost there by reason.
/// </summary>
/// <remarks>
/// <para>The chart is self-contained (no scripts, no external fonts or images) and accessible: it has
/// <c>role="img"</c>, a <c>&lt;title&gt;</c> and a <c>&lt;desc&gt;</c> that states every number in words, and key and
/// technical stages are named in their labels, so colour is never the only cue. Every number is culture-invariant.</para>
/// <para>This type is stateless and thread-safe.</para>
/// </remarks>
public static class FunnelChart
{
    /// <summary>The width of the chart in SVG user units (pixels at 100% zoom).</summary>
    public const int Width = 1120;

    private const double LabelColumn = 210;
    private const double BarArea = 440;
    private const double LossColumnX = LabelColumn + BarArea + 120;
    private const double Top = 64;
    private const double BarHeight = 46;
    private const double Gap = 30;
    private const double CharWidth = 7.4;

    /// <summary>The most characters of a stage name per line in the label column (14 px semi-bold text in 198 px).</summary>
    private const int MaxLabelChars = 22;

    /// <summary>Renders the chart.</summary>
    /// <param name="report">The report.</param>
    /// <param name="title">The chart title; the definition's display name when <see langword="null"/>.</param>
    /// <returns>The SVG document as text (UTF-8 without a declaration, so it can also be inlined in HTML).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static string RenderSvg(FunnelReport report, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var definition = report.Definition;
        var stages = report.Stages;
        var chartTitle = title ?? $"{definition.DisplayName}: leads reaching each stage";
        var max = Math.Max(1, report.Reached.IsEmpty ? 1 : report.Reached.Max());
        var top = stages.IsEmpty ? 0 : stages[0].Reached;
        var height = Top + (stages.Length * (BarHeight + Gap)) + 30;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Format.Px(height)}\" viewBox=\"0 0 {Width} {Format.Px(height)}\" role=\"img\" aria-labelledby=\"funnel-title funnel-desc\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif\">\n");
        svg.Append("  <title id=\"funnel-title\">").Append(Format.Escape(chartTitle)).Append("</title>\n");
        svg.Append("  <desc id=\"funnel-desc\">").Append(Format.Escape(Describe(report))).Append("</desc>\n");
        svg.Append("  <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        svg.Append("  <text x=\"20\" y=\"30\" font-size=\"20\" font-weight=\"600\" fill=\"#111827\">").Append(Format.Escape(chartTitle)).Append("</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"20\" y=\"50\" font-size=\"13\" fill=\"#374151\">{Format.Escape(Summary(report))}</text>\n");
        if (!report.IsUnordered)
        {
            svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"{Format.Px(LossColumnX)}\" y=\"{Format.Px(Top - 8)}\" font-size=\"12\" font-weight=\"600\" fill=\"#374151\">Lost at this stage, by reason</text>\n");
        }


        for (var i = 0; i < stages.Length; i++)
        {
            var stage = stages[i];
            var y = Top + (i * (BarHeight + Gap));
            var width = stage.Reached == 0 ? 0 : Math.Max(2, BarArea * stage.Reached / max);
            var x = LabelColumn + ((BarArea - width) / 2);
            var (fill, stroke, dash) = stage.Stage.Kind switch
            {
                StageKind.Key => ("#f59e0b", "#92400e", ""),
                StageKind.Technical => ("#cbd5e1", "#475569", " stroke-dasharray=\"6 3\""),
                _ => ("#60a5fa", "#1e3a8a", ""),
            };
            var fromTop = stage.ConversionFromTop?.Value ?? (top == 0 ? 0 : (double)stage.Reached / top);
            svg.Append(CultureInfo.InvariantCulture, $"  <g class=\"stage\" data-stage=\"{Format.Escape(stage.Stage.Key.Value)}\" data-reached=\"{stage.Reached}\">\n");

            // The stage name and its kind, left of the bar. A name too long for the label column is wrapped onto a
            // second line and cut there with an ellipsis, so it never runs off the left edge; the full name is the
            // group's <title> (a tooltip) and is in the chart's description.
            // An unordered funnel's bar is "k steps", whichever stages they were: no stage name, kind or losses.
            var kind = report.IsUnordered ? string.Empty : Format.KindLabel(stage.Stage.Kind);
            var label = ReportText.StepName(report, i);
            var (name1, name2) = WrapLabel(label, MaxLabelChars);
            svg.Append("    <title>").Append(Format.Escape(label)).Append("</title>\n");
            var nameY = y + (name2 is null ? (kind.Length > 0 ? 20 : 28) : 15);
            svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(LabelColumn - 12)}\" y=\"{Format.Px(nameY)}\" text-anchor=\"end\" font-size=\"14\" font-weight=\"600\" fill=\"#111827\">{Format.Escape(name1)}</text>\n");
            if (name2 is not null)
            {
                svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(LabelColumn - 12)}\" y=\"{Format.Px(nameY + 16)}\" text-anchor=\"end\" font-size=\"14\" font-weight=\"600\" fill=\"#111827\">{Format.Escape(name2)}</text>\n");
            }

            if (kind.Length > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(LabelColumn - 12)}\" y=\"{Format.Px(y + (name2 is null ? 37 : 45))}\" text-anchor=\"end\" font-size=\"11\" fill=\"#4b5563\">{kind}</text>\n");
            }

            svg.Append(CultureInfo.InvariantCulture, $"    <rect class=\"bar\" x=\"{Format.Px(x)}\" y=\"{Format.Px(y)}\" width=\"{Format.Px(width)}\" height=\"{Format.Px(BarHeight)}\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash}/>\n");

            // The count and conversions: on the bar when they fit, otherwise beside it.
            var line1 = $"{Format.Count(stage.Reached)} leads";
            var line2 = i == 0 ? $"{Format.Percent(fromTop)} of top" : $"{Format.Percent(fromTop)} of top · {Format.Percent(stage.ConversionFromPrevious.Value)} from previous";
            var textWidth = Math.Max(line1.Length, line2.Length) * CharWidth;
            var inside = width >= textWidth + 16;
            var textX = inside ? LabelColumn + (BarArea / 2) : x + width + 8;
            var anchor = inside ? "middle" : "start";
            var small = stage.ConversionFromPrevious.IsSmallSample ? " (small sample)" : string.Empty;
            svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(textX)}\" y=\"{Format.Px(y + 19)}\" text-anchor=\"{anchor}\" font-size=\"14\" font-weight=\"700\" fill=\"#111827\">{Format.Escape(line1)}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(textX)}\" y=\"{Format.Px(y + 36)}\" text-anchor=\"{anchor}\" font-size=\"12\" fill=\"#111827\">{Format.Escape(line2 + small)}</text>\n");

            // Lost reasons beside the bar.
            var losses = stage.Losses;
            if (losses.Total > 0 && !report.IsUnordered)
            {
                svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(LossColumnX)}\" y=\"{Format.Px(y + 19)}\" font-size=\"13\" font-weight=\"600\" fill=\"#991b1b\">✕ {Format.Count(losses.Total)} lost</text>\n");
                var reasons = losses.ByReason.Where(r => r.Count > 0).OrderByDescending(r => r.Count).ThenBy(r => r.Reason.Key).ToList();
                for (var k = 0; k < Math.Min(2, reasons.Count); k++)
                {
                    var more = k == 1 && reasons.Count > 2 ? $" (+{reasons.Count - 2} more)" : string.Empty;
                    var line = $"{Format.Shorten(reasons[k].Reason.DisplayName, 36)}: {Format.Count(reasons[k].Count)}{more}";
                    svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(LossColumnX)}\" y=\"{Format.Px(y + 34 + (k * 14))}\" font-size=\"11\" fill=\"#374151\">{Format.Escape(line)}</text>\n");
                }
            }

            svg.Append("  </g>\n");

            // The drop-off to the next stage, in the gap.
            if (i + 1 < stages.Length)
            {
                var next = stages[i + 1];
                var drop = stage.Reached - next.Reached;
                var dropText = drop >= 0
                    ? $"▼ {Format.Count(drop)} did not reach the next stage ({Format.Percent(stage.Reached == 0 ? 0 : (double)drop / stage.Reached)})"
                    : $"▲ {Format.Count(-drop)} more reached the next stage (skips, re-entries)";
                svg.Append(CultureInfo.InvariantCulture, $"  <text class=\"drop\" x=\"{Format.Px(LabelColumn + (BarArea / 2))}\" y=\"{Format.Px(y + BarHeight + 20)}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#4b5563\">{Format.Escape(dropText)}</text>\n");
            }
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>
    /// Splits a label into at most two lines of at most <paramref name="max"/> characters: at the last space that fits,
    /// or inside a word that is longer than a line; a second line that is still too long ends with an ellipsis.
    /// </summary>
    internal static (string First, string? Second) WrapLabel(string text, int max)
    {
        if (text.Length <= max)
        {
            return (text, null);
        }

        var space = text.LastIndexOf(' ', max);
        var (first, rest) = space > 0 ? (text[..space], text[(space + 1)..]) : (text[..max], text[max..]);
        return (first, Format.Shorten(rest.TrimStart(), max));
    }

    internal static string Summary(FunnelReport report) =>
        $"{Format.Count(report.Leads)} leads{(report.Query.Exclusions.IsEmpty ? string.Empty : $" ({Format.Count(report.Excluded)} excluded)")} · won {Format.Count(report.Won)} · lost {Format.Count(report.Lost)} · {ReportText.NotClosed} {Format.Count(report.Open)} · overall conversion {Format.Percent(report.OverallConversion.Value)} (95% CI {Format.Interval(report.OverallConversion)})"
            .Replace("95%", Format.Number(report.OverallConversion.Interval.Level * 100) + "%", StringComparison.Ordinal);

    private static string Describe(FunnelReport report)
    {
        var text = new StringBuilder();
        text.Append("Funnel chart of ").Append(report.Definition.DisplayName).Append(". ").Append(Summary(report)).Append('.');
        for (var i = 0; i < report.Stages.Length; i++)
        {
            var stage = report.Stages[i];
            text.Append(' ').Append(ReportText.StepName(report, i));
            var kind = report.IsUnordered ? string.Empty : Format.KindLabel(stage.Stage.Kind);
            if (kind.Length > 0)
            {
                text.Append(" (").Append(kind).Append(')');
            }

            text.Append(": ").Append(Format.Count(stage.Reached)).Append(" reached");
            if (stage.Stage.Order > 0)
            {
                text.Append(", ").Append(Format.Percent(stage.ConversionFromPrevious.Value)).Append(" of the previous stage");
            }

            if (stage.Losses.Total > 0 && !report.IsUnordered)
            {
                text.Append(", ").Append(Format.Count(stage.Losses.Total)).Append(" lost");
            }

            text.Append('.');
        }

        return text.ToString();
    }
}
