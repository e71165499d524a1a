namespace Funnel.Core.Metrics;

/// <summary>Computes a <see cref="FunnelReport"/> from prepared tracks (already cut at the as-of time and filtered by entry date).</summary>
internal static class ReportCalculator
{
    public static FunnelReport Compute(FunnelDefinition definition, FunnelQuery query, IReadOnlyList<LeadTrack> tracks, DateTimeOffset? asOf)
    {
        var n = definition.Stages.Length;
        var reasonCount = definition.LossReasons.Length;
        var totals = query.Counting == CountMode.Totals;
        var window = query.WindowSeconds;
        var asOfSeconds = asOf?.ToUnixTimeSeconds() ?? 0;

        var reached = new long[n];
        var converted = new long[n];
        var reachedFromTop = new long[n];
        var transitions = new long[n * (n + 1)];
        var losses = new long[n * Math.Max(reasonCount, 0)];
        var dropped = new long[n];
        var stillOpen = new long[n];
        var stays = new List<long>[n];
        for (var s = 0; s < n; s++)
        {
            stays[s] = [];
        }

        var cycleTimes = new List<long>();
        long won = 0, lost = 0, open = 0;
        var reach = new bool[n];
        var latest = new long[n];
        var hasStay = new bool[n];

        foreach (var track in tracks)
        {
            // Reach.
            Array.Clear(reach);
            switch (query.Reach)
            {
                case ReachMode.OrderedWindow:
                    var level = OrderedLevel(track, query.Anchor, window, n);
                    for (var k = 0; k < level; k++)
                    {
                        reach[k] = true;
                    }

                    break;
                case ReachMode.AnyOrder:
                    for (var i = 0; i < track.Count; i++)
                    {
                        if (!track.IsLoss(i))
                        {
                            reach[track.Stages[i]] = true;
                            if (totals)
                            {
                                reached[track.Stages[i]]++;
                            }
                        }
                    }

                    break;
                default:
                    for (var k = 0; k <= track.CurrentStage; k++)
                    {
                        reach[k] = true;
                    }

                    break;
            }

            if (!totals)
            {
                for (var k = 0; k < n; k++)
                {
                    if (reach[k])
                    {
                        reached[k]++;
                        if (reach[0])
                        {
                            reachedFromTop[k]++;
                        }

                        if (k + 1 < n && reach[k + 1])
                        {
                            converted[k]++;
                        }
                    }
                }
            }

            // Transitions, losses, stays: consecutive pairs in canonical order.
            for (var i = 0; i < track.Count; i++)
            {
                var stage = track.Stages[i];
                if (track.IsLoss(i))
                {
                    var at = i == 0 ? stage : track.Stages[i - 1];
                    losses[(at * reasonCount) + track.Reasons[i]]++;
                }

                if (i + 1 < track.Count)
                {
                    var nextIsLoss = track.IsLoss(i + 1);
                    transitions[(stage * (n + 1)) + (nextIsLoss ? n : track.Stages[i + 1])]++;
                    if (totals && !track.IsLoss(i) && !nextIsLoss && stage + 1 < n && track.Stages[i + 1] == stage + 1)
                    {
                        converted[stage]++;
                    }
                }
            }

            CollectStays(track, query, asOfSeconds, stays, latest, hasStay);

            // Status at the as-of time.
            switch (track.Status)
            {
                case JourneyStatus.Won:
                    won++;
                    cycleTimes.Add(track.WonAt!.Value.ToUnixTimeSeconds() - track.Seconds[0]);
                    break;
                case JourneyStatus.Lost:
                    lost++;
                    break;
                default:
                    open++;
                    var silent = asOf is { } cut && cut - track.LastActivity > query.SilentAfter;
                    (silent ? dropped : stillOpen)[track.CurrentStage]++;
                    break;
            }
        }

        var timeInStage = new DurationSummary[n];
        for (var k = 0; k < n; k++)
        {
            timeInStage[k] = DurationSummary.FromOwnedArray([.. stays[k]]);
        }

        return FunnelReport.Assemble(
            definition,
            query,
            asOf,
            new ReportCounts(
                won,
                lost,
                open,
                DurationSummary.FromOwnedArray([.. cycleTimes]),
                reached,
                converted,
                totals ? null : reachedFromTop,
                dropped,
                stillOpen,
                timeInStage,
                transitions,
                losses));
    }

    /// <summary>The ordered-window level (number of stages reached) of one lead for the given anchor mode.</summary>
    internal static int OrderedLevel(LeadTrack track, AnchorMode anchor, long? window, int stageCount)
    {
        var best = 0;
        var lastAnchor = -1;
        for (var a = 0; a < track.Count; a++)
        {
            if (track.IsLoss(a) || track.Stages[a] != 0)
            {
                continue;
            }

            if (anchor == AnchorMode.Latest)
            {
                lastAnchor = a;
                continue;
            }

            best = Math.Max(best, LevelFrom(track, a, window, stageCount));
            if (anchor == AnchorMode.First || best == stageCount)
            {
                return best;
            }
        }

        return lastAnchor >= 0 ? LevelFrom(track, lastAnchor, window, stageCount) : best;
    }

    private static int LevelFrom(LeadTrack track, int anchorIndex, long? window, int stageCount)
    {
        var t0 = track.Seconds[anchorIndex];
        var level = 1;
        for (var j = anchorIndex + 1; j < track.Count && level < stageCount; j++)
        {
            if (!track.IsLoss(j) && (window is null || track.Seconds[j] - t0 <= window) && track.Stages[j] == level)
            {
                level++;
            }
        }

        return level;
    }

    private static void CollectStays(LeadTrack track, FunnelQuery query, long asOfSeconds, List<long>[] stays, long[] latest, bool[] hasStay)
    {
        var mode = query.TimeInStage;
        if (mode != TimeInStageMode.EveryStay)
        {
            Array.Clear(latest);
            Array.Clear(hasStay);
        }

        for (var i = 0; i + 1 < track.Count; i++)
        {
            AddStay(mode, stays, latest, hasStay, track.Stages[i], track.Seconds[i + 1] - track.Seconds[i]);
        }

        var last = track.Count - 1;
        if (query.IncludeOpenStays && track.Status == JourneyStatus.Open && !track.IsLoss(last) && asOfSeconds >= track.Seconds[last])
        {
            AddStay(mode, stays, latest, hasStay, track.Stages[last], asOfSeconds - track.Seconds[last]);
        }

        if (mode != TimeInStageMode.EveryStay)
        {
            for (var s = 0; s < latest.Length; s++)
            {
                if (hasStay[s])
                {
                    stays[s].Add(latest[s]);
                }
            }
        }
    }

    private static void AddStay(TimeInStageMode mode, List<long>[] stays, long[] latest, bool[] hasStay, int stage, long duration)
    {
        switch (mode)
        {
            case TimeInStageMode.EveryStay:
                stays[stage].Add(duration);
                break;
            case TimeInStageMode.LatestStay:
                latest[stage] = duration;
                hasStay[stage] = true;
                break;
            default:
                latest[stage] += duration;
                hasStay[stage] = true;
                break;
        }
    }
}
