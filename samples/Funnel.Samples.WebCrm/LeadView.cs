using Funnel.Core;

namespace Funnel.Samples.WebCrm;

/// <summary>A lead as the API shows it.</summary>
/// <param name="Id">The id.</param>
/// <param name="Stage">The current stage key.</param>
/// <param name="Status">open, won or lost.</param>
/// <param name="LossReason">The loss reason key, when lost.</param>
/// <param name="Version">The version to send back as expectedVersion.</param>
/// <param name="Company">The company attribute.</param>
/// <param name="History">The changes, oldest first.</param>
public sealed record LeadView(string Id, string Stage, string Status, string? LossReason, long Version, string? Company, IReadOnlyList<HistoryView> History)
{
    /// <summary>Makes the view of a journey.</summary>
    /// <param name="journey">The journey.</param>
    /// <returns>The view.</returns>
    public static LeadView Of(Journey journey) => new(
        journey.Id,
        journey.CurrentStage.Key.Value,
        journey.Status.ToString().ToLowerInvariant(),
        journey.LossReason?.Key.Value,
        journey.Version,
        journey.Attributes.GetValueOrDefault("company"),
        [.. journey.History.Select(h => new HistoryView(h.Kind.ToString(), h.From.IsDefault ? null : h.From.Value, h.To.Value, h.At, h.Actor))]);
}

/// <summary>One change in a lead's history.</summary>
/// <param name="Kind">The kind of change.</param>
/// <param name="From">The stage it left.</param>
/// <param name="To">The stage it entered.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who.</param>
public sealed record HistoryView(string Kind, string? From, string To, DateTimeOffset At, string? Actor);

/// <summary>The board: open leads by stage, and the closed ones.</summary>
/// <param name="Stages">The columns.</param>
/// <param name="Won">Won leads.</param>
/// <param name="Lost">Lost leads.</param>
public sealed record BoardView(IReadOnlyList<BoardColumn> Stages, IReadOnlyList<LeadView> Won, IReadOnlyList<LeadView> Lost)
{
    /// <summary>Groups the leads.</summary>
    /// <param name="definition">The funnel.</param>
    /// <param name="journeys">The leads.</param>
    /// <returns>The board.</returns>
    public static BoardView Of(FunnelDefinition definition, IEnumerable<Journey> journeys)
    {
        var leads = journeys.Select(LeadView.Of).ToList();
        return new BoardView(
            [.. definition.Stages.Where(s => s.Key != definition.GoalStage.Key).Select(s => new BoardColumn(s.Key.Value, s.DisplayName, [.. leads.Where(l => l.Status == "open" && l.Stage == s.Key.Value)]))],
            [.. leads.Where(l => l.Status == "won")],
            [.. leads.Where(l => l.Status == "lost")]);
    }
}

/// <summary>A board column.</summary>
/// <param name="Stage">The stage key.</param>
/// <param name="Name">The display name.</param>
/// <param name="Leads">Open leads in the stage.</param>
public sealed record BoardColumn(string Stage, string Name, IReadOnlyList<LeadView> Leads);
