using System.Collections.Immutable;

namespace Funnel.Core.Metrics;

/// <summary>
/// Converts journeys to the event-log rows the metrics and the bulk engine read, as the canonical semantics say:
/// a start or move is an entry into its target stage; a win is an entry into the goal stage when it moved the lead
/// there (a win at the current stage adds nothing); a loss is a loss event at the current stage; a reopening adds nothing.
/// </summary>
/// <remarks>
/// Because a reopening is no event, an event log cannot tell a reopened lead from a closed one; reports from journeys
/// see the reopening, reports from their events do not. The class is stateless and thread-safe.
/// </remarks>
public static class JourneyEvents
{
    /// <summary>Converts one journey's history to events, oldest first.</summary>
    /// <param name="journey">The journey.</param>
    /// <param name="segment">The segment to put on every event (traffic source, owner), or <see langword="null"/>.</param>
    /// <returns>The events.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    public static ImmutableArray<FunnelEvent> ToEvents(Journey journey, string? segment = null)
    {
        ArgumentNullException.ThrowIfNull(journey);
        var events = ImmutableArray.CreateBuilder<FunnelEvent>(journey.History.Length);
        foreach (var entry in journey.History)
        {
            switch (entry.Kind)
            {
                case MoveKind.Start:
                case MoveKind.Move:
                case MoveKind.Won when entry.To != entry.From:
                    events.Add(new FunnelEvent(journey.Id, entry.To, entry.At, default, segment));
                    break;
                case MoveKind.Lost:
                    events.Add(new FunnelEvent(journey.Id, entry.From, entry.At, entry.LossReason, segment));
                    break;
                default:
                    break;
            }
        }

        return events.ToImmutable();
    }

    /// <summary>Converts journeys to one event log, in time order (ties keep journey order, then history order).</summary>
    /// <param name="journeys">The journeys.</param>
    /// <param name="segment">Gives the segment of a journey (for example an attribute), or <see langword="null"/> for none.</param>
    /// <returns>The events.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journeys"/> or a journey is <see langword="null"/>.</exception>
    public static ImmutableArray<FunnelEvent> ToEventLog(IEnumerable<Journey> journeys, Func<Journey, string?>? segment = null)
    {
        ArgumentNullException.ThrowIfNull(journeys);
        return [.. journeys.SelectMany(j => ToEvents(j ?? throw new ArgumentNullException(nameof(journeys), "A journey is null."), segment?.Invoke(j))).OrderBy(e => e.At)];
    }
}
