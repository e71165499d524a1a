using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Funnel.Core.Metrics;

namespace Funnel.Storage.ClickHouse;

/// <summary>
/// The push-down SQL (docs/bulk.md rules 1–8: per-step windows and the first, latest and best anchors) in the dialect
/// of ClickHouse 18.16 and newer: no window functions, no <c>arrayFold</c> and no recursive CTE there, so each lead's
/// events are gathered into arrays (<c>groupArray</c>) and walked with array functions, one expression per stage.
/// A lambda that captures a value of the row is copied per array element, so lambdas capture scalars (or arrays
/// of one element) only; an array a lambda needs is passed to it as an argument (<c>replicate</c> for scalars).
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
    /// <item>Rules 2, 7 and 8, the level: see <see cref="Level"/>.</item>
    /// <item>Rule 6, the outcome: the last event's row (k = a loss).</item>
    /// </list>
    /// </summary>
    /// <param name="table">The events table.</param>
    /// <param name="filter">The WHERE condition of the visible rows.</param>
    /// <param name="k">The number of stages.</param>
    /// <param name="reasons">The number of loss reasons.</param>
    /// <param name="funnel">The window funnel asked for.</param>
    public static string Funnel(string table, string filter, int k, int reasons, WindowFunnel funnel)
    {
        var (level, sum) = Level(k, funnel);
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
    /// The per-lead window-funnel level (rules 2, 7 and 8) as select items, and the expression that sums it: the greedy
    /// match without per-step windows from one anchor (<see cref="GreedyLevel"/>), the match ends otherwise
    /// (<see cref="ChainLevel"/>).
    /// </summary>
    private static (string Items, string Sum) Level(int k, WindowFunnel funnel) =>
        funnel.StepWindowSeconds.IsEmpty && funnel.Anchor != AnchorMode.Best ? GreedyLevel(k, funnel) : ChainLevel(k, funnel);

    /// <summary>
    /// The level from one anchor without per-step windows: m0 = the earliest (first) or latest (latest) entry into
    /// stage 0; m(s) = the earliest entry into s at or after m(s−1) and within the window of m0. Matching by time
    /// makes ties match in any order, and the earliest feasible time per stage is exact (any chain can be moved to the
    /// greedy one stage by stage). The level is the number of stages matched; a lead without an entry into stage 0
    /// has level 0.
    /// </summary>
    private static (string Items, string Sum) GreedyLevel(int k, WindowFunnel funnel)
    {
        var level = new StringBuilder();
        level.Append("arrayExists((s, r) -> s = 0 AND r = -1, S, R) AS ok0, ");
        level.Append("arrayReduce('").Append(funnel.Anchor == AnchorMode.Latest ? "max" : "min").Append("', arrayFilter((t, s, r) -> s = 0 AND r = -1, T, S, R)) AS m0, ");
        var sum = new StringBuilder("ok0");
        for (var s = 1; s < k; s++)
        {
            var n = Number(s);
            var previous = Number(s - 1);
            level.Append("arrayFilter((t, st, r, lo, a) -> st = ").Append(n).Append(" AND r = -1 AND t >= lo AND t - a <= ").Append(Number(funnel.WindowSeconds))
                .Append(", T, S, R, replicate(m").Append(previous).Append(", T), replicate(m0, T)) AS c").Append(n).Append(", ");
            level.Append("ok").Append(previous).Append(" AND notEmpty(c").Append(n).Append(") AS ok").Append(n).Append(", ");
            level.Append("arrayReduce('min', c").Append(n).Append(") AS m").Append(n).Append(", ");
            sum.Append(" + ok").Append(n);
        }

        return (level.ToString(), sum.ToString());
    }

    /// <summary>
    /// The level with per-step windows, or with the best anchor: the deepest step with a match end.
    /// </summary>
    /// <remarks>
    /// <para>A <i>match end</i> of step j is an entry into stage j that ends a chain of entries into stages 0 … j from
    /// an anchor a: times a = t_0 ≤ t_1 ≤ … ≤ t_j ≤ a + W, each t_i − t_{i−1} within step i's window. The level is
    /// the number of steps with a match end (a prefix: a chain to j holds one to j − 1). For each match end the query
    /// keeps the latest anchor it can have, L; the global window holds iff t_j − L ≤ W.</para>
    /// <para>Anchors, the match ends of step 0, each its own L: the earliest entry into stage 0 (first), the latest
    /// (latest), or every one (best: every entry starts an attempt and the deepest counts, which is the deepest step
    /// with a match end from any anchor; without exclusions or time to convert the tie to the earliest attempt
    /// changes no number).</para>
    /// <para>Step j from step j − 1, with no loop (18.16 has no <c>arrayFold</c>): along increasing time the match
    /// ends of a step have non-decreasing L (by induction from step 0, where L is the time itself: each end takes the
    /// L of its latest predecessor, and a later entry's latest predecessor is no earlier). So for an entry into
    /// stage j at time t the best predecessor is the <i>latest</i> end of step j − 1 at or before t: it is the
    /// closest (the step window) and has the largest L (the global window); the entry is a match end iff that
    /// predecessor exists, lies within the step window and t − L ≤ W. (An end that fails the global window is
    /// dropped at once: any entry after it fails through it or through an earlier end alike.) The query sorts the ends of step j − 1 (tag 0)
    /// with the entries into stage j (tag 1) by (time, tag) — an end in the same second comes first, so equal
    /// timestamps match in any order — and finds each entry's latest predecessor with running sums
    /// (<c>arrayCumSum</c>) of the ends' count and of the increments of their times and anchors. No lambda iterates
    /// over one array while capturing another (ClickHouse would copy the captured array per element), so each step
    /// costs one sort: n log n per lead.</para>
    /// <para>This is the bulk engine's per-stage "latest end" walk (ExactLevels, LeadEvaluator) stage by stage, for
    /// every anchor at once.</para>
    /// </remarks>
    private static (string Items, string Sum) ChainLevel(int k, WindowFunnel funnel)
    {
        var items = new StringBuilder();
        var sum = new StringBuilder();
        var window = Number(funnel.WindowSeconds);
        for (var j = 0; j < k; j++)
        {
            items.Append("arrayFilter((t, s, r) -> s = ").Append(Number(j)).Append(" AND r = -1, T, S, R) AS e").Append(Number(j)).Append(", ");
        }

        // ends j: the match ends of step j as (time, latest anchor), ascending.
        items.Append("arrayMap(t -> (t, t), ").Append(funnel.Anchor switch
        {
            AnchorMode.Latest => "arraySlice(e0, -1, 1)",
            AnchorMode.Best => "e0",
            _ => "arraySlice(e0, 1, 1)",
        }).Append(") AS ends0, ");
        sum.Append("notEmpty(ends0)");
        for (var j = 1; j < k; j++)
        {
            // merged: (time, tag, time increment, anchor increment) — the ends of step j − 1 (tag 0) and the entries
            // into stage j (tag 1); the running sums give each entry its latest predecessor's count, time and anchor.
            var check = "tupleElement(x, 2) = 1 AND c > 0 AND tupleElement(x, 1) - pa <= " + window;
            if (funnel.StepWindowSeconds is { IsEmpty: false } steps && steps[j - 1] != long.MaxValue)
            {
                check += " AND tupleElement(x, 1) - pt <= " + Number(steps[j - 1]);
            }

            const string Anchors = "arrayCumSum(arrayMap(x -> tupleElement(x, 4), merged))";
            var merged =
                "arraySort(arrayConcat(arrayMap((x, dt, da) -> (tupleElement(x, 1), toUInt8(0), dt, da), prev, " +
                Increments("arrayMap(x -> tupleElement(x, 1), prev)") + ", " + Increments("arrayMap(x -> tupleElement(x, 2), prev)") + "), " +
                "arrayMap(t -> (t, toUInt8(1), toInt64(0), toInt64(0)), e" + Number(j) + ")))";
            var ends =
                "arrayFilter((y, ok) -> ok, arrayMap((x, pa) -> (tupleElement(x, 1), pa), merged, " + Anchors + "), " +
                "arrayMap((x, c, pt, pa) -> " + check + ", merged, arrayCumSum(arrayMap(x -> 1 - tupleElement(x, 2), merged)), " +
                "arrayCumSum(arrayMap(x -> tupleElement(x, 3), merged)), " + Anchors + "))";
            items.Append(Let("ends" + Number(j - 1), "prev", Let(merged, "merged", ends))).Append(" AS ends").Append(Number(j)).Append(", ");
            sum.Append(" + notEmpty(ends").Append(Number(j)).Append(')');
        }

        return (items.ToString(), sum.ToString());

        static string Increments(string array) => "arrayPopFront(arrayDifference(arrayPushFront(" + array + ", toInt64(0))))";
    }

    /// <summary>
    /// <paramref name="body"/> with <paramref name="name"/> bound to <paramref name="value"/>, as a lambda over a
    /// one-element array: ClickHouse copies an alias's whole expression wherever the alias is named, so a chain of
    /// aliases each named several times grows exponentially; a lambda parameter is named for free.
    /// </summary>
    private static string Let(string value, string name, string body) => "arrayMap(" + name + " -> " + body + ", [" + value + "])[1]";

    /// <summary>
    /// Rule 4, time in stage: every pair is a stay of its first event's row (C[i]) lasting T[i+1] − T[i] seconds. Per
    /// row: the count, the total as two 32-bit limbs (each limb sum stays far below 2^63, and C# joins them into an
    /// Int128), and the exact lower and upper medians, elements (n − 1) / 2 and n / 2 of the sorted stays (rule 13: the
    /// interpolated median is their mean).
    /// </summary>
    public static string Stays(string table, string filter, int k) =>
        "SELECT row, count(), sum(bitShiftRight(d, 32)), sum(bitAnd(d, 4294967295)), (arraySort(groupArray(d)) AS sorted)[intDiv(count() - 1, 2) + 1], sorted[intDiv(count(), 2) + 1] FROM (" +
        "SELECT " + Lead(k) + ", arrayPopBack(C) AS rows, arrayPopFront(arrayDifference(T)) AS durations FROM " + table + " WHERE " + filter +
        " GROUP BY entity_id) ARRAY JOIN rows AS row, durations AS d GROUP BY row FORMAT TabSeparated";
}

/// <summary>The window funnel a push-down computes: the window, the per-step windows (empty for none; value j − 1 for step j, <see cref="long.MaxValue"/> for a step without one) and the anchor.</summary>
internal sealed record WindowFunnel(long WindowSeconds, ImmutableArray<long> StepWindowSeconds, AnchorMode Anchor);
