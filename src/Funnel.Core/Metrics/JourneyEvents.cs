using System.Collections.Immutable;

namespace Funnel.Core.Metrics;

/// <summary>
/// Converts journeys to the event-log rows the metrics and the bulk engine read, as the canonical semantics say:
/// a start or move is an entry into its target stage; a win is an entry into the goal stage when it moved the lead
/// there (a win at the current stage adds nothing); a loss is a loss event at the current stage; reopening a lost lead is
/// an entry into the stage it is reopened at (reopening a won lead adds nothing).
/// </summary>
/// <remarks>
/// <para>A reopened lost lead is open again at its stage, and an event log says so with the entry: its last event is no
/// longer the loss. A won lead reopened at a stage before the goal (it was marked won there) already reads as open in its
/// events, since the win at the current stage added nothing; a won lead reopened at the goal stage or after it cannot be
/// told apart from a won one in an event log, where an entry into the goal is a win (docs/concepts.md).</para>
/// <para>The class is stateless and thread-safe.</para>
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
        Guard.Against.Null(journey);
        var events = ImmutableArray.CreateBuilder<FunnelEvent>(journey.History.Length);
        var lost = false;
        foreach (var entry in journey.History)
        {
            switch (entry.Kind)
            {
                case MoveKind.Reopen when lost:
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

            lost = entry.Kind == MoveKind.Lost;
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
        Guard.Against.Null(journeys);
        return [.. journeys.SelectMany(j => ToEvents(Guard.Against.Null(j, nameof(journeys), "A journey is null."), segment?.Invoke(j))).OrderBy(e => e.At)];
    }
}
