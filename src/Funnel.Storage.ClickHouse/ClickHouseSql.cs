using System.Globalization;
using System.Text;

namespace Funnel.Storage.ClickHouse;

/// <summary>
/// The push-down SQL (docs/bulk.md rules 1–6) in the dialect of ClickHouse 18.16 and newer: no window functions and
/// no closures in lambdas there, so each lead's events are gathered into arrays (<c>groupArray</c>) and walked with
/// array functions, every value a lambda needs passed to it as an array of its own (<c>replicate</c>).
/// </summary>
/// <remarks>
/// <para>One row per lead: the inner query groups by <c>entity_id</c>. On a cluster it runs on every shard with
/// <c>distributed_group_by_no_merge = 1</c>, which is exact because the sharding key is the entity id: every row of a
/// lead is on one shard, so each shard's group of a lead is the lead's whole group. What crosses to the initiator is
/// one short row of small integers per lead (its codes below), never the events; the outer query counts the codes.</para>
/// <para>Rule 1: the lead's rows are sorted as tuples (at, append_id, pos, stage, reason): by time, then by insertion
/// (append, then position in the append), which is unique, so the order is total and the same on every run.</para>
/// </remarks>
internal static class ClickHouseSql
{
    /// <summary>Tags of the codes the funnel query emits, in the bits above <see cref="TagShift"/>.</summary>
    public const int TransitionTag = 1, LossTag = 2, LevelTag = 3, OutcomeTag = 4;

    public const int TagShift = 40;

    /// <summary>A ClickHouse string literal: backslash and single quote escaped (the server reads every other byte as is).</summary>
    public static string Literal(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (c is '\\' or '\'')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.Append('\'').ToString();
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The per-lead arrays: T, S, R (times, stages, reasons) in rule-1 order, and C, each event's row of the matrix:
    /// its stage for an entry, k (the Lost row and column) for a loss.
    /// </summary>
    private static string Lead(int k) =>
        "arraySort(groupArray((at, append_id, pos, stage, reason))) AS z, " +
        "arrayMap(x -> tupleElement(x, 1), z) AS T, arrayMap(x -> tupleElement(x, 4), z) AS S, arrayMap(x -> tupleElement(x, 5), z) AS R, " +
        "arrayMap((s, r) -> if(r >= 0, " + Number(k) + ", s), S, R) AS C";

    /// <summary>
    /// Transitions, losses, the window funnel level and the outcome of each lead as tagged codes, counted: rows
    /// (code, count).
    /// <list type="bullet">
    /// <item>Rule 3, transitions: every consecutive pair (C[i], C[i+1]) as C[i]·(k+1) + C[i+1], after the goal and
    /// after a loss too.</item>
    /// <item>Rule 5, losses: for each loss, its previous event's row (a stage, k after a loss, k + 1 when the loss is
    /// the lead's first event: the unknown stage) · reasons + reason.</item>
    /// <item>Rule 2, the level: m0 = the earliest entry into stage 0; m(s) = the earliest entry into s at or after
    /// m(s−1) and within the window of m0. Matching by time makes ties match in any order, and the earliest feasible
    /// time per stage is exact (any chain can be moved to the greedy one stage by stage). The level is the number of
    /// stages matched; a lead without an entry into stage 0 has level 0. Reached[s] counts the levels above s.</item>
    /// <item>Rule 6, the outcome: the last event's row (k = a loss).</item>
    /// </list>
    /// </summary>
    public static string Funnel(string table, string filter, int k, int reasons, long window)
    {
        var level = new StringBuilder();
        level.Append("arrayExists((s, r) -> s = 0 AND r = -1, S, R) AS ok0, ");
        level.Append("arrayReduce('min', arrayFilter((t, s, r) -> s = 0 AND r = -1, T, S, R)) AS m0, ");
        var sum = new StringBuilder("ok0");
        for (var s = 1; s < k; s++)
        {
            var n = Number(s);
            var previous = Number(s - 1);
            level.Append("arrayFilter((t, st, r, lo, a) -> st = ").Append(n).Append(" AND r = -1 AND t >= lo AND t - a <= ").Append(Number(window))
                .Append(", T, S, R, replicate(m").Append(previous).Append(", T), replicate(m0, T)) AS c").Append(n).Append(", ");
            level.Append("ok").Append(previous).Append(" AND notEmpty(c").Append(n).Append(") AS ok").Append(n).Append(", ");
            level.Append("arrayReduce('min', c").Append(n).Append(") AS m").Append(n).Append(", ");
            sum.Append(" + ok").Append(n);
        }

        var tag = (long)1 << TagShift;
        string Tagged(int t, string array) => "arrayMap(x -> toUInt64(x) + " + Number(t * tag) + ", " + array + ")";
        var width = Number(k + 1);
        var reasonWidth = Number(Math.Max(reasons, 1));
        var codes =
            "arrayConcat(" +
            Tagged(TransitionTag, "arrayMap((a, b) -> a * " + width + " + b, arrayPopBack(C), arrayPopFront(C))") + ", " +
            Tagged(LossTag, "arrayFilter((code, r) -> r >= 0, arrayMap((p, r) -> p * " + reasonWidth + " + r, arrayPushFront(arrayPopBack(C), " + width + "), R), R)") + ", " +
            Tagged(LevelTag, "[" + sum + "]") + ", " +
            Tagged(OutcomeTag, "[C[-1]]") + ") AS codes";
        var inner = "SELECT " + Lead(k) + ", " + level + codes + " FROM " + table + " WHERE " + filter + " GROUP BY entity_id";
        return "SELECT code, count() FROM (" + inner + ") ARRAY JOIN codes AS code GROUP BY code FORMAT TabSeparated";
    }

    /// <summary>
    /// Rule 4, time in stage: every pair is a stay of its first event's row (C[i]) lasting T[i+1] − T[i] seconds. Per
    /// row: the count, the total as two 32-bit limbs (each limb sum stays far below 2^63, and C# joins them into an
    /// Int128), and the exact lower median, element (n − 1) / 2 of the sorted stays.
    /// </summary>
    public static string Stays(string table, string filter, int k) =>
        "SELECT row, count(), sum(bitShiftRight(d, 32)), sum(bitAnd(d, 4294967295)), arraySort(groupArray(d))[intDiv(count() - 1, 2) + 1] FROM (" +
        "SELECT " + Lead(k) + ", arrayPopBack(C) AS rows, arrayPopFront(arrayDifference(T)) AS durations FROM " + table + " WHERE " + filter +
        " GROUP BY entity_id) ARRAY JOIN rows AS row, durations AS d GROUP BY row FORMAT TabSeparated";
}
