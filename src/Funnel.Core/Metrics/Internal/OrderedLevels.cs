namespace Funnel.Core.Metrics;

/// <summary>
/// The ordered-window level of a lead (<see cref="ReachMode.OrderedWindow"/>): the largest L such that the lead has
/// entries e_0..e_{L-1} with e_i at stage i, e_0 at an anchor time a (an entry into the first stage, chosen by the
/// <see cref="AnchorMode"/>) and a ≤ t_1 ≤ … ≤ t_{L-1} ≤ a + W. Entries that share a timestamp match in any order,
/// so the level depends on the timestamps only, never on the order of rows within one second.
/// </summary>
/// <remarks>
/// <para>One pass over the lead's events, a second at a time, the entries of one second taken by stage (sorting the
/// stages of one second: O(n log n) per lead at worst, O(n) when seconds hold few events). For every stage k it keeps
/// the latest anchor time from which stages 0..k have been matched so far: a later anchor leaves more of the window
/// for the steps after it, so it dominates every earlier one. An entry into stage k at time t extends the chain of
/// stage k − 1 when t lies within the window of that chain's anchor (every entry of stage k − 1 seen so far is at or
/// before t, the ones of the same second included, because a second's stages are taken in ascending order).</para>
/// <para>For <see cref="AnchorMode.First"/> and <see cref="AnchorMode.Latest"/> only the entries into the first stage at
/// the anchor's time (the earliest, or the latest entry time into the first stage) start a chain, and nothing
/// before that time takes part; this is the greedy walk of docs/metrics.md. For <see cref="AnchorMode.Best"/> every
/// entry into the first stage does, which gives the best level over all anchors in the same single pass.</para>
/// <para>An instance holds scratch buffers for one stage count and is not thread-safe; the calculator uses one per report.</para>
/// </remarks>
internal sealed class OrderedLevels
{
    private readonly int _stageCount;
    private readonly long[] _anchor;
    private readonly bool[] _matched;
    private readonly List<int> _second = [];

    public OrderedLevels(int stageCount)
    {
        _stageCount = stageCount;
        _anchor = new long[stageCount];
        _matched = new bool[stageCount];
    }

    /// <summary>Returns the level (number of stages reached, 0..stage count) of one lead.</summary>
    /// <param name="track">The lead's events in canonical order (timestamp, then log position).</param>
    /// <param name="mode">Which entry into the first stage anchors the window.</param>
    /// <param name="window">The inclusive window in seconds, or <see langword="null"/> for none.</param>
    /// <returns>The level; 0 when the lead never entered the first stage.</returns>
    public int Level(LeadTrack track, AnchorMode mode, long? window)
    {
        long first = long.MaxValue, latest = long.MinValue;
        for (var i = 0; i < track.Count; i++)
        {
            if (!track.IsLoss(i) && track.Stages[i] == 0)
            {
                first = Math.Min(first, track.Seconds[i]);
                latest = Math.Max(latest, track.Seconds[i]);
            }
        }

        if (first == long.MaxValue)
        {
            return 0;
        }

        long? onlyAnchor = mode switch
        {
            AnchorMode.First => first,
            AnchorMode.Latest => latest,
            _ => null,
        };

        Array.Clear(_matched);
        var level = 0;
        var start = 0;
        while (start < track.Count && level < _stageCount)
        {
            // One second: its entries' stages, ascending, each once.
            var t = track.Seconds[start];
            var end = start;
            _second.Clear();
            while (end < track.Count && track.Seconds[end] == t)
            {
                if (!track.IsLoss(end))
                {
                    _second.Add(track.Stages[end]);
                }

                end++;
            }

            start = end;
            if (onlyAnchor is { } anchorTime)
            {
                if (t < anchorTime)
                {
                    continue;
                }

                if (t - anchorTime > window)
                {
                    break;
                }
            }

            var stages = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_second);
            stages.Sort();
            var previous = -1;
            foreach (var stage in stages)
            {
                if (stage == previous)
                {
                    continue;
                }

                previous = stage;
                if (stage == 0)
                {
                    if (onlyAnchor is null || t == onlyAnchor)
                    {
                        (_anchor[0], _matched[0]) = (t, true);
                        level = Math.Max(level, 1);
                    }
                }
                else if (_matched[stage - 1] && !(t - _anchor[stage - 1] > window))
                {
                    // Anchors only grow as time goes on, so this one is at least the stage's previous anchor.
                    (_anchor[stage], _matched[stage]) = (_anchor[stage - 1], true);
                    level = Math.Max(level, stage + 1);
                }
            }
        }

        return level;
    }
}
