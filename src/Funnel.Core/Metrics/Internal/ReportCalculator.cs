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
        var stepWindows = query.Reach == ReachMode.OrderedWindow ? query.StepWindowSeconds(definition) : null;
        var asOfSeconds = asOf?.ToUnixTimeSeconds() ?? 0;

        var reached = new long[n];
        var converted = new long[n];
        var reachedFromTop = new long[n];

        // Row and column n of the transitions are "lost": pairs whose first (row) or second (column) event is a loss.
        var size = n + 1;
        var transitions = new long[size * size];
        var losses = new long[n * reasonCount];
        var lossesAfterLoss = new long[reasonCount];
        var lossesAtUnknownStage = new long[reasonCount];
        var dropped = new long[n];
        var stillOpen = new long[n];

        // Stays by row: 0..n-1 a stage, n the time after a loss (as the transitions' rows).
        var stays = new List<long>[size];
        for (var s = 0; s < size; s++)
        {
            stays[s] = [];
        }

        var levels = new OrderedLevels(n);
        var cycleTimes = new List<long>();
        long won = 0, everWon = 0, lastStatusWon = 0, lost = 0, open = 0;
        var reach = new bool[n];
        var latest = new long[size];
        var hasStay = new bool[size];

        foreach (var track in tracks)
        {
            // Reach.
            Array.Clear(reach);
            switch (query.Reach)
            {
                case ReachMode.OrderedWindow:
                    var level = stepWindows is null ? levels.Level(track, query.Anchor, window) : StepWindowLevels.Level(track, query.Anchor, window, stepWindows);
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

            // Transitions, losses, stays: consecutive pairs in canonical order. A loss is counted where the lead was:
            // at the stage of its previous event when that is an entry, apart when it follows a loss or is the first event.
            for (var i = 0; i < track.Count; i++)
            {
                if (track.IsLoss(i))
                {
                    var reason = track.Reasons[i];
                    if (i == 0)
                    {
                        lossesAtUnknownStage[reason]++;
                    }
                    else if (track.IsLoss(i - 1))
                    {
                        lossesAfterLoss[reason]++;
                    }
                    else
                    {
                        losses[(track.Stages[i - 1] * reasonCount) + reason]++;
                    }
                }

                if (i + 1 < track.Count)
                {
                    var row = Row(track, i, n);
                    var column = Row(track, i + 1, n);
                    transitions[(row * size) + column]++;
                    if (totals && row + 1 < n && column == row + 1)
                    {
                        converted[row]++;
                    }
                }
            }

            CollectStays(track, query, asOfSeconds, stays, latest, hasStay);

            if (track.EverWon)
            {
                everWon++;
            }

            if (track.LastStatus == JourneyStatus.Won)
            {
                lastStatusWon++;
            }

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

        var timeAfterLoss = DurationSummary.FromOwnedArray([.. stays[n]]);

        return FunnelReport.Assemble(
            definition,
            query,
            asOf,
            new ReportCounts(
                won,
                everWon,
                lastStatusWon,
                lost,
                open,
                DurationSummary.FromOwnedArray([.. cycleTimes]),
                reached,
                converted,
                totals ? null : reachedFromTop,
                dropped,
                stillOpen,
                timeInStage,
                timeAfterLoss,
                transitions,
                losses,
                lossesAfterLoss,
                lossesAtUnknownStage));
    }

    /// <summary>The row of an event in the transitions and stays: its stage for an entry, <paramref name="stageCount"/> ("lost") for a loss.</summary>
    private static int Row(LeadTrack track, int index, int stageCount) => track.IsLoss(index) ? stageCount : track.Stages[index];

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
            AddStay(mode, stays, latest, hasStay, Row(track, i, stays.Length - 1), track.Seconds[i + 1] - track.Seconds[i]);
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

    private static void AddStay(TimeInStageMode mode, List<long>[] stays, long[] latest, bool[] hasStay, int row, long duration)
    {
        switch (mode)
        {
            case TimeInStageMode.EveryStay:
                stays[row].Add(duration);
                break;
            case TimeInStageMode.LatestStay:
                latest[row] = duration;
                hasStay[row] = true;
                break;
            default:
                latest[row] += duration;
                hasStay[row] = true;
                break;
        }
    }
}
