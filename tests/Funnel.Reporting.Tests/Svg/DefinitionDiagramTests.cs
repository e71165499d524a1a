using System.Globalization;
using System.Xml.Linq;
using Funnel.Core;

namespace Funnel.Reporting.Tests.Svg;

public class DefinitionDiagramTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XDocument Render(FunnelDefinition definition) => XDocument.Parse(DefinitionDiagram.RenderSvg(definition));

    private static List<XElement> Groups(XDocument svg, string cssClass) =>
        svg.Descendants(Svg + "g").Where(g => ((string?)g.Attribute("class") ?? "").Split(' ').Contains(cssClass)).ToList();

    /// <summary>The visible name of a stage: its name lines joined (the tspans are separated by spaces).</summary>
    private static string Name(XElement stage) => stage.Elements(Svg + "text").Single(t => (string?)t.Attribute("class") == "name").Value;

    private static FunnelDefinition Long(int stages)
    {
        var builder = new FunnelDefinitionBuilder("long", "Long funnel").WithTransitionOptions(TransitionOptions.FreeForm).AddLossReasons(LossReasonCatalog.Standard);
        for (var i = 0; i < stages; i++)
        {
            builder.AddStage($"s{i}", s => s.WithDisplayName($"Stage number {i}"));
        }

        return builder.WonAt($"s{stages - 3}").Build();
    }

    [Fact]
    public void RenderSvg_IsWellFormedAndAccessible()
    {
        var svg = Render(FunnelTemplates.CustomerJourney);
        var root = svg.Root!;

        Assert.Equal("img", (string?)root.Attribute("role"));
        Assert.Equal("definition-diagram-title definition-diagram-desc", (string?)root.Attribute("aria-labelledby"));
        Assert.Equal("Customer journey: stages and allowed moves", root.Element(Svg + "title")!.Value);
        var desc = root.Element(Svg + "desc")!.Value;
        Assert.Contains("Stages in order: Awareness, Research, Engagement, Convert (key stage) (goal), Post-purchase (after the goal), Advocacy (after the goal).", desc, StringComparison.Ordinal);
        Assert.Contains("Moves to the next stage: Awareness to Research; Research to Engagement;", desc, StringComparison.Ordinal);
        Assert.DoesNotContain("Moves back", desc, StringComparison.Ordinal);
        Assert.Contains("A lead that reaches Convert is won.", desc, StringComparison.Ordinal);
        Assert.Empty(svg.Descendants(Svg + "script"));
        Assert.DoesNotContain(svg.Descendants(), e => e.Attributes().Any(a => a.Name.LocalName == "href"));
    }

    [Theory]
    [InlineData("aida")]
    [InlineData("five-stage")]
    [InlineData("customer-journey")]
    [InlineData("b2b-pipeline")]
    [InlineData("real-estate")]
    public void RenderSvg_EveryTemplate_DrawsEveryStageInOrder_AsText(string key)
    {
        var definition = FunnelTemplates.All.Single(d => d.Key == key);
        var svg = Render(definition);
        var stages = Groups(svg, "stage");

        Assert.Equal(definition.Stages.Select(s => s.Key.Value), stages.Select(g => (string)g.Attribute("data-stage")!));
        for (var i = 0; i < stages.Count; i++)
        {
            var stage = definition.Stages[i];
            Assert.Equal(stage.DisplayName, Name(stages[i]));
            Assert.StartsWith(stage.DisplayName, stages[i].Element(Svg + "title")!.Value, StringComparison.Ordinal);
            var marker = stages[i].Elements(Svg + "text").SingleOrDefault(t => (string?)t.Attribute("class") == "marker")?.Value ?? "";
            Assert.Equal(stage.Kind == StageKind.Key, marker.Contains("key stage", StringComparison.Ordinal));
            Assert.Equal(stage.Kind == StageKind.Technical, marker.Contains("technical", StringComparison.Ordinal));
        }

        // Left to right in funnel order.
        var xs = stages.Select(g => double.Parse((string)g.Elements(Svg + "rect").Single(r => (string?)r.Attribute("class") == "box").Attribute("x")!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(xs.OrderBy(x => x), xs);

        // Every allowed move is one arrow, of its kind.
        var moves = Groups(svg, "move");
        Assert.Equal(definition.GetAllowedTransitions().Select(m => (m.From.Value, m.To.Value)), moves.Select(g => ((string)g.Attribute("data-from")!, (string)g.Attribute("data-to")!)));
    }

    [Fact]
    public void RenderSvg_GoalStage_IsMarkedInTextAndLeadsToWon_AndLaterStagesSitAfterIt()
    {
        var svg = Render(FunnelTemplates.CustomerJourney);

        var goal = Assert.Single(Groups(svg, "goal"));
        Assert.Equal("convert", (string?)goal.Attribute("data-stage"));
        Assert.Equal("key stage · ★ goal", goal.Elements(Svg + "text").Single(t => (string?)t.Attribute("class") == "marker").Value);
        var won = Assert.Single(Groups(svg, "won"));
        Assert.Equal("convert", (string?)won.Attribute("data-from"));
        Assert.Contains("✓ Won", won.Elements(Svg + "text").Select(t => t.Value));
        var after = Assert.Single(Groups(svg, "after-goal"));
        Assert.Equal("after the goal", after.Element(Svg + "text")!.Value);
        var band = after.Element(Svg + "rect")!;
        var goalRight = double.Parse((string)goal.Elements(Svg + "rect").Single(r => (string?)r.Attribute("class") == "box").Attribute("x")!, CultureInfo.InvariantCulture) + 144;
        Assert.True(double.Parse((string)band.Attribute("x")!, CultureInfo.InvariantCulture) > goalRight, "The after-goal band starts right of the goal stage.");
    }

    [Fact]
    public void RenderSvg_DeclaredSkipAndBackMove_AreLabelledArcsAboveAndBelow()
    {
        var svg = Render(FunnelTemplates.B2BPipeline);
        var moves = Groups(svg, "move");

        var skip = Assert.Single(moves, g => ((string)g.Attribute("class")!).EndsWith(" skip", StringComparison.Ordinal));
        Assert.Equal(("proposal-sent", "invoice-issued"), ((string)skip.Attribute("data-from")!, (string)skip.Attribute("data-to")!));
        Assert.Equal("skip", skip.Element(Svg + "text")!.Value);
        var back = Assert.Single(moves, g => ((string)g.Attribute("class")!).EndsWith(" back", StringComparison.Ordinal));
        Assert.Equal(("deciding", "proposal-sent"), ((string)back.Attribute("data-from")!, (string)back.Attribute("data-to")!));
        Assert.Equal("back", back.Element(Svg + "text")!.Value);
        Assert.Equal(5, moves.Count(g => (string?)g.Attribute("class") == "move next"));

        // Skips are drawn above the boxes, moves back below them.
        var boxes = svg.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "box").ToList();
        var boxTop = double.Parse((string)boxes[0].Attribute("y")!, CultureInfo.InvariantCulture);
        var boxBottom = boxTop + double.Parse((string)boxes[0].Attribute("height")!, CultureInfo.InvariantCulture);
        Assert.True(double.Parse((string)skip.Element(Svg + "text")!.Attribute("y")!, CultureInfo.InvariantCulture) < boxTop);
        Assert.True(double.Parse((string)back.Element(Svg + "text")!.Attribute("y")!, CultureInfo.InvariantCulture) > boxBottom);
    }

    [Fact]
    public void RenderSvg_Lost_ListsEveryLossReason_FromEveryStageBeforeTheGoal()
    {
        var definition = FunnelTemplates.CustomerJourney;
        var svg = Render(definition);

        var lost = Assert.Single(Groups(svg, "lost"));
        var reasons = lost.Elements(Svg + "text").Where(t => (string?)t.Attribute("class") == "reason").ToList();
        Assert.Equal(definition.LossReasons.Select(r => r.Key.Value), reasons.Select(t => (string)t.Attribute("data-reason")!));
        Assert.Contains(lost.Elements(Svg + "text"), t => t.Value.StartsWith("✕ Lost from any stage before Convert", StringComparison.Ordinal));
        Assert.Contains(reasons, t => t.Value.EndsWith("(recoverable)", StringComparison.Ordinal));

        // One collector line, one tick per stage before the goal, one arrow into the box.
        Assert.Equal(1 + definition.GoalStage.Order + 1, lost.Elements(Svg + "path").Count());
    }

    [Fact]
    public void RenderSvg_WithoutLossReasons_HasNoLostOutcome()
    {
        var definition = new FunnelDefinitionBuilder("x").AddStage("a").AddStage("b").WonAt("b").Build();

        var svg = Render(definition);

        Assert.Empty(Groups(svg, "lost"));
        Assert.Single(Groups(svg, "won"));
    }

    [Fact]
    public void RenderSvg_MarkupInNamesAndKeys_IsEscaped()
    {
        var definition = new FunnelDefinitionBuilder("x<&>\"'", "Funnel <&>\"'")
            .AddStage("a<&>\"'", s => s.WithDisplayName("Say <&>\"' hi").WithKind(StageKind.Technical))
            .AddStage("b")
            .AddLossReason("r<&>", "Reason <&>\"'")
            .WonAt("b")
            .WithTransitionOptions(TransitionOptions.FreeForm)
            .Build();

        var text = DefinitionDiagram.RenderSvg(definition);
        var svg = XDocument.Parse(text);

        Assert.DoesNotContain("<&>", text, StringComparison.Ordinal);
        Assert.Equal("Funnel <&>\"': stages and allowed moves", svg.Root!.Element(Svg + "title")!.Value);
        var stage = Groups(svg, "stage")[0];
        Assert.Equal("a<&>\"'", (string?)stage.Attribute("data-stage"));
        Assert.Equal("Say <&>\"' hi", Name(stage));
        Assert.Contains("x<&>\"'", svg.Root!.Element(Svg + "desc")!.Value, StringComparison.Ordinal);
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "• Reason <&>\"'");
        Assert.Contains(Groups(svg, "move"), g => (string?)g.Attribute("class") == "move again" && (string?)g.Attribute("data-from") == "a<&>\"'");
    }

    [Fact]
    public void RenderSvg_LongFunnel_WrapsIntoRowsOfSix_InOrder()
    {
        var definition = Long(14);

        var svg = Render(definition);
        var boxes = Groups(svg, "stage").Select(g => g.Elements(Svg + "rect").Single(r => (string?)r.Attribute("class") == "box"))
            .Select(r => (X: double.Parse((string)r.Attribute("x")!, CultureInfo.InvariantCulture), Y: double.Parse((string)r.Attribute("y")!, CultureInfo.InvariantCulture)))
            .ToList();

        Assert.Equal(3, boxes.Select(b => b.Y).Distinct().Count());
        Assert.Equal(boxes.OrderBy(b => b.Y).ThenBy(b => b.X), boxes);
        Assert.Equal(DefinitionDiagram.StagesPerRow, boxes.Count(b => b.Y == boxes[0].Y));
        Assert.True(double.Parse((string)svg.Root!.Attribute("width")!, CultureInfo.InvariantCulture) <= 1200);
        Assert.Equal(definition.GetAllowedTransitions().Length, Groups(svg, "move").Count);
    }

    [Fact]
    public void RenderSvg_EveryLineAndBox_StaysInsideTheCanvas()
    {
        foreach (var definition in FunnelTemplates.All.Append(Long(7)).Append(Long(8)).Append(Long(14)))
        {
            var svg = Render(definition);
            var width = double.Parse((string)svg.Root!.Attribute("width")!, CultureInfo.InvariantCulture);
            var height = double.Parse((string)svg.Root!.Attribute("height")!, CultureInfo.InvariantCulture);
            var points = svg.Descendants(Svg + "path").Where(p => p.Parent!.Name != Svg + "marker")
                .SelectMany(p => System.Text.RegularExpressions.Regex.Matches((string)p.Attribute("d")!, @"(-?[\d.]+),(-?[\d.]+)"))
                .Select(m => (X: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Y: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
                .ToList();

            Assert.NotEmpty(points);
            Assert.All(points, p => Assert.True(p.X >= 0 && p.X <= width && p.Y >= 0 && p.Y <= height, $"{definition.Key}: ({p.X}, {p.Y}) is outside {width} x {height}."));
        }
    }

    [Fact]
    public void RenderSvg_IsDeterministic_AndCultureInvariant()
    {
        var definition = Long(9);
        var first = DefinitionDiagram.RenderSvg(definition);
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(first, DefinitionDiagram.RenderSvg(definition));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        Assert.DoesNotMatch(@"\d,\d+[ ""]", System.Text.RegularExpressions.Regex.Replace(first, @"d=""[^""]*""", ""));
    }

    [Fact]
    public void RenderSvg_Null_Throws() => Assert.Throws<ArgumentNullException>("definition", () => DefinitionDiagram.RenderSvg(null!));
}
