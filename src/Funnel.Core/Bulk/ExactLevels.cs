namespace Funnel.Core.Bulk;

/// <summary>
/// The exact per-entity window-funnel level, for the rare entities whose entries at one timestamp run more than 63
/// stages ahead of their level (beyond what <see cref="EntityState.TieMask"/> holds): their events are gathered from
/// the bucket, ordered by (time, stage) and walked greedily, which is exact because entries that share a timestamp
/// match in any order.
/// </summary>
internal static class ExactLevels
{
    /// <summary>Recomputes the level of every entity of a bucket whose state carries <see cref="EntityState.LevelOverflow"/>.</summary>
    public static void Resolve<TRecord, TCodec>(ReadOnlySpan<TRecord> records, Span<EntityState> states, TCodec codec, long window)
        where TRecord : unmanaged
        where TCodec : struct, IRecordCodec<TRecord>
    {
        var entries = new List<(int Entity, long Time, int Stage)>();
        foreach (ref readonly var record in records)
        {
            var index = codec.StateIndex(in record);
            if ((states[index].Level & EntityState.LevelOverflow) != 0 && codec.ReasonSlot(in record) == 0)
            {
                entries.Add((index, codec.Time(in record), codec.Stage(in record)));
            }
        }

        entries.Sort();
        var start = 0;
        while (start < entries.Count)
        {
            var entity = entries[start].Entity;
            var end = start;
            var level = 0;
            var anchor = 0L;
            for (; end < entries.Count && entries[end].Entity == entity; end++)
            {
                var (_, time, stage) = entries[end];
                if (level == 0 ? stage == 0 : stage == level && time - anchor <= window)
                {
                    anchor = level == 0 ? time : anchor;
                    level++;
                }
            }

            states[entity].Level = (ushort)level;
            start = end;
        }
    }
}
