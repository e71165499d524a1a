using System.Collections.Immutable;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Core.Storage;

namespace Funnel.Storage.Internal;

/// <summary>
/// The event log over ADO.NET, written once for every SQL database: reading and SQL push-down over the
/// <c>funnel_events</c> table, with the bulk append left to the <see cref="SqlDialect"/>. A store package adds only
/// its dialect and a public type that derives from <see cref="DelegatingEventLogStore"/> over this one.
/// The push-down SQL uses only window functions partitioned by <c>entity_id</c>, joins on <c>entity_id</c> and
/// plain aggregates, so it runs unchanged on Citus with the table distributed by <c>entity_id</c>.
/// </summary>
internal sealed class SqlEventLogStore : EventLogStore
{
    private readonly SqlDialect _dialect;
    private readonly TimeProvider _timeProvider;

    public SqlEventLogStore(SqlDialect dialect, TimeProvider timeProvider)
    {
        _dialect = dialect;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Per-step windows, the latest and the best anchor (composed with each other and the window; <see cref="ModesFunnelSql"/>)
    /// and the interpolated median (both medians come from one pass; <see cref="PairsSql"/>). Strict and unordered
    /// order, exclusions, optional steps and time to convert are refused by the base class, naming the option.
    /// </summary>
    public override PushDownOptions SupportedPushDownOptions =>
        PushDownOptions.StepWindows | PushDownOptions.LatestAnchor | PushDownOptions.BestAnchor | PushDownOptions.InterpolatedMedian;

    protected override Task<int> EnsureCreatedCoreAsync(CancellationToken cancellationToken) =>
        SchemaMigrator.EnsureCreatedAsync(_dialect, _timeProvider, cancellationToken);

    protected override Task<long> AppendCoreAsync(FunnelDefinition definition, EventRowReader rows, CancellationToken cancellationToken) =>
        _dialect.AppendEventsAsync(definition, rows, cancellationToken);

    protected override async ValueTask DisposeAsyncCore()
    {
        await _dialect.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    protected override async IAsyncEnumerable<EventLogChunk> ReadCoreAsync(FunnelDefinition definition, int chunkSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
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
                    var buffer = new EventChunkBuffer(definition, chunkSize);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        buffer.Add(reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2), reader.IsDBNull(3) ? -1 : reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4));
                        if (buffer.IsFull)
                        {
                            yield return buffer.Take()!;
                        }
                    }

                    if (buffer.Take() is { } last)
                    {
                        yield return last;
                    }
                }
            }
        }
    }

    protected override async Task<long> CountCoreAsync(string funnelKey, CancellationToken cancellationToken)
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

    protected override async Task<long> DeleteCoreAsync(string funnelKey, CancellationToken cancellationToken)
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

    protected override async Task<TransitionReport> ComputeAggregatesCoreAsync(FunnelDefinition definition, TransitionAnalyzer analyzer, CancellationToken cancellationToken)
    {
        var window = analyzer.WindowSeconds;
        var result = new PushDownResult(definition) { UpperMedians = new long[definition.Stages.Length + 1] };
        var k = result.StageCount;
        var r = result.ReasonCount;
        var size = result.Size;
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await _dialect.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var funnelSql = analyzer.Anchor == AnchorMode.First && analyzer.StepWindowSeconds.IsEmpty ? FunnelSql(k) : ModesFunnelSql(k, analyzer.Anchor, analyzer.StepWindowSeconds);
                await ReadRowsAsync(connection, transaction, funnelSql, definition, window, row =>
                {
                    row.AsSpan(0, k).CopyTo(result.Reached);
                    result.Entities = row[k];
                    result.Events = row[k + 1];
                    result.Won = row[k + 2];
                    result.Lost = row[k + 3];
                    row.AsSpan(k + 4, k).CopyTo(result.OpenAt);
                }, cancellationToken).ConfigureAwait(false);
                await ReadRowsAsync(connection, transaction, PairsSql, definition, window, row =>
                {
                    switch (row[0])
                    {
                        case 0:
                            result.Transitions[(Row(row[1], k, definition) * size) + Row(row[2], k, definition)] = row[3];
                            break;
                        case 1:
                            var stay = Row(row[1], k, definition);
                            result.Medians[stay] = row[2];
                            result.Counts[stay] = row[3];
                            result.Totals[stay] = ((Int128)row[4] << 48) + ((Int128)row[5] << 32) + ((Int128)row[6] << 16) + row[7];
                            result.UpperMedians[stay] = row[8];
                            break;
                        default:
                            var reason = Check(row[2], r, definition, "loss reason");
                            switch (row[1])
                            {
                                case UnknownStage:
                                    result.LossesAtUnknownStage[reason] = row[3];
                                    break;
                                case LossRow:
                                    result.LossesAfterLoss[reason] = row[3];
                                    break;
                                default:
                                    result.Losses[(Check(row[1], k, definition, "stage") * r) + reason] = row[3];
                                    break;
                            }

                            break;
                    }
                }, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return result.ToReport(window);
    }

    /// <summary>The row PairsSql gives a loss event (the Lost row and column of the matrix, TimeAfterLoss, LossesAfterLoss).</summary>
    private const long LossRow = -1;

    /// <summary>The previous-event row PairsSql gives a loss that is its entity's first event (LossesAtUnknownStage).</summary>
    private const long UnknownStage = -2;

    /// <summary>
    /// Transitions, time in stage and losses (docs/bulk.md rules 3–5) from one per-entity ordering, (at, seq): time,
    /// ties in log order. Each event row is joined to the kinds it feeds and grouped once (g, small):
    /// <list type="bullet">
    /// <item>kind 0, a transition: (row of the event, row of the next event, count); an event's row is its stage for an
    /// entry and -1 (the Lost row and column) for a loss, so pairs after a loss and after the goal count too;</item>
    /// <item>kind 1, a stay: (row of the event, seconds to the next event, count) — the stay-length histogram of the row;</item>
    /// <item>kind 2, a loss: (stage of the previous event if it is an entry, -1 if it is a loss, -2 if the loss is the
    /// entity's first event; reason, count) — the loss row's own stage column is not used.</item>
    /// </list>
    /// Per stay row the last query gives (1, row, lower median, count, total as four 16-bit limbs, upper median). The
    /// lower median is the first length whose running count over the histogram reaches n/2 (index (n-1)/2 of the sorted
    /// stays); the upper median the first whose running count exceeds n/2 (index n/2: docs/bulk.md rule 13). The
    /// total is summed limb by limb: each limb sum is at most 2^16 times the number of stays, so it never overflows a
    /// 64-bit integer (SQLite has no wider type; PostgreSQL's bigint product would), and C# puts the limbs together
    /// as an Int128, exact beyond 2^63.
    /// </summary>
    private const string PairsSql =
        "WITH o AS (" +
        "SELECT stage, reason, at, " +
        "LEAD(stage) OVER w AS next_stage, LEAD(reason) OVER w AS next_reason, LEAD(at) OVER w AS next_at, " +
        "LAG(stage) OVER w AS prev_stage, LAG(reason) OVER w AS prev_reason " +
        "FROM funnel_events WHERE funnel_key = @f WINDOW w AS (PARTITION BY entity_id ORDER BY at, seq)), " +
        "g AS (" +
        "SELECT k.kind, " +
        // a: the row of the event (kinds 0 and 1); for a loss (kind 2), the row of the previous event or -2 (none).
        "CASE WHEN k.kind = 2 THEN (CASE WHEN o.prev_stage IS NULL THEN -2 WHEN o.prev_reason IS NOT NULL THEN -1 ELSE o.prev_stage END) " +
        "WHEN o.reason IS NOT NULL THEN -1 ELSE o.stage END AS a, " +
        // b: the row of the next event (kind 0), the stay's length (kind 1), the loss reason (kind 2).
        "CASE k.kind WHEN 0 THEN (CASE WHEN o.next_reason IS NOT NULL THEN -1 ELSE o.next_stage END) WHEN 1 THEN o.next_at - o.at ELSE o.reason END AS b, " +
        "COUNT(*) AS c " +
        "FROM o JOIN (SELECT 0 AS kind UNION ALL SELECT 1 UNION ALL SELECT 2) k " +
        // Every event with a successor is a pair (kinds 0 and 1); every loss event is a loss (kind 2).
        "ON (k.kind < 2 AND o.next_stage IS NOT NULL) OR (k.kind = 2 AND o.reason IS NOT NULL) " +
        "GROUP BY 1, 2, 3), " +
        "cum AS (SELECT a, b, c, SUM(c) OVER (PARTITION BY a ORDER BY b ROWS UNBOUNDED PRECEDING) AS running, SUM(c) OVER (PARTITION BY a) AS n FROM g WHERE kind = 1) " +
        "SELECT kind, a, b, c, 0, 0, 0, 0, 0 FROM g WHERE kind <> 1 " +
        "UNION ALL " +
        "SELECT 1, a, MIN(CASE WHEN 2 * running >= n THEN b END), MAX(n), " +
        "SUM((b >> 48) * c), SUM(((b >> 32) & 65535) * c), SUM(((b >> 16) & 65535) * c), SUM((b & 65535) * c), " +
        "MIN(CASE WHEN 2 * running > n THEN b END) FROM cum GROUP BY a";

    /// <summary>
    /// The ordered window funnel (docs/bulk.md rule 2) and the outcomes (rule 6) in one per-entity pass. The innermost
    /// query numbers each entity's events by (time, log position). The next level adds t0 = m0, the time of the
    /// entity's earliest entry into stage 0 (the anchor; none: the entity reaches nothing). Each enclosing level adds
    /// m(s), the TIME of the greedy match for stage s — the earliest entry (not a loss) into s at or after m(s - 1) and
    /// within the window of the anchor (at - t0 &lt;= @w) — as a window aggregate over the entity's partition. Matching by
    /// time, not position, makes entries that share a timestamp match in any order (stage 1 logged before stage 0 in
    /// the same second still reaches level 2), and taking the earliest feasible time at each stage is exact: any match
    /// can be moved to the greedy one stage by stage without breaking t0 &lt;= t1 &lt;= ... &lt;= t0 + @w. Only window
    /// functions partitioned by entity_id (one sort) and a final count, so Citus runs it shard by shard. The text
    /// depends only on the number of stages; the stage numbers and the goal (@g) are parameters. One row per entity
    /// survives, its last event (pos = n), which carries the entity's m(s) and decides its outcome. After the k reached
    /// counts come the entity count, the event count (the sum of each entity's event count n), the won count (last
    /// event an entry into the goal or later), the lost count (last event a loss) and k open counts (last event an
    /// entry into stage s before the goal).
    /// </summary>
    private static string FunnelSql(int stageCount)
    {
        var query = "SELECT entity_id, stage, at, reason, ROW_NUMBER() OVER (PARTITION BY entity_id ORDER BY at, seq) AS pos FROM funnel_events WHERE funnel_key = @f";
        query = "SELECT entity_id, stage, at, reason, pos, " +
            "MIN(CASE WHEN stage = @s0 AND reason IS NULL THEN at END) OVER e AS m0, " +
            "COUNT(*) OVER e AS n " +
            "FROM (" + query + ") x0 WINDOW e AS (PARTITION BY entity_id)";
        var columns = new StringBuilder("pos, n, m0");
        for (var s = 1; s < stageCount; s++)
        {
            query = "SELECT entity_id, stage, at, reason, " + columns +
                ", MIN(CASE WHEN stage = " + Sql.Name("@s", s) + " AND reason IS NULL AND at >= " + Sql.Name("m", s - 1) +
                " AND at - m0 <= @w THEN at END) OVER e AS " + Sql.Name("m", s) +
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

    /// <summary>
    /// The window funnel with per-step windows and the latest or best anchor (docs/bulk.md rules 2, 7 and 8), and the
    /// outcomes (rule 6), in one per-entity pass of window functions. A chain is entries into stages 0, 1, …, j at
    /// non-decreasing times e_0 ≤ … ≤ e_j with e_i − e_(i−1) ≤ W_i (step windows) and e_j − e_0 ≤ W; e_0 is the
    /// anchor: m0, the entity's earliest (First) or latest (Latest) entry into stage 0, or any entry into stage 0 (Best:
    /// every distinct time starts an attempt, and the deepest attempt is the longest chain over all anchors). An entry
    /// into stage j is an END of step j when a chain ends at it; for each end keep L, the latest anchor of its chains.
    /// <para>Along time, the ends of a step have non-decreasing L. Step 0: L is the end's own time. Step j: an entry at t
    /// ends a chain iff the end of step j − 1 with the largest L within [t − W_j, t] allows it (t − L ≤ W); by the
    /// induction that is the LATEST end of step j − 1 at or before t, if it lies within W_j; its L becomes the entry's,
    /// and a later entry's latest predecessor is no earlier, so its L is no smaller. Hence two running MAXes over the
    /// entity's rows ordered by time (RANGE frame up to the current row: rows with the same time are peers, so entries
    /// that share a timestamp match in any order) carry everything step j needs: e_j, the latest end time of step
    /// j − 1, and l_j, the largest (so the latest end's) L. An entry into j at t is an end when t − e_j ≤ W_j and
    /// t − l_j ≤ W, with L = l_j. With one anchor (First, Latest) L is m0 throughout: the engine's walk (ExactLevels).</para>
    /// Then one row per entity (GROUP BY entity_id) with the steps that have an end and its last event (pos = n), and
    /// the counts as <see cref="FunnelSql"/> gives them. Cost: one window pass per stage (two aggregates over one
    /// window), like <see cref="FunnelSql"/>, linear per entity. The step windows are written into the text as integer
    /// literals; everything else is a parameter.
    /// </summary>
    private static string ModesFunnelSql(int stageCount, AnchorMode anchor, ImmutableArray<long> stepWindows)
    {
        var best = anchor == AnchorMode.Best;
        var query = "SELECT entity_id, stage, at, reason, " +
            "ROW_NUMBER() OVER (PARTITION BY entity_id ORDER BY at, seq) AS pos, COUNT(*) OVER e AS n" +
            (best ? string.Empty : ", " + (anchor == AnchorMode.Latest ? "MAX" : "MIN") + "(CASE WHEN stage = @s0 AND reason IS NULL THEN at END) OVER e AS m0") +
            " FROM funnel_events WHERE funnel_key = @f WINDOW e AS (PARTITION BY entity_id)";
        var columns = new StringBuilder(best ? "pos, n" : "pos, n, m0");
        for (var j = 1; j < stageCount; j++)
        {
            query = "SELECT entity_id, stage, at, reason, " + columns +
                ", MAX(" + End(j - 1, best, stepWindows, "at") + ") OVER w AS " + Sql.Name("e", j) +
                ", MAX(" + End(j - 1, best, stepWindows, "anchor") + ") OVER w AS " + Sql.Name("l", j) +
                " FROM (" + query + ") " + Sql.Name("x", j) +
                " WINDOW w AS (PARTITION BY entity_id ORDER BY at RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)";
            columns.Append(", ").Append(Sql.Name("e", j)).Append(", ").Append(Sql.Name("l", j));
        }

        // Per entity: the steps that have an end and the last event; then the counts.
        var perEntity = new StringBuilder("SELECT MAX(n) AS n");
        for (var j = 0; j < stageCount; j++)
        {
            perEntity.Append(", MAX(").Append(End(j, best, stepWindows, "at")).Append(") AS ").Append(Sql.Name("r", j));
        }

        perEntity.Append(", MAX(CASE WHEN pos = n AND reason IS NULL THEN stage END) AS last_stage, MAX(CASE WHEN pos = n AND reason IS NOT NULL THEN 1 END) AS last_lost")
            .Append(" FROM (").Append(query).Append(") z GROUP BY entity_id");
        var counts = new StringBuilder("SELECT ");
        for (var j = 0; j < stageCount; j++)
        {
            counts.Append("COUNT(").Append(Sql.Name("r", j)).Append("), ");
        }

        counts.Append("COUNT(*), SUM(n), COUNT(CASE WHEN last_stage >= @g THEN 1 END), COUNT(last_lost)");
        for (var s = 0; s < stageCount; s++)
        {
            counts.Append(", COUNT(CASE WHEN last_stage = ").Append(Sql.Name("@s", s)).Append(" AND last_stage < @g THEN 1 END)");
        }

        return counts.Append(" FROM (").Append(perEntity).Append(") y").ToString();
    }

    /// <summary>
    /// For a row that is an end of step <paramref name="j"/>, its time (<paramref name="value"/> "at") or its latest
    /// anchor L ("anchor"); NULL for any other row. Step 0: an entry into stage 0 that is an anchor (any for Best, m0
    /// otherwise), L its own time. Step j ≥ 1: an entry into stage j within W_j of e_j and within the window of l_j, L = l_j.
    /// </summary>
    private static string End(int j, bool best, ImmutableArray<long> stepWindows, string value)
    {
        if (j == 0)
        {
            return "CASE WHEN stage = @s0 AND reason IS NULL" + (best ? string.Empty : " AND at = m0") + " THEN at END";
        }

        var l = Sql.Name("l", j);
        var step = StepSeconds(stepWindows, j) is { } seconds
            ? " AND at - " + Sql.Name("e", j) + " <= " + seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : string.Empty;
        return "CASE WHEN stage = " + Sql.Name("@s", j) + " AND reason IS NULL AND at - " + l + " <= @w" + step + " THEN " + (value == "at" ? "at" : l) + " END";
    }

    /// <summary>The window of step <paramref name="j"/> in whole seconds (<see cref="TransitionAnalyzer.StepWindowSeconds"/>), or null when it limits nothing (none, or at least 2^40 s: stored times span less, year 1 to 9999 being about 2^38 s).</summary>
    private static long? StepSeconds(ImmutableArray<long> stepWindows, int j) =>
        stepWindows.IsDefaultOrEmpty || stepWindows[j - 1] >= 1L << 40 ? null : stepWindows[j - 1];

    /// <summary>A row of the transition matrix or of time in stage: a stage ordinal, or the Lost row (k) for <see cref="LossRow"/>.</summary>
    private static int Row(long value, int stageCount, FunnelDefinition definition) =>
        value == LossRow ? stageCount : Check(value, stageCount, definition, "stage");

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
