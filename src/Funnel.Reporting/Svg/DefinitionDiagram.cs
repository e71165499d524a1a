using System.Globalization;
using System.Text;
using Funnel.Core;
using Funnel.Reporting.Internal;

namespace Funnel.Reporting;

/// <summary>
/// Renders a <see cref="FunnelDefinition"/> as an SVG diagram, the picture counterpart of
/// <see cref="MermaidDiagram"/>: the stages as boxes in funnel order from left to right, every allowed move, the goal
/// stage and the stages after it, and the won and lost outcomes with the loss reasons.
/// </summary>
/// <remarks>
/// <para>Forward moves are solid arrows between neighbouring boxes. Skips are dashed arcs above the boxes labelled
/// <c>skip</c>, moves back are dashed arcs below labelled <c>back</c>, re-entries are loops labelled <c>again</c>.
/// Key stages have a thick border and the text <c>key stage</c>, technical stages a dashed border and the text
/// <c>technical</c>, the goal stage a double border and the text <c>★ goal</c>; the stages after the goal sit in a
/// shaded band labelled <c>after the goal</c>. A thick arrow labelled <c>won</c> leads from the goal to the
/// <c>Won</c> box; when the definition has loss reasons, a dotted line labelled <c>lost</c> collects every stage before
/// the goal into the <c>Lost</c> box, which lists the reasons. So colour is never the only cue.</para>
/// <para>At most <see cref="StagesPerRow"/> stages go in one row; longer funnels wrap onto further rows, the last stage
/// of a row leading to the first of the next. The diagram is self-contained (no scripts, no external fonts or images)
/// and accessible: <c>role="img"</c>, a <c>&lt;title&gt;</c>, and a <c>&lt;desc&gt;</c> that states every stage, move and
/// outcome in words; every stage name is SVG text, and each stage's group has its full name as a
/// <c>&lt;title&gt;</c>. Names and keys are XML-escaped, every number is culture-invariant, and the same definition
/// always gives the same text.</para>
/// <para>This type is stateless and thread-safe. This file writes the SVG; <c>DefinitionDiagram.Layout.cs</c> decides
/// where each part goes and <c>DefinitionDiagram.Text.cs</c> words the description.</para>
/// </remarks>
public static partial class DefinitionDiagram
{
    /// <summary>The largest number of stages drawn in one row; longer funnels wrap onto further rows.</summary>
    public const int StagesPerRow = 6;

    private const string Ink = "#111827";
    private const string Muted = "#374151";
    private const string SkipColour = "#1d4ed8";
    private const string BackColour = "#b45309";
    private const string AgainColour = "#6d28d9";
    private const string WonColour = "#166534";
    private const string LostColour = "#991b1b";

    /// <summary>Renders the diagram.</summary>
    /// <param name="definition">The definition.</param>
    /// <param name="title">The diagram title; "<c>{display name}: stages and allowed moves</c>" when <see langword="null"/>.</param>
    /// <returns>The SVG document as text (UTF-8 without a declaration, so it can also be inlined in HTML).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    public static string RenderSvg(FunnelDefinition definition, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var layout = new Layout(definition);
        var diagramTitle = title ?? $"{definition.DisplayName}: stages and allowed moves";
        var moves = definition.GetAllowedTransitions();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Format.Px(layout.Width)}\" height=\"{Format.Px(layout.Height)}\" viewBox=\"0 0 {Format.Px(layout.Width)} {Format.Px(layout.Height)}\" role=\"img\" aria-labelledby=\"definition-diagram-title definition-diagram-desc\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif\">\n");
        svg.Append("  <title id=\"definition-diagram-title\">").Append(Format.Escape(diagramTitle)).Append("</title>\n");
        svg.Append("  <desc id=\"definition-diagram-desc\">").Append(Format.Escape(Describe(definition, moves))).Append("</desc>\n");
        AppendMarkers(svg);
        svg.Append("  <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        svg.Append("  <text x=\"20\" y=\"30\" font-size=\"20\" font-weight=\"600\" fill=\"").Append(Ink).Append("\">").Append(Format.Escape(diagramTitle)).Append("</text>\n");
        svg.Append("  <text x=\"20\" y=\"50\" font-size=\"13\" fill=\"").Append(Muted).Append("\">").Append(Format.Escape(Summary(definition, moves))).Append("</text>\n");
        AppendLegend(svg);

        AppendAfterGoalBands(svg, definition, layout);
        foreach (var stage in definition.Stages)
        {
            AppendStage(svg, definition, stage, layout);
        }

        foreach (var move in moves)
        {
            AppendMove(svg, definition, move, layout);
        }

        AppendOutcomes(svg, definition, layout);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void AppendMarkers(StringBuilder svg)
    {
        svg.Append("  <defs>\n");
        foreach (var (id, colour) in new[] { ("next", Muted), ("skip", SkipColour), ("back", BackColour), ("again", AgainColour), ("won", WonColour), ("lost", LostColour) })
        {
            svg.Append(CultureInfo.InvariantCulture, $"    <marker id=\"definition-diagram-{id}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{colour}\"/></marker>\n");
        }

        svg.Append("  </defs>\n");
    }

    private static void AppendLegend(StringBuilder svg)
    {
        svg.Append("  <g class=\"legend\" font-size=\"12\" fill=\"").Append(Muted).Append("\">\n");
        const double y = 76;
        var x = 20.0;
        foreach (var (kind, label) in new[] { (StageKind.Standard, "stage"), (StageKind.Key, "key stage"), (StageKind.Technical, "technical") })
        {
            var (fill, stroke, width, dash) = BoxStyle(kind);
            svg.Append(CultureInfo.InvariantCulture, $"    <rect x=\"{Format.Px(x)}\" y=\"{Format.Px(y - 11)}\" width=\"26\" height=\"16\" rx=\"3\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{Format.Px(width)}\"{dash}/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(x + 32)}\" y=\"{Format.Px(y + 1)}\">{label}</text>\n");
            x += 44 + (label.Length * 6.6);
        }

        foreach (var (id, label, dash) in new[] { ("next", "next stage", ""), ("skip", "skip (arc above)", " stroke-dasharray=\"6 4\""), ("back", "back (arc below)", " stroke-dasharray=\"6 4\""), ("again", "again (re-entry)", " stroke-dasharray=\"6 4\"") })
        {
            var colour = id switch { "skip" => SkipColour, "back" => BackColour, "again" => AgainColour, _ => Muted };
            svg.Append(CultureInfo.InvariantCulture, $"    <line x1=\"{Format.Px(x)}\" y1=\"{Format.Px(y - 3)}\" x2=\"{Format.Px(x + 28)}\" y2=\"{Format.Px(y - 3)}\" stroke=\"{colour}\" stroke-width=\"1.6\"{dash} marker-end=\"url(#definition-diagram-{id})\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(x + 34)}\" y=\"{Format.Px(y + 1)}\">{label}</text>\n");
            x += 48 + (label.Length * 6.4);
        }

        svg.Append("  </g>\n");
    }

    private static void AppendAfterGoalBands(StringBuilder svg, FunnelDefinition definition, Layout layout)
    {
        var after = definition.Stages.Where(s => s.Order > definition.GoalStage.Order).ToList();
        foreach (var row in after.GroupBy(Layout.Row))
        {
            var first = row.First();
            var last = row.Last();
            var x = Layout.X(first) - (ColumnGap / 2) + 4;
            var right = Layout.X(last) + BoxWidth + 12;
            var top = layout.Top(first) - 26;
            svg.Append(CultureInfo.InvariantCulture, $"  <g class=\"after-goal\">\n    <rect x=\"{Format.Px(x)}\" y=\"{Format.Px(top)}\" width=\"{Format.Px(right - x)}\" height=\"{Format.Px(BoxHeight + 38)}\" rx=\"8\" fill=\"#f3f4f6\" stroke=\"#9ca3af\" stroke-dasharray=\"4 4\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(x + 8)}\" y=\"{Format.Px(top + 15)}\" font-size=\"11\" font-style=\"italic\" fill=\"{Muted}\">after the goal</text>\n  </g>\n");
        }
    }

    private static void AppendStage(StringBuilder svg, FunnelDefinition definition, Stage stage, Layout layout)
    {
        var x = Layout.X(stage);
        var y = layout.Top(stage);
        var isGoal = stage.Order == definition.GoalStage.Order;
        var (fill, stroke, width, dash) = BoxStyle(stage.Kind);
        var kind = stage.Kind.ToString().ToLowerInvariant();
        svg.Append(CultureInfo.InvariantCulture, $"  <g class=\"stage {kind}{(isGoal ? " goal" : "")}\" data-stage=\"{Format.Escape(stage.Key.Value)}\" data-order=\"{stage.Order}\">\n");
        svg.Append("    <title>").Append(Format.Escape(StageText(definition, stage))).Append("</title>\n");
        if (isGoal)
        {
            svg.Append(CultureInfo.InvariantCulture, $"    <rect x=\"{Format.Px(x - 5)}\" y=\"{Format.Px(y - 5)}\" width=\"{Format.Px(BoxWidth + 10)}\" height=\"{Format.Px(BoxHeight + 10)}\" rx=\"9\" fill=\"none\" stroke=\"{WonColour}\" stroke-width=\"2\"/>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"    <rect class=\"box\" x=\"{Format.Px(x)}\" y=\"{Format.Px(y)}\" width=\"{Format.Px(BoxWidth)}\" height=\"{Format.Px(BoxHeight)}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{Format.Px(width)}\"{dash}/>\n");

        var marker = string.Join(" · ", new[] { Format.KindLabel(stage.Kind), isGoal ? "★ goal" : string.Empty }.Where(m => m.Length > 0));
        var lines = WrapName(stage.DisplayName);
        var lineHeight = 16.0;
        var blockHeight = (lines.Count * lineHeight) + (marker.Length > 0 ? 14 : 0);
        var baseline = y + ((BoxHeight - blockHeight) / 2) + 12;
        var centre = x + (BoxWidth / 2);
        svg.Append(CultureInfo.InvariantCulture, $"    <text class=\"name\" x=\"{Format.Px(centre)}\" y=\"{Format.Px(baseline)}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\" fill=\"{Ink}\">");
        for (var i = 0; i < lines.Count; i++)
        {
            // The space between the lines stays inside the first line, so the text content is the whole name.
            var line = i + 1 < lines.Count ? lines[i] + " " : lines[i];
            svg.Append(CultureInfo.InvariantCulture, $"<tspan x=\"{Format.Px(centre)}\" dy=\"{(i == 0 ? 0 : lineHeight)}\">{Format.Escape(line)}</tspan>");
        }

        svg.Append("</text>\n");
        if (marker.Length > 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"    <text class=\"marker\" x=\"{Format.Px(centre)}\" y=\"{Format.Px(baseline + (lines.Count * lineHeight))}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{Muted}\">{marker}</text>\n");
        }

        svg.Append("  </g>\n");
    }

    private static void AppendMove(StringBuilder svg, FunnelDefinition definition, AllowedTransition move, Layout layout)
    {
        var from = definition.GetStage(move.From);
        var to = definition.GetStage(move.To);
        var (kind, colour) = move.Kind switch
        {
            TransitionKind.Forward => ("next", Muted),
            TransitionKind.Skip => ("skip", SkipColour),
            TransitionKind.Back => ("back", BackColour),
            _ => ("again", AgainColour),
        };
        string path;
        var labelX = 0.0;
        var labelY = 0.0;
        var fx = Layout.X(from) + (BoxWidth / 2);
        var tx = Layout.X(to) + (BoxWidth / 2);
        switch (move.Kind)
        {
            case TransitionKind.Forward when Layout.Row(from) == Layout.Row(to):
                var y = layout.Top(from) + (BoxHeight / 2);
                var end = Layout.X(to) - (to.Order == definition.GoalStage.Order ? 7 : 2);
                path = $"M{Format.Px(Layout.X(from) + BoxWidth)},{Format.Px(y)} L{Format.Px(end)},{Format.Px(y)}";
                break;
            case TransitionKind.Forward:
                // The last stage of a row leads down to the first stage of the next row through the lane between them.
                var lane = layout.LaneY(from) + 16;
                path = $"M{Format.Px(fx)},{Format.Px(layout.Top(from) + BoxHeight)} L{Format.Px(fx)},{Format.Px(lane)} L{Format.Px(tx)},{Format.Px(lane)} L{Format.Px(tx)},{Format.Px(layout.Top(to) - 2)}";
                break;
            case TransitionKind.Reentry:
                var loopX = Layout.X(from) + BoxWidth - 34;
                var loopTop = layout.Top(from);
                path = $"M{Format.Px(loopX)},{Format.Px(loopTop)} C{Format.Px(loopX - 4)},{Format.Px(loopTop - (LoopHeight * 1.4))} {Format.Px(loopX + 24)},{Format.Px(loopTop - (LoopHeight * 1.4))} {Format.Px(loopX + 20)},{Format.Px(loopTop - 2)}";
                (labelX, labelY) = (loopX + 10, loopTop - LoopHeight - 4);
                break;
            case TransitionKind.Skip:
                {
                    // Forward skips arc above the boxes: out of the right half of the source, into the left half of the target.
                    var x1 = fx + 14;
                    var x2 = tx - 14;
                    var y2 = layout.Top(to) - 2;
                    if (Layout.Row(from) != Layout.Row(to))
                    {
                        // Into a later row: down out of the bottom of the source, into the top of the target.
                        var y0 = layout.Top(from) + BoxHeight;
                        path = $"M{Format.Px(x1)},{Format.Px(y0)} C{Format.Px(x1)},{Format.Px(y0 + 60)} {Format.Px(x2)},{Format.Px(y2 - 60)} {Format.Px(x2)},{Format.Px(y2)}";
                        (labelX, labelY) = (((x1 + x2) / 2) + 4, ((y0 + y2) / 2) - 4);
                        break;
                    }

                    var y1 = layout.Top(from);
                    var rise = ArcHeight(from, to);
                    var k = rise / 0.75;
                    path = $"M{Format.Px(x1)},{Format.Px(y1)} C{Format.Px(x1)},{Format.Px(y1 - k)} {Format.Px(x2)},{Format.Px(y2 - k)} {Format.Px(x2)},{Format.Px(y2)}";
                    (labelX, labelY) = ((x1 + x2) / 2, ((y1 + y2) / 2) - rise - 5);
                    break;
                }

            default:
                {
                    // Moves back arc below the boxes: out of the left half of the source, into the right half of the target.
                    var x1 = fx - 14;
                    var x2 = tx + 14;
                    var y2 = layout.Top(to) + BoxHeight + 2;
                    if (Layout.Row(from) != Layout.Row(to))
                    {
                        // Back into an earlier row: up out of the top of the source, into the bottom of the target.
                        var y0 = layout.Top(from);
                        path = $"M{Format.Px(x1)},{Format.Px(y0)} C{Format.Px(x1)},{Format.Px(y0 - 60)} {Format.Px(x2)},{Format.Px(y2 + 60)} {Format.Px(x2)},{Format.Px(y2)}";
                        (labelX, labelY) = (((x1 + x2) / 2) + 4, ((y0 + y2) / 2) + 12);
                        break;
                    }

                    var y1 = layout.Top(from) + BoxHeight;
                    var drop = ArcHeight(to, from);
                    var k = drop / 0.75;
                    path = $"M{Format.Px(x1)},{Format.Px(y1)} C{Format.Px(x1)},{Format.Px(y1 + k)} {Format.Px(x2)},{Format.Px(y2 + k)} {Format.Px(x2)},{Format.Px(y2)}";
                    (labelX, labelY) = ((x1 + x2) / 2, ((y1 + y2) / 2) + drop + 13);
                    break;
                }
        }

        var dash = move.Kind == TransitionKind.Forward ? string.Empty : " stroke-dasharray=\"6 4\"";
        svg.Append(CultureInfo.InvariantCulture, $"  <g class=\"move {kind}\" data-from=\"{Format.Escape(from.Key.Value)}\" data-to=\"{Format.Escape(to.Key.Value)}\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"    <path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.6\"{dash} marker-end=\"url(#definition-diagram-{kind})\"/>\n");
        if (move.Kind != TransitionKind.Forward)
        {
            svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(labelX)}\" y=\"{Format.Px(labelY)}\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"600\" fill=\"{colour}\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{kind}</text>\n");
        }

        svg.Append("  </g>\n");
    }

    private static void AppendOutcomes(StringBuilder svg, FunnelDefinition definition, Layout layout)
    {
        var goal = definition.GoalStage;
        var goalCentre = Layout.X(goal) + (BoxWidth / 2);
        var goalBottom = layout.Top(goal) + BoxHeight;
        var top = layout.OutcomeTop;

        // Won: a thick arrow from the goal, straight down when the goal is in the last row, else round the right margin.
        var (wonX, wonY) = (layout.WonX, top + 20);
        var wonLane = layout.LaneY(goal);
        var wonPath = Layout.Row(goal) == layout.Rows - 1
            ? $"M{Format.Px(goalCentre)},{Format.Px(goalBottom + 5)} L{Format.Px(goalCentre)},{Format.Px(wonLane)} L{Format.Px(wonX + (WonWidth / 2))},{Format.Px(wonLane)} L{Format.Px(wonX + (WonWidth / 2))},{Format.Px(wonY - 3)}"
            : $"M{Format.Px(goalCentre)},{Format.Px(goalBottom + 5)} L{Format.Px(goalCentre)},{Format.Px(wonLane)} L{Format.Px(layout.Width - 12)},{Format.Px(wonLane)} L{Format.Px(layout.Width - 12)},{Format.Px(top + 4)} L{Format.Px(wonX + (WonWidth / 2))},{Format.Px(top + 4)} L{Format.Px(wonX + (WonWidth / 2))},{Format.Px(wonY - 3)}";
        var straight = Layout.Row(goal) == layout.Rows - 1 && Math.Abs(wonX + (WonWidth / 2) - goalCentre) < 0.5;
        var wonLabelY = straight ? ((goalBottom + wonY) / 2) + 4 : wonLane - 6;
        svg.Append(CultureInfo.InvariantCulture, $"  <g class=\"outcome won\" data-from=\"{Format.Escape(goal.Key.Value)}\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"    <path d=\"{wonPath}\" fill=\"none\" stroke=\"{WonColour}\" stroke-width=\"3\" marker-end=\"url(#definition-diagram-won)\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(goalCentre + 8)}\" y=\"{Format.Px(wonLabelY)}\" font-size=\"11\" font-weight=\"600\" fill=\"{WonColour}\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">won</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"    <rect x=\"{Format.Px(wonX)}\" y=\"{Format.Px(wonY)}\" width=\"{WonWidth}\" height=\"{WonHeight}\" rx=\"24\" fill=\"#bbf7d0\" stroke=\"{WonColour}\" stroke-width=\"2\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(wonX + (WonWidth / 2))}\" y=\"{Format.Px(wonY + 20)}\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"700\" fill=\"{Ink}\">✓ Won</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(wonX + (WonWidth / 2))}\" y=\"{Format.Px(wonY + 37)}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{Muted}\">{Format.Escape(Format.Shorten("on reaching "+ goal.DisplayName, 28))}</text>\n");
        svg.Append("  </g>\n");

        if (!layout.CanBeLost)
        {
            return;
        }

        // Lost: every stage before the goal drops a dotted line into its row's lane, which runs along the left margin
        // into the Lost box.
        svg.Append(CultureInfo.InvariantCulture, $"  <g class=\"outcome lost\" data-before=\"{Format.Escape(goal.Key.Value)}\">\n");
        var lostLine = $"fill=\"none\" stroke=\"{LostColour}\" stroke-width=\"1.4\" stroke-dasharray=\"2 3\"";
        var firstLane = double.NaN;
        foreach (var row in definition.Stages.Take(goal.Order).GroupBy(Layout.Row))
        {
            var lane = layout.LaneY(row.First());
            firstLane = double.IsNaN(firstLane) ? lane : firstLane;
            var lastCentre = Layout.X(row.Last()) + (BoxWidth / 2);
            svg.Append(CultureInfo.InvariantCulture, $"    <path d=\"M{Format.Px(lastCentre)},{Format.Px(lane)} L12,{Format.Px(lane)}\" {lostLine}/>\n");
            foreach (var stage in row)
            {
                var x = Layout.X(stage) + (BoxWidth / 2);
                svg.Append(CultureInfo.InvariantCulture, $"    <path d=\"M{Format.Px(x)},{Format.Px(layout.Top(stage) + BoxHeight)} L{Format.Px(x)},{Format.Px(lane)}\" {lostLine}/>\n");
            }
        }

        var boxY = top + 20;
        svg.Append(CultureInfo.InvariantCulture, $"    <path d=\"M12,{Format.Px(firstLane)} L12,{Format.Px(boxY + 20)} L{Format.Px(Margin - 3)},{Format.Px(boxY + 20)}\" {lostLine} marker-end=\"url(#definition-diagram-lost)\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"18\" y=\"{Format.Px(firstLane - 5)}\" font-size=\"11\" font-weight=\"600\" fill=\"{LostColour}\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">lost</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"    <rect x=\"{Format.Px(Margin)}\" y=\"{Format.Px(boxY)}\" width=\"{Format.Px(layout.LostWidth)}\" height=\"{Format.Px(layout.LostHeight)}\" rx=\"6\" fill=\"#fee2e2\" stroke=\"{LostColour}\" stroke-width=\"1.5\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"    <text x=\"{Format.Px(Margin + 12)}\" y=\"{Format.Px(boxY + 24)}\" font-size=\"14\" font-weight=\"700\" fill=\"{Ink}\">✕ Lost <tspan font-size=\"12\" font-weight=\"400\" fill=\"{Muted}\">{Format.Escape(LostHeading(definition))}</tspan></text>\n");
        for (var i = 0; i < definition.LossReasons.Length; i++)
        {
            var reason = definition.LossReasons[i];
            var x = Margin + 12 + layout.ReasonColumnX(i);
            var y = boxY + 46 + ((i % ReasonsPerColumn) * 17);
            var text = ReasonText(reason);
            svg.Append(CultureInfo.InvariantCulture, $"    <text class=\"reason\" data-reason=\"{Format.Escape(reason.Key.Value)}\" x=\"{Format.Px(x)}\" y=\"{Format.Px(y)}\" font-size=\"12\" fill=\"{Ink}\">{Format.Escape(text)}</text>\n");
        }

        svg.Append("  </g>\n");
    }

    private static (string Fill, string Stroke, double Width, string Dash) BoxStyle(StageKind kind) => kind switch
    {
        StageKind.Key => ("#fde68a", "#92400e", 3.5, string.Empty),
        StageKind.Technical => ("#e5e7eb", "#4b5563", 1.5, " stroke-dasharray=\"6 3\""),
        _ => ("#dbeafe", "#1e3a8a", 1.5, string.Empty),
    };
}
