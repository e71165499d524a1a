using System.Collections.Immutable;
using System.Globalization;

namespace Funnel.Core.Metrics;

/// <summary>Builds <see cref="LeadTrack"/>s from journeys and from event logs, applying the canonical conversion and ordering.</summary>
internal static class LeadTracks
{
    public static List<LeadTrack> FromJourneys(FunnelDefinition definition, IEnumerable<Journey> journeys)
    {
        Guard.Against.Null(definition);
        Guard.Against.Null(journeys);
        var tracks = new List<LeadTrack>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var position = 0L;
        foreach (var journey in journeys)
        {
            if (journey is null)
            {
                throw new MetricsInputException($"The journey at position {position} is null.", null, position);
            }

            if (!ReferenceEquals(journey.Definition, definition) && !journey.Definition.Equals(definition))
            {
                throw new MetricsInputException(
                    $"Journey '{journey.Id}' at position {position} follows funnel '{journey.Definition.Key}', not '{definition.Key}'.",
                    journey.Id,
                    position);
            }

            if (!seen.Add(journey.Id))
            {
                throw new MetricsInputException($"Journey id '{journey.Id}' occurs twice (again at position {position}).", journey.Id, position);
            }

            tracks.Add(FromJourney(definition, journey));
            position++;
        }

        return tracks;
    }

    /// <summary>Converts a journey's history to events as the canonical semantics say, and replays its status changes.</summary>
    public static LeadTrack FromJourney(FunnelDefinition definition, Journey journey)
    {
        var goal = definition.GoalStage.Order;
        var stages = new List<int>(journey.History.Length);
        var seconds = new List<long>(journey.History.Length);
        var reasons = new List<int>(journey.History.Length);
        var at = new List<DateTimeOffset>(journey.History.Length);
        var changes = new List<LeadTrack.StatusChange>();
        var status = JourneyStatus.Open;

        void Emit(int stage, DateTimeOffset time, int reason)
        {
            stages.Add(stage);
            seconds.Add(time.ToUnixTimeSeconds());
            reasons.Add(reason);
            at.Add(time);
        }

        void SetStatus(JourneyStatus next, DateTimeOffset time, int reason) => LeadTracks.SetStatus(changes, ref status, next, time, reason);

        foreach (var entry in journey.History)
        {
            var to = definition.GetStage(entry.To).Order;
            switch (entry.Kind)
            {
                case MoveKind.Start:
                    Emit(to, entry.At, -1);
                    SetStatus(to >= goal ? JourneyStatus.Won : JourneyStatus.Open, entry.At, -1);
                    break;
                case MoveKind.Move:
                    Emit(to, entry.At, -1);
                    if (status == JourneyStatus.Open && to >= goal)
                    {
                        SetStatus(JourneyStatus.Won, entry.At, -1);
                    }

                    break;
                case MoveKind.Won:
                    if (entry.To != entry.From)
                    {
                        Emit(to, entry.At, -1);
                    }

                    SetStatus(JourneyStatus.Won, entry.At, -1);
                    break;
                case MoveKind.Lost:
                    var reason = LossReasonOrdinal(definition, entry.LossReason);
                    Emit(definition.GetStage(entry.From).Order, entry.At, reason);
                    SetStatus(JourneyStatus.Lost, entry.At, reason);
                    break;
                case MoveKind.Reopen:
                    if (status == JourneyStatus.Lost)
                    {
                        // As in JourneyEvents.ToEvents: a reopened lost lead enters its stage again.
                        Emit(to, entry.At, -1);
                    }

                    SetStatus(JourneyStatus.Open, entry.At, -1);
                    break;
                default:
                    break;
            }
        }

        return new LeadTrack(journey.Id, [.. stages], [.. seconds], [.. reasons], [.. at], [.. changes], segment: null, journey.Attributes, definition.Outcome);
    }

    public static List<LeadTrack> FromEvents(FunnelDefinition definition, IEnumerable<FunnelEvent> events)
    {
        Guard.Against.Null(definition);
        Guard.Against.Null(events);
        var byEntity = new Dictionary<string, List<Row>>(StringComparer.Ordinal);
        var order = new List<string>();
        var position = 0L;
        foreach (var e in events)
        {
            if (e.EntityId is null)
            {
                throw new MetricsInputException($"The event at position {position} is the default value (no entity, no stage).", null, position);
            }

            if (!definition.TryGetStage(e.Stage, out var stage))
            {
                throw new MetricsInputException(
                    $"The event at position {position} (entity '{e.EntityId}') names stage '{e.Stage}', which funnel '{definition.Key}' does not have.",
                    e.EntityId,
                    position);
            }

            var reason = -1;
            if (e.IsLoss)
            {
                reason = IndexOfReason(definition, e.LossReason);
                if (reason < 0)
                {
                    throw new MetricsInputException(
                        $"The event at position {position} (entity '{e.EntityId}') names loss reason '{e.LossReason}', which funnel '{definition.Key}' does not have.",
                        e.EntityId,
                        position);
                }
            }

            if (!byEntity.TryGetValue(e.EntityId, out var rows))
            {
                rows = [];
                byEntity.Add(e.EntityId, rows);
                order.Add(e.EntityId);
            }

            rows.Add(new Row(stage.Order, e.At.ToUnixTimeSeconds(), reason, e.At, e.Segment, position));
            position++;
        }

        var goal = definition.GoalStage.Order;
        var tracks = new List<LeadTrack>(order.Count);
        foreach (var id in order)
        {
            // Stable sort by whole-second timestamp: ties keep their position in the log.
            var rows = byEntity[id].ToArray();
            Array.Sort(rows, static (x, y) => x.Seconds != y.Seconds ? x.Seconds.CompareTo(y.Seconds) : x.Position.CompareTo(y.Position));
            var count = rows.Length;
            var stages = new int[count];
            var seconds = new long[count];
            var reasons = new int[count];
            var at = new DateTimeOffset[count];
            string? segment = null;
            var segmentPosition = long.MaxValue;
            for (var i = 0; i < count; i++)
            {
                var row = rows[i];
                (stages[i], seconds[i], reasons[i], at[i]) = (row.Stage, row.Seconds, row.Reason, row.At);

                // The segment is the first one given in log order.
                if (row.Segment is not null && row.Position < segmentPosition)
                {
                    (segment, segmentPosition) = (row.Segment, row.Position);
                }
            }

            tracks.Add(new LeadTrack(id, stages, seconds, reasons, at, StatusChangesOfEvents(stages, reasons, at, goal), segment, attributes: null, definition.Outcome));
        }

        return tracks;
    }

    /// <summary>
    /// Replays the status of a lead of an event log over its events in canonical order: a loss event loses it, an entry
    /// at or past the goal wins it, any other entry makes it open. Shared by every path that reads an event log.
    /// </summary>
    public static LeadTrack.StatusChange[] StatusChangesOfEvents(int[] stages, int[] reasons, DateTimeOffset[] at, int goal)
    {
        var changes = new List<LeadTrack.StatusChange>();
        var status = JourneyStatus.Open;
        for (var i = 0; i < stages.Length; i++)
        {
            var next = reasons[i] >= 0 ? JourneyStatus.Lost : stages[i] >= goal ? JourneyStatus.Won : JourneyStatus.Open;
            SetStatus(changes, ref status, next, at[i], reasons[i]);
        }

        return [.. changes];
    }

    /// <summary>
    /// Records a status change in a lead's log of status changes (every path, journeys and event logs, goes through
    /// here): a change to another status, and every loss (a lead can be lost again). The log is the raw sequence;
    /// <see cref="Resolve"/> reads it under the definition's <see cref="OutcomeRule"/>.
    /// </summary>
    public static void SetStatus(List<LeadTrack.StatusChange> changes, ref JourneyStatus status, JourneyStatus next, DateTimeOffset time, int reason)
    {
        if (next != status || next == JourneyStatus.Lost)
        {
            changes.Add(new LeadTrack.StatusChange(time, next, reason));
            status = next;
        }
    }

    /// <summary>
    /// The status of a lead at the as-of time, and when its win began, under an outcome rule: under
    /// <see cref="OutcomeRule.LastStatus"/> the last change's status (won at that change); under
    /// <see cref="OutcomeRule.Reached"/> won from the first change to won on, whatever follows, else the last change's status.
    /// </summary>
    public static (JourneyStatus Status, DateTimeOffset? WonAt) Resolve(LeadTrack.StatusChange[] changes, OutcomeRule rule)
    {
        if (rule == OutcomeRule.Reached)
        {
            foreach (var change in changes)
            {
                if (change.Status == JourneyStatus.Won)
                {
                    return (JourneyStatus.Won, change.At);
                }
            }
        }

        if (changes.Length == 0)
        {
            return (JourneyStatus.Open, null);
        }

        var last = changes[^1];
        return (last.Status, last.Status == JourneyStatus.Won ? last.At : null);
    }

    /// <summary>Resolves the as-of time, cuts every track at it and applies the entry date range.</summary>
    public static (List<LeadTrack> Tracks, DateTimeOffset? AsOf) Prepare(List<LeadTrack> tracks, FunnelQuery query)
    {
        DateTimeOffset? asOf = query.AsOf;
        if (asOf is null)
        {
            foreach (var track in tracks)
            {
                var last = track.LastActivity;
                if (asOf is null || last > asOf)
                {
                    asOf = last;
                }
            }
        }

        var result = new List<LeadTrack>(tracks.Count);
        if (asOf is not { } cut)
        {
            return (result, null);
        }

        foreach (var track in tracks)
        {
            if (PrepareOne(track, cut, query) is { } kept)
            {
                result.Add(kept);
            }
        }

        return (result, asOf);
    }

    /// <summary>Cuts one track at the as-of time and applies the query's entry date range; null when nothing is left.</summary>
    public static LeadTrack? PrepareOne(LeadTrack track, DateTimeOffset asOf, FunnelQuery query)
    {
        if (track.CutAt(asOf) is not { } kept)
        {
            return null;
        }

        return (query.EnteredFrom is { } from && kept.EnteredAt < from) || (query.EnteredBefore is { } before && kept.EnteredAt >= before)
            ? null
            : kept;
    }

    private static int LossReasonOrdinal(FunnelDefinition definition, LossReasonKey key)
    {
        var index = IndexOfReason(definition, key);
        return index >= 0
            ? index
            : throw new MetricsInputException(
                string.Create(CultureInfo.InvariantCulture, $"Loss reason '{key}' is not in funnel '{definition.Key}'."), null, -1);
    }

    private static int IndexOfReason(FunnelDefinition definition, LossReasonKey key)
    {
        var reasons = definition.LossReasons;
        for (var i = 0; i < reasons.Length; i++)
        {
            if (reasons[i].Key == key)
            {
                return i;
            }
        }

        return -1;
    }

    private readonly record struct Row(int Stage, long Seconds, int Reason, DateTimeOffset At, string? Segment, long Position);
}
