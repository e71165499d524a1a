using System.Globalization;
using System.Text;
using Funnel.Core;

namespace Funnel.Reporting;

/// <summary>
/// Renders a <see cref="FunnelDefinition"/> as a Mermaid flowchart: the stages in order, every allowed move, the
/// won outcome after the goal stage and the lost outcome from every stage before it. Key stages and technical
/// stages get their own shapes and styles, and their kind is written in the label, so colour is never the only cue.
/// </summary>
/// <remarks>
/// <para>Forward moves are solid arrows; skips, moves back and re-entries are dotted arrows labelled
/// <c>skip</c>, <c>back</c> and <c>again</c>. The text can be pasted into GitHub Markdown in a <c>```mermaid</c> block.</para>
/// <para>This type is stateless and thread-safe.</para>
/// </remarks>
public static class MermaidDiagram
{
    /// <summary>Renders the flowchart text of a definition.</summary>
    /// <param name="definition">The definition.</param>
    /// <param name="direction">The direction of the flowchart; the default is left to right.</param>
    /// <returns>The Mermaid text, ending with a line break.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="direction"/> is not a defined value.</exception>
    public static string Render(FunnelDefinition definition, MermaidDirection direction = MermaidDirection.LeftToRight)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var flow = direction switch
        {
            MermaidDirection.LeftToRight => "LR",
            MermaidDirection.TopToBottom => "TB",
            _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "Unknown direction."),
        };

        var text = new StringBuilder();
        text.Append("flowchart ").Append(flow).Append('\n');
        text.Append("    %% ").Append(Comment(definition.DisplayName)).Append(" (").Append(Comment(definition.Key)).Append(")\n");
        foreach (var stage in definition.Stages)
        {
            var label = Escape(stage.DisplayName);
            text.Append("    ").Append(Id(stage)).Append(stage.Kind switch
            {
                StageKind.Key => $"[[\"{label}<br/><i>key stage</i>\"]]",
                StageKind.Technical => $"([\"{label}<br/><i>technical</i>\"])",
                _ => $"[\"{label}\"]",
            }).Append('\n');
        }

        text.Append("    won([\"Won\"])\n");
        var canBeLost = definition.LossReasons.Length > 0 && definition.GoalStage.Order > 0;
        if (canBeLost)
        {
            text.Append("    lost([\"Lost\"])\n");
        }

        foreach (var move in definition.GetAllowedTransitions())
        {
            var from = Id(definition.GetStage(move.From));
            var to = Id(definition.GetStage(move.To));
            text.Append("    ").Append(from).Append(move.Kind switch
            {
                TransitionKind.Forward => " --> ",
                TransitionKind.Skip => " -. skip .-> ",
                TransitionKind.Back => " -. back .-> ",
                _ => " -. again .-> ",
            }).Append(to).Append('\n');
        }

        text.Append("    ").Append(Id(definition.GoalStage)).Append(" == won ==> won\n");
        if (canBeLost)
        {
            for (var i = 0; i < definition.GoalStage.Order; i++)
            {
                text.Append("    ").Append(Id(definition.Stages[i])).Append(" -.-> lost\n");
            }
        }

        text.Append("    classDef key fill:#fde68a,stroke:#92400e,stroke-width:3px,color:#111827\n");
        text.Append("    classDef technical fill:#e5e7eb,stroke:#4b5563,stroke-dasharray:5 3,color:#111827\n");
        text.Append("    classDef won fill:#bbf7d0,stroke:#166534,color:#111827\n");
        text.Append("    classDef lost fill:#fecaca,stroke:#991b1b,color:#111827\n");
        AppendClass(text, "key", definition.Stages.Where(s => s.Kind == StageKind.Key));
        AppendClass(text, "technical", definition.Stages.Where(s => s.Kind == StageKind.Technical));
        text.Append("    class won won\n");
        if (canBeLost)
        {
            text.Append("    class lost lost\n");
        }

        return text.ToString();
    }

    private static void AppendClass(StringBuilder text, string className, IEnumerable<Stage> stages)
    {
        var ids = string.Join(",", stages.Select(Id));
        if (ids.Length > 0)
        {
            text.Append("    class ").Append(ids).Append(' ').Append(className).Append('\n');
        }
    }

    private static string Id(Stage stage) => "s" + stage.Order.ToString(CultureInfo.InvariantCulture);

    /// <summary>Mermaid labels in quotes take entity codes: quotes, angle brackets and ampersands are escaped.</summary>
    private static string Escape(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            result.Append(c switch
            {
                '"' => "#quot;",
                '<' => "#lt;",
                '>' => "#gt;",
                '&' => "#amp;",
                '#' => "#35;",
                '\r' or '\n' => " ",
                _ => c.ToString(),
            });
        }

        return result.ToString();
    }

    private static string Comment(string text) => text.Replace('\n', ' ').Replace('\r', ' ');
}
