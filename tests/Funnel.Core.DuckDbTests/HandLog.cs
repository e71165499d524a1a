using Funnel.Core.Bulk;

namespace Funnel.Core.DuckDbTests;

/// <summary>Builds the hand-written logs of the tests, rows in the order given.</summary>
internal static class HandLog
{
    /// <summary>Builds a log of rows (entity, stage, ts) for entries and (entity, stage, ts, reason) for losses.</summary>
    public static TransitionLog Of(params Row[] rows)
    {
        var builder = new TransitionLogBuilder(rows.Length);
        foreach (var row in rows)
        {
            builder.Add(row.Entity, row.Stage, row.Ts, row.Reason);
        }

        return builder.Build();
    }

    /// <summary>
    /// Builds a log whose entities are named by string keys, interned with <see cref="EntityInterner{TKey}"/> as an
    /// application would (exact strings: "Ann" and "Ann " are two leads); returns the log and each row's key, in log
    /// order (the text before interning, for DuckDB to group by).
    /// </summary>
    public static (TransitionLog Log, IReadOnlyList<string> RowKeys) Keyed(params KeyedRow[] rows)
    {
        var interner = new EntityInterner<string>();
        var log = Of([.. rows.Select(r => new Row(interner.Intern(r.Key), r.Stage, r.Ts, r.Reason))]);
        return (log, [.. rows.Select(r => r.Key)]);
    }

    /// <summary>One row of a hand-written log: (entity, stage, ts) for an entry, (entity, stage, ts, reason) for a loss.</summary>
    public readonly record struct Row(int Entity, int Stage, long Ts, int Reason)
    {
        public static implicit operator Row((int Entity, int Stage, long Ts) entry) => new(entry.Entity, entry.Stage, entry.Ts, TransitionLog.NoLossReason);

        public static implicit operator Row((int Entity, int Stage, long Ts, int Reason) loss) => new(loss.Entity, loss.Stage, loss.Ts, loss.Reason);
    }

    /// <summary>One row of a log keyed by strings: (key, stage, ts) for an entry, (key, stage, ts, reason) for a loss.</summary>
    public readonly record struct KeyedRow(string Key, int Stage, long Ts, int Reason)
    {
        public static implicit operator KeyedRow((string Key, int Stage, long Ts) entry) => new(entry.Key, entry.Stage, entry.Ts, TransitionLog.NoLossReason);

        public static implicit operator KeyedRow((string Key, int Stage, long Ts, int Reason) loss) => new(loss.Key, loss.Stage, loss.Ts, loss.Reason);
    }
}
