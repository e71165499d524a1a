using System.Collections.Immutable;

namespace Funnel.Core.Bulk;

/// <summary>
/// The exact per-entity window-funnel level, computed from the entity's entries in (time, stage) order. Used for the
/// rare entities whose entries at one timestamp run more than 63 stages ahead of their level (beyond what
/// <see cref="EntityState.TieMask"/> holds), and for every entity when the analyzer has per-step windows.
/// </summary>
/// <remarks>
/// One pass keeps, per stage k, the latest time at which a valid match of stages 0..k ends. The latest is always the
/// best end for what follows: later entries come at the same time or later, and the step window is measured from it.
/// Equal timestamps match in any order, which the (time, stage) order gives for free.
/// </remarks>
internal static class ExactLevels
{
    /// <summary>Recomputes the level of the entities of a bucket: those whose state carries <see cref="EntityState.LevelOverflow"/>, or all.</summary>
    public static void Resolve<TRecord, TCodec>(ReadOnlySpan<TRecord> records, Span<EntityState> states, TCodec codec, long window, ImmutableArray<long> stepWindows, bool everyEntity)
        where TRecord : unmanaged
        where TCodec : struct, IRecordCodec<TRecord>
    {
        var entries = new List<(int Entity, long Time, int Stage)>();
        foreach (ref readonly var record in records)
        {
            var index = codec.StateIndex(in record);
            if ((everyEntity || (states[index].Level & EntityState.LevelOverflow) != 0) && codec.ReasonSlot(in record) == 0)
            {
                entries.Add((index, codec.Time(in record), codec.Stage(in record)));
            }
        }

        if (everyEntity)
        {
            // Entities without entries reach nothing.
            foreach (ref var state in states)
            {
                state.Level = 0;
            }
        }

        entries.Sort();
        var latest = new List<long>();
        var start = 0;
        while (start < entries.Count)
        {
            var entity = entries[start].Entity;
            var end = start;
            while (end < entries.Count && entries[end].Entity == entity)
            {
                end++;
            }

            states[entity].Level = (ushort)Level(entries, start, end, window, stepWindows, latest);
            start = end;
        }
    }

    /// <summary>The level of one entity from its entries <paramref name="entries"/>[start..end], in (time, stage) order.</summary>
    private static int Level(List<(int Entity, long Time, int Stage)> entries, int start, int end, long window, ImmutableArray<long> stepWindows, List<long> latest)
    {
        // latest[k]: the latest time at which a match of stages 0..k ends; the level is latest.Count.
        latest.Clear();
        for (var i = start; i < end; i++)
        {
            var (_, time, stage) = entries[i];
            if (latest.Count == 0)
            {
                if (stage == 0)
                {
                    latest.Add(time);
                }

                continue;
            }

            if (time - latest[0] <= window)
            {
                Extend(latest, time, stage, stepWindows.AsSpan());
            }
        }

        return latest.Count;
    }

    /// <summary>
    /// One step of the per-stage "latest end" walk over entries in (time, stage) order: an entry into stage k ≥ 1 that
    /// lies within the window of step k from the latest end of stages 0..k−1 becomes the latest end of stage k.
    /// </summary>
    /// <param name="latest">latest[k]: the latest time at which a valid match of stages 0..k ends (latest[0] is the anchor).</param>
    /// <param name="time">The entry's time, not before any value in <paramref name="latest"/>.</param>
    /// <param name="stage">The entry's stage.</param>
    /// <param name="stepWindows">The per-step windows in seconds (value k − 1 for step k; <see cref="long.MaxValue"/> for none), or empty.</param>
    internal static void Extend(List<long> latest, long time, int stage, ReadOnlySpan<long> stepWindows)
    {
        if (stage == 0 || stage > latest.Count || (!stepWindows.IsEmpty && time - latest[stage - 1] > stepWindows[stage - 1]))
        {
            return;
        }

        if (stage == latest.Count)
        {
            latest.Add(time);
        }
        else
        {
            latest[stage] = time;
        }
    }
}
