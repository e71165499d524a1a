using System.Globalization;
using Funnel.Core.Metrics;

namespace Funnel.Core.Bulk;

/// <summary>
/// The leads of a <see cref="TransitionLog"/> as the metrics see them (<see cref="LeadTrack"/>s), built one lead at a
/// time from the columns, so that the full metrics report never holds more than one lead's objects per thread: the
/// rows are grouped by entity with a counting sort (two int arrays beside the log), each lead's rows are put in
/// canonical order (timestamp, ties in log order, as <see cref="FunnelReport.Compute(FunnelDefinition, IEnumerable{FunnelEvent}, FunnelQuery?)"/>
/// does), and the track is cut at the as-of time and filtered by entry date as the query says. The entity ids are
/// split into ranges of about equal numbers of rows, so that partial results can be computed on every core.
/// </summary>
internal sealed class LogLeadTracks
{
    private readonly FunnelDefinition _definition;
    private readonly TransitionLog _log;
    private readonly IReadOnlyList<string> _entityKeys;
    private readonly IReadOnlyList<string>? _segmentKeys;
    private readonly FunnelQuery _query;

    // The rows of entity e are _rows[_offsets[e] .. _offsets[e + 1]), in log order.
    private readonly int[] _offsets;
    private readonly int[] _rows;

    // Canonical order of two rows of one lead: by timestamp, ties by position in the log. Made once, not per lead.
    private readonly Comparison<int> _byTimeThenRow;

    private LogLeadTracks(FunnelDefinition definition, TransitionLog log, IReadOnlyList<string> entityKeys, IReadOnlyList<string>? segmentKeys, FunnelQuery query)
    {
        _definition = definition;
        _log = log;
        _entityKeys = entityKeys;
        _segmentKeys = segmentKeys;
        _query = query;

        var entities = log.EntityIds;
        _offsets = new int[log.EntityIdLimit + 1];
        foreach (var entity in entities)
        {
            _offsets[entity + 1]++;
        }

        for (var e = 0; e < log.EntityIdLimit; e++)
        {
            _offsets[e + 1] += _offsets[e];
        }

        _byTimeThenRow = (x, y) =>
        {
            var t = log.Timestamps;
            return t[x] != t[y] ? t[x].CompareTo(t[y]) : x.CompareTo(y);
        };
        _rows = new int[log.Count];
        var next = _offsets[..^1];
        for (var i = 0; i < entities.Length; i++)
        {
            _rows[next[entities[i]]++] = i;
        }

        AsOf = query.AsOf ?? (log.Count == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(Max(log.Timestamps)));
    }

    /// <summary>Gets the as-of time: the query's, or the latest event of the log; null for an empty log without one.</summary>
    public DateTimeOffset? AsOf { get; }

    /// <summary>Checks the log against the definition and the key lists, then groups its rows by entity.</summary>
    public static LogLeadTracks Create(FunnelDefinition definition, TransitionLog log, IReadOnlyList<string> entityKeys, IReadOnlyList<string>? segmentKeys, FunnelQuery query)
    {
        Guard.Against.Null(definition);
        Guard.Against.Null(log);
        Guard.Against.Null(entityKeys);
        Guard.Against.Null(query);
        if (log.StageLimit > definition.Stages.Length)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The log has the stage ordinal {log.StageLimit - 1}, but '{definition.Key}' has {definition.Stages.Length} stages (ordinals 0..{definition.Stages.Length - 1})."),
                nameof(definition));
        }

        if (log.LossReasonLimit > definition.LossReasons.Length)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The log has the loss-reason ordinal {log.LossReasonLimit - 1}, but '{definition.Key}' has {definition.LossReasons.Length} loss reasons."),
                nameof(definition));
        }

        if (log.EntityIdLimit > entityKeys.Count)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The log has the entity id {log.EntityIdLimit - 1}, but {entityKeys.Count} entity keys were given."),
                nameof(entityKeys));
        }

        for (var e = 0; e < log.EntityIdLimit; e++)
        {
            if (string.IsNullOrWhiteSpace(entityKeys[e]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The entity id {e} maps to a blank key."), nameof(entityKeys));
            }
        }

        if (log.HasSegments)
        {
            Guard.Against.Null(segmentKeys, message: FunnelGuards.SegmentKeysRequired);
            var limit = Max(log.Segments) + 1;
            if (limit > segmentKeys.Count)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The log has the segment code {limit - 1}, but {segmentKeys.Count} segment keys were given."),
                    nameof(segmentKeys));
            }
        }

        // Checked here, as the report of events checks it, so that a bad query fails before the work starts.
        _ = query.Reach == ReachMode.OrderedWindow ? query.StepWindowSeconds(definition) : null;
        return new LogLeadTracks(definition, log, entityKeys, segmentKeys, query);
    }

    /// <summary>Splits the entity ids into at most <paramref name="count"/> ranges of about equal numbers of rows.</summary>
    public List<(int From, int To)> Partitions(int count)
    {
        var ranges = new List<(int From, int To)>(count);
        var entities = _offsets.Length - 1;
        var from = 0;
        for (var p = 1; p <= count && from < entities; p++)
        {
            // The first entity whose rows start at or after p/count of the log ends this range.
            var target = (long)_log.Count * p / count;
            var to = p == count ? entities : Math.Max(from + 1, LowerBound(target));
            ranges.Add((from, to));
            from = to;
        }

        return ranges;
    }

    /// <summary>Enumerates the prepared tracks of the entity ids in [<paramref name="from"/>, <paramref name="to"/>): cut at <see cref="AsOf"/>, in the entry date range.</summary>
    public IEnumerable<LeadTrack> Prepared(int from, int to)
    {
        if (AsOf is not { } asOf)
        {
            yield break;
        }

        var goal = _definition.GoalStage.Order;
        var order = new List<int>();
        for (var entity = from; entity < to; entity++)
        {
            var start = _offsets[entity];
            var count = _offsets[entity + 1] - start;
            if (count == 0)
            {
                continue;
            }

            if (LeadTracks.PrepareOne(Track(entity, start, count, goal, order), asOf, _query) is { } track)
            {
                yield return track;
            }
        }
    }

    private static long Max(ReadOnlySpan<long> values)
    {
        var max = long.MinValue;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }

    private static int Max(ReadOnlySpan<int> values)
    {
        var max = -1;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }

    private int LowerBound(long rowTarget)
    {
        int lo = 0, hi = _offsets.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_offsets[mid] < rowTarget)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private LeadTrack Track(int entity, int start, int count, int goal, List<int> order)
    {
        var id = _entityKeys[entity];
        var timestamps = _log.Timestamps;
        var rows = _rows.AsSpan(start, count);

        // Canonical order: by timestamp, ties in log order (the rows are in log order already, so a stable sort).
        var sorted = true;
        for (var i = 1; i < rows.Length && sorted; i++)
        {
            sorted = timestamps[rows[i - 1]] <= timestamps[rows[i]];
        }

        if (!sorted)
        {
            order.Clear();
            foreach (var row in rows)
            {
                order.Add(row);
            }

            order.Sort(_byTimeThenRow);
            rows = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(order);
        }

        var stages = new int[count];
        var seconds = new long[count];
        var reasons = new int[count];
        var at = new DateTimeOffset[count];
        var logStages = _log.Stages;
        var logReasons = _log.LossReasons;
        for (var i = 0; i < count; i++)
        {
            var row = rows[i];
            stages[i] = logStages[row];
            seconds[i] = timestamps[row];
            reasons[i] = logReasons[row];
            at[i] = DateTimeOffset.FromUnixTimeSeconds(seconds[i]);
        }

        // The segment is the first one given in log order.
        string? segment = null;
        if (_log.HasSegments)
        {
            var segments = _log.Segments;
            foreach (var row in _rows.AsSpan(start, count))
            {
                if (segments[row] != TransitionLog.NoSegment)
                {
                    segment = _segmentKeys![segments[row]];
                    break;
                }
            }
        }

        return new LeadTrack(id, stages, seconds, reasons, at, LeadTracks.StatusChangesOfEvents(stages, reasons, at, goal), segment, attributes: null, _definition.Outcome);
    }
}
