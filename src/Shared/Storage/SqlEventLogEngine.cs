using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Storage;

namespace Funnel.Storage.Internal;

/// <summary>
/// Reading and SQL push-down over the <c>funnel_events</c> table, shared by the SQLite and PostgreSQL adapters.
/// The push-down SQL uses only window functions partitioned by <c>entity_id</c>, joins on <c>entity_id</c> and
/// plain aggregates, so it runs unchanged on Citus with the table distributed by <c>entity_id</c>.
/// </summary>
internal sealed class SqlEventLogEngine
{
    private readonly SqlDialect _dialect;

    public SqlEventLogEngine(SqlDialect dialect) => _dialect = dialect;

    public async IAsyncEnumerable<EventLogChunk> ReadAsync(FunnelDefinition definition, int chunkSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stageCount = definition.Stages.Length;
        var reasonCount = definition.LossReasons.Length;
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Sql.Command(connection, null, "SELECT entity_id, stage, at, reason, segment FROM funnel_events WHERE funnel_key = @f ORDER BY seq")
                .With("@f", definition.Key);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    long position = 0;
                    while (true)
                    {
                        var ids = new string[chunkSize];
                        var stages = new int[chunkSize];
                        var times = new long[chunkSize];
                        var reasons = new int[chunkSize];
                        var segments = new string?[chunkSize];
                        var n = 0;
                        while (n < chunkSize && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            ids[n] = reader.GetString(0);
                            stages[n] = reader.GetInt32(1);
                            times[n] = reader.GetInt64(2);
                            reasons[n] = reader.IsDBNull(3) ? -1 : reader.GetInt32(3);
                            segments[n] = reader.IsDBNull(4) ? null : reader.GetString(4);
                            if ((uint)stages[n] >= (uint)stageCount || reasons[n] >= reasonCount || reasons[n] < -1)
                            {
                                throw new FunnelStorageException(
                                    $"Stored event {position + n} of funnel '{definition.Key}' has stage ordinal {stages[n]} and reason ordinal {reasons[n]}, outside the definition ({stageCount} stages, {reasonCount} reasons).");
                            }

                            n++;
                        }

                        if (n == 0)
                        {
                            yield break;
                        }

                        yield return new EventLogChunk(definition, position, ids, stages, times, reasons, segments, n);
                        position += n;
                        if (n < chunkSize)
                        {
                            yield break;
                        }
                    }
                }
            }
        }
    }

    public async Task<long> CountAsync(string funnelKey, CancellationToken cancellationToken)
    {
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Sql.Command(connection, null, "SELECT COUNT(*) FROM funnel_events WHERE funnel_key = @f").With("@f", funnelKey);
            await using (command.ConfigureAwait(false))
            {
                return Sql.ToLong(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0);
            }
        }
    }

    public async Task<long> DeleteAsync(string funnelKey, CancellationToken cancellationToken)
    {
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Sql.Command(connection, null, "DELETE FROM funnel_events WHERE funnel_key = @f").With("@f", funnelKey);
            await using (command.ConfigureAwait(false))
            {
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<TransitionReport> ComputeAsync(FunnelDefinition definition, long window, CancellationToken cancellationToken)
    {
        var k = definition.Stages.Length;
        var r = definition.LossReasons.Length;
        long events = 0;
        long entities = 0;
        var reached = new long[k];
        var transitions = new long[k * (k + 1)];
        var counts = new long[k];
        var totals = new long[k];
        var medians = new long[k];
        var losses = new long[k * r];
        long won = 0;
        long lost = 0;
        var openAt = new long[k];
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await _dialect.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ReadRowsAsync(connection, transaction, FunnelSql(k), definition, window, row =>
                {
                    row.AsSpan(0, k).CopyTo(reached);
                    entities = row[k];
                    events = row[k + 1];
                    won = row[k + 2];
                    lost = row[k + 3];
                    row.AsSpan(k + 4, k).CopyTo(openAt);
                }, cancellationToken).ConfigureAwait(false);
                await ReadRowsAsync(connection, transaction, PairsSql, definition, window, row =>
                {
                    var from = Check(row[1], k, definition, "stage");
                    switch (row[0])
                    {
                        case 0:
                            var to = row[2] < 0 ? k : Check(row[2], k, definition, "stage");
                            transitions[(from * (k + 1)) + to] = row[3];
                            break;
                        case 1:
                            counts[from] = row[3];
                            totals[from] = row[4];
                            medians[from] = row[2];
                            break;
                        default:
                            losses[(from * r) + Check(row[2], r, definition, "loss reason")] = row[3];
                            break;
                    }
                }, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        try
        {
            var times = new StageTimeStatistics[k];
            for (var s = 0; s < k; s++)
            {
                times[s] = new StageTimeStatistics(s, counts[s], totals[s], medians[s]);
            }

            return TransitionReport.Create(k, definition.GoalStage.Order, r, window, events, entities, reached, transitions, times, losses, won, lost, openAt);
        }
        catch (ArgumentException e)
        {
            // Both statements read one snapshot, so numbers that contradict each other (TransitionReport.Create checks
            // them) point at the database or this SQL, not at the caller's arguments: report a storage failure.
            throw new FunnelStorageException($"The push-down over the event log of funnel '{definition.Key}' returned inconsistent numbers: {e.Message}", e);
        }
    }

    /// <summary>
    /// Transitions (kind 0: from, to or -1 for LOST, count), time in stage (kind 1: stage, median, count, total) and
    /// losses (kind 2: stage, reason, count) from one per-entity ordering: each event row is joined to the three kinds
    /// it can feed and grouped once (g, small); the lower median comes from a running count over g's stay-length
    /// histogram (index (n-1)/2 is the first length whose running count reaches n/2).
    /// </summary>
    private const string PairsSql =
        "WITH g AS (" +
        "SELECT k.kind, " +
        "CASE k.kind WHEN 2 THEN COALESCE(o.prev_stage, o.stage) ELSE o.stage END AS a, " +
        "CASE k.kind WHEN 0 THEN (CASE WHEN o.next_reason IS NULL THEN o.next_stage ELSE -1 END) WHEN 1 THEN o.next_at - o.at ELSE o.reason END AS b, " +
        "COUNT(*) AS c " +
        "FROM (SELECT stage, reason, at, LEAD(stage) OVER w AS next_stage, LEAD(reason) OVER w AS next_reason, LEAD(at) OVER w AS next_at, LAG(stage) OVER w AS prev_stage " +
        "FROM funnel_events WHERE funnel_key = @f WINDOW w AS (PARTITION BY entity_id ORDER BY at, seq)) o " +
        "JOIN (SELECT 0 AS kind UNION ALL SELECT 1 UNION ALL SELECT 2) k " +
        "ON (k.kind < 2 AND o.next_stage IS NOT NULL) OR (k.kind = 2 AND o.reason IS NOT NULL) " +
        "GROUP BY 1, 2, 3), " +
        "cum AS (SELECT a, b, c, SUM(c) OVER (PARTITION BY a ORDER BY b ROWS UNBOUNDED PRECEDING) AS running, SUM(c) OVER (PARTITION BY a) AS n FROM g WHERE kind = 1) " +
        "SELECT kind, a, b, c, 0 FROM g WHERE kind <> 1 " +
        "UNION ALL " +
        "SELECT 1, a, MIN(CASE WHEN 2 * running >= n THEN b END), MAX(n), SUM(b * c) FROM cum GROUP BY a";

    /// <summary>
    /// The ordered window funnel and the outcomes in one per-entity pass: the innermost query numbers each entity's
    /// events by (time, log position); each enclosing query adds m(s), the position of the greedy match for stage s —
    /// the earliest non-loss entry into s after m(s - 1) within the window of the anchor time t0 — as a window
    /// aggregate over the entity's partition. Only window functions partitioned by entity_id (one sort) and a final
    /// count, so Citus runs it shard by shard. The text depends only on the number of stages; the stage numbers and
    /// the goal (@g) are parameters. One row per entity survives, its last event (pos = n), which carries the entity's
    /// m(s) and decides its outcome. After the k reached counts come the entity count, the event count (the sum of
    /// each entity's event count n), the won count (last event an entry into the goal or later), the lost count (last
    /// event a loss) and k open counts (last event an entry into stage s before the goal).
    /// </summary>
    private static string FunnelSql(int stageCount)
    {
        var query = "SELECT entity_id, stage, at, reason, ROW_NUMBER() OVER (PARTITION BY entity_id ORDER BY at, seq) AS pos FROM funnel_events WHERE funnel_key = @f";
        query = "SELECT entity_id, stage, at, reason, pos, " +
            "MIN(CASE WHEN stage = @s0 AND reason IS NULL THEN pos END) OVER e AS m0, " +
            "MIN(CASE WHEN stage = @s0 AND reason IS NULL THEN at END) OVER e AS t0, " +
            "COUNT(*) OVER e AS n " +
            "FROM (" + query + ") x0 WINDOW e AS (PARTITION BY entity_id)";
        var columns = new StringBuilder("pos, n, t0, m0");
        for (var s = 1; s < stageCount; s++)
        {
            query = "SELECT entity_id, stage, at, reason, " + columns +
                ", MIN(CASE WHEN stage = " + Sql.Name("@s", s) + " AND reason IS NULL AND pos > " + Sql.Name("m", s - 1) +
                " AND at - t0 <= @w THEN pos END) OVER e AS " + Sql.Name("m", s) +
                " FROM (" + query + ") " + Sql.Name("x", s) + " WINDOW e AS (PARTITION BY entity_id)";
            columns.Append(", ").Append(Sql.Name("m", s));
        }

        var counts = new StringBuilder();
        for (var s = 0; s < stageCount; s++)
        {
            counts.Append(s == 0 ? string.Empty : ", ").Append("COUNT(").Append(Sql.Name("m", s)).Append(')');
        }

        counts.Append(", COUNT(*), SUM(n), COUNT(CASE WHEN reason IS NULL AND stage >= @g THEN 1 END), COUNT(reason)");
        for (var s = 0; s < stageCount; s++)
        {
            counts.Append(", COUNT(CASE WHEN reason IS NULL AND stage = ").Append(Sql.Name("@s", s)).Append(" AND stage < @g THEN 1 END)");
        }

        return "SELECT " + counts + " FROM (" + query + ") z WHERE pos = n";
    }

    private static int Check(long value, int count, FunnelDefinition definition, string what)
    {
        if (value < 0 || value >= count)
        {
            throw new FunnelStorageException($"The event log of funnel '{definition.Key}' holds {what} ordinal {value}, outside the definition (0 to {count - 1}).");
        }

        return (int)value;
    }

    private static async Task ReadRowsAsync(DbConnection connection, DbTransaction transaction, string sql, FunnelDefinition definition, long window, Action<long[]> onRow, CancellationToken cancellationToken)
    {
        var command = Sql.Command(connection, transaction, sql).With("@f", definition.Key).With("@w", window);
        if (sql.Contains("@s0", StringComparison.Ordinal))
        {
            for (var s = 0; s < definition.Stages.Length; s++)
            {
                command.With(Sql.Name("@s", s), s);
            }

            command.With("@g", definition.GoalStage.Order);
        }

        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var row = new long[reader.FieldCount];
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = Sql.ToLong(reader.GetValue(i));
                    }

                    onRow(row);
                }
            }
        }
    }
}
