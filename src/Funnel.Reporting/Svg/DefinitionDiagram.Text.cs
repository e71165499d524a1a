using System.Globalization;
using System.Text;
using Funnel.Core;
using Funnel.Reporting.Internal;

namespace Funnel.Reporting;

/// <content>The words: the texts of boxes and reasons and the <c>&lt;desc&gt;</c> that states the whole diagram.</content>
public static partial class DefinitionDiagram
{
    private static string ReasonText(LossReason reason) =>
        "• " + Format.Shorten(reason.DisplayName, 30) + (reason.IsRecoverable ? " (recoverable)" : string.Empty);

    private static string LostHeading(FunnelDefinition definition) => $"from any stage before {definition.GoalStage.DisplayName}, for one of these reasons:";

    private static string StageText(FunnelDefinition definition, Stage stage)
    {
        var text = new StringBuilder(stage.DisplayName);
        var kind = Format.KindLabel(stage.Kind);
        if (kind.Length > 0)
        {
            text.Append(" (").Append(kind).Append(')');
        }

        if (stage.Order == definition.GoalStage.Order)
        {
            text.Append(" (goal)");
        }
        else if (stage.Order > definition.GoalStage.Order)
        {
            text.Append(" (after the goal)");
        }

        return text.ToString();
    }

    private static string Summary(FunnelDefinition definition, IReadOnlyCollection<AllowedTransition> moves)
    {
        int Count(TransitionKind kind) => moves.Count(m => m.Kind == kind);
        return $"{definition.Key} · {Plural(definition.Stages.Length, "stage")} · goal: {definition.GoalStage.DisplayName} · {Plural(Count(TransitionKind.Skip), "skip")} · {Plural(Count(TransitionKind.Back), "move")} back · {Plural(Count(TransitionKind.Reentry), "re-entry", "re-entries")} · {Plural(definition.LossReasons.Length, "loss reason")}";
    }

    private static string Plural(int count, string one, string? many = null) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? one : many ?? one + "s");

    private static string Describe(FunnelDefinition definition, IReadOnlyCollection<AllowedTransition> moves)
    {
        string Name(StageKey key) => definition.GetStage(key).DisplayName;
        string List(TransitionKind kind) => string.Join("; ", moves.Where(m => m.Kind == kind).Select(m => $"{Name(m.From)} to {Name(m.To)}"));

        var text = new StringBuilder();
        text.Append("Diagram of the funnel definition ").Append(definition.DisplayName).Append(" (").Append(definition.Key).Append("). ");
        text.Append("Stages in order: ").AppendJoin(", ", definition.Stages.Select(s => StageText(definition, s))).Append(". ");
        foreach (var (kind, label) in new[] { (TransitionKind.Forward, "Moves to the next stage"), (TransitionKind.Skip, "Skips"), (TransitionKind.Back, "Moves back"), (TransitionKind.Reentry, "Re-entries") })
        {
            var list = List(kind);
            if (list.Length > 0)
            {
                text.Append(label).Append(": ").Append(list).Append(". ");
            }
        }

        text.Append("A lead that reaches ").Append(definition.GoalStage.DisplayName).Append(" is won.");
        if (definition.LossReasons.Length > 0 && definition.GoalStage.Order > 0)
        {
            text.Append(" A lead can be lost at any stage before ").Append(definition.GoalStage.DisplayName).Append(", for one of these reasons: ")
                .AppendJoin(", ", definition.LossReasons.Select(r => r.DisplayName)).Append('.');
        }

        return text.ToString();
    }
}
