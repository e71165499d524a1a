using Funnel.Core;

namespace Funnel.Reporting.Tests.Mermaid;

public class MermaidDiagramTests
{
    [Fact]
    public void Render_B2BPipeline_HasStagesInOrderMovesOutcomesAndStyles()
    {
        var text = MermaidDiagram.Render(FunnelTemplates.B2BPipeline);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToArray();

        Assert.Equal("flowchart LR", lines[0]);
        Assert.Equal(
            ["s0([\"Request received<br/><i>technical</i>\"])", "s1([\"Proposal sent<br/><i>technical</i>\"])", "s2([\"Proposal read<br/><i>technical</i>\"])",
             "s3[[\"Invoice issued<br/><i>key stage</i>\"]]", "s4[[\"Deciding<br/><i>key stage</i>\"]]", "s5[\"Won\"]"],
            lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^s\d+[\[\(]")));
        Assert.Contains("s0 --> s1", lines);
        Assert.Contains("s1 -. skip .-> s3", lines);
        Assert.Contains("s4 -. back .-> s1", lines);
        Assert.Contains("s5 == won ==> won", lines);
        Assert.Equal(5, lines.Count(l => l.EndsWith("-.-> lost", StringComparison.Ordinal)));
        Assert.Contains("class s3,s4 key", lines);
        Assert.Contains("class s0,s1,s2 technical", lines);
    }

    [Fact]
    public void Render_EveryAllowedTransition_IsOneArrow()
    {
        foreach (var definition in FunnelTemplates.All.Append(new FunnelDefinitionBuilder("free").AddStage("a").AddStage("b").AddStage("c").WonAt("c").WithTransitionOptions(TransitionOptions.FreeForm).Build()))
        {
            var text = MermaidDiagram.Render(definition, MermaidDirection.TopToBottom);
            var arrows = text.Split('\n').Count(l => l.Contains("-->", StringComparison.Ordinal) || l.Contains(".->", StringComparison.Ordinal));

            Assert.StartsWith("flowchart TB\n", text, StringComparison.Ordinal);
            Assert.Equal(definition.GetAllowedTransitions().Length + (definition.LossReasons.IsEmpty ? 0 : definition.GoalStage.Order), arrows);
        }
    }

    [Fact]
    public void Render_LabelsWithMermaidSyntax_AreEscaped()
    {
        var definition = new FunnelDefinitionBuilder("x")
            .AddStage("a", s => s.WithDisplayName("Say \"hi\" <b> & #1"))
            .WonAt("a")
            .Build();

        var text = MermaidDiagram.Render(definition);

        Assert.Contains("s0[\"Say #quot;hi#quot; #lt;b#gt; #amp; #35;1\"]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("-.-> lost", text, StringComparison.Ordinal);
        Assert.DoesNotContain("lost([", text, StringComparison.Ordinal);
    }
}
