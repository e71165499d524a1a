using System.Collections.Immutable;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Funnel.Core;
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

    public async Task<EventLogAggregates> ComputeAsync(FunnelDefinition definition, long window, CancellationToken cancellationToken)
    {
        var k = definition.Stages.Length;
        var r = definition.LossReasons.Length;
        var reached = new long[k];
        var transitions = new long[k * (k + 1)];
        var counts = new long[k];
        var totals = new long[k];
        var medians = new long[k];
        var losses = new long[k * r];
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await _dialect.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ReadRowsAsync(connection, transaction, FunnelSql(k), definition, window, row =>
                {
                    reached[Check(row[0], k, definition, "stage")] = row[1];
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

        var times = ImmutableArray.CreateBuilder<StageTime>(k);
        for (var s = 0; s < k; s++)
        {
            times.Add(new StageTime(counts[s], totals[s], medians[s]));
        }

        return new EventLogAggregates(k, r, window, [.. reached], [.. transitions], times.MoveToImmutable(), [.. losses]);
    }

    /// <summary>
    /// Transitions (kind 0: from, to or -1 for LOST, count), time in stage (kind 1: stage, median, count, total) and
    /// losses (kind 2: stage, reason, count) in one statement over one per-entity ordering.
    /// </summary>
    private string PairsSql =>
        "WITH o AS " + _dialect.PerEntityCteHint + " (" +
        "SELECT stage, reason, at, " +
        "LEAD(stage) OVER w AS next_stage, LEAD(reason) OVER w AS next_reason, LEAD(at) OVER w AS next_at, LAG(stage) OVER w AS prev_stage " +
        "FROM funnel_events WHERE funnel_key = @f WINDOW w AS (PARTITION BY entity_id ORDER BY at, seq)), " +
        "h AS (SELECT stage, next_at - at AS d, COUNT(*) AS c FROM o WHERE next_at IS NOT NULL GROUP BY stage, next_at - at), " +
        "cum AS (SELECT stage, d, c, SUM(c) OVER (PARTITION BY stage ORDER BY d ROWS UNBOUNDED PRECEDING) AS running, SUM(c) OVER (PARTITION BY stage) AS n FROM h) " +
        "SELECT 0 AS kind, stage AS a, CASE WHEN next_reason IS NULL THEN next_stage ELSE -1 END AS b, COUNT(*) AS n, 0 AS total " +
        "FROM o WHERE next_stage IS NOT NULL GROUP BY stage, CASE WHEN next_reason IS NULL THEN next_stage ELSE -1 END " +
        "UNION ALL " +
        "SELECT 1, stage, MIN(CASE WHEN 2 * running >= n THEN d END), MAX(n), SUM(d * c) FROM cum GROUP BY stage " +
        "UNION ALL " +
        "SELECT 2, COALESCE(prev_stage, stage), reason, COUNT(*), 0 FROM o WHERE reason IS NOT NULL GROUP BY COALESCE(prev_stage, stage), reason";

    /// <summary>
    /// The ordered window funnel: a0 is each entity's anchor (first entry into stage 0), and a(s) the earliest entry
    /// into stage s after the match for s - 1, within the window — the greedy walk, one join per stage, all on
    /// entity_id. The text depends only on the number of stages; the stage numbers are parameters.
    /// </summary>
    private string FunnelSql(int stageCount)
    {
        var text = new StringBuilder("WITH o AS ").Append(_dialect.PerEntityCteHint)
            .Append(" (SELECT entity_id, stage, at, reason, ROW_NUMBER() OVER (PARTITION BY entity_id ORDER BY at, seq) AS pos FROM funnel_events WHERE funnel_key = @f), ")
            .Append("a0 AS (SELECT entity_id, MIN(pos) AS p, MIN(at) AS t0 FROM o WHERE stage = @s0 AND reason IS NULL GROUP BY entity_id)");
        for (var s = 1; s < stageCount; s++)
        {
            text.Append(", ").Append(Sql.Name("a", s))
                .Append(" AS (SELECT o.entity_id, MIN(o.pos) AS p, MIN(m.t0) AS t0 FROM o JOIN ").Append(Sql.Name("a", s - 1))
                .Append(" m ON o.entity_id = m.entity_id WHERE o.stage = ").Append(Sql.Name("@s", s))
                .Append(" AND o.reason IS NULL AND o.pos > m.p AND o.at - m.t0 <= @w GROUP BY o.entity_id)");
        }

        text.Append(' ');
        for (var s = 0; s < stageCount; s++)
        {
            text.Append(s == 0 ? string.Empty : " UNION ALL ")
                .Append("SELECT ").Append(Sql.Name("@s", s)).Append(" AS kind, COUNT(*) AS n FROM ").Append(Sql.Name("a", s));
        }

        return text.ToString();
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
