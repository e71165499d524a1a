using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Core.DuckDbTests;

/// <summary>
/// A seeded generator of small logs in the hard shapes: many ties at several stages within one entity, shuffled
/// rows, a loss first, a loss after a loss, events after the goal or after a loss, entities without stage 0,
/// single-event entities, timestamps at 0, around year 2300, at both ends of the range a log accepts (years 1 and
/// 9999) and 130-year gaps; 1..6 stages, 0..3 loss reasons,
/// windows from 0 to <see cref="long.MaxValue"/>, and per-step windows in a third of the funnels.
/// </summary>
internal static class RandomLogs
{
    private const long Year2026 = 1_767_225_600;
    private const long Year2100 = 4_102_444_800;
    private const long Year2300 = 10_413_792_000;

    private static readonly long[] BaseTimes = [0, 1, 86_400, Year2026, Year2100, Year2300, TransitionLog.MinTimestamp, TransitionLog.MaxTimestamp - 86_400];
    private static readonly long[] Windows = [0, 1, 2, 5, 60, 3_600, 86_400, Year2100, Year2300, long.MaxValue];
    private static readonly long[] StepWindowChoices = [0, 1, 2, 5, 30, 120, 86_400];
    private static readonly long[] BinEdgeChoices = [0, 1, 2, 5, 30, 60, 120, 3_600, 86_400, Year2026, Year2100];

    // Entity keys that an exact (ordinal) comparison tells apart and a sloppy one would merge: case, spaces around,
    // leading zeros, a quote and a delimiter, non-ASCII.
    private static readonly string[] KeyVariants = ["Ann", "ann", "Ann ", " Ann", "007", "7", "O\"Brien, Pat", "Zoë", "Zoe\u0308", "lead-1"];

    /// <summary>Gets the seed of a test run: FUNNEL_ORACLE_SEED when set (to replay a failure), else a fixed one.</summary>
    public static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("FUNNEL_ORACLE_SEED"), out var seed) ? seed : 20_261_130;

    /// <summary>Generates <paramref name="count"/> cases from <paramref name="seed"/>.</summary>
    public static OracleCase[] Generate(int seed, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Next(random)).ToArray();
    }

    /// <summary>Generates one case of 0..8 entities, 1..6 stages and 0..3 loss reasons.</summary>
    public static OracleCase Next(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Next(random, random.Next(0, 9), random.Next(1, 7), random.Next(0, 4));
    }

    /// <summary>Generates one case with the given numbers of entities, stages and loss reasons, and up to <paramref name="maxEvents"/> events per entity.</summary>
    public static OracleCase Next(Random random, int entityCount, int stages, int reasons, int maxEvents = 12)
    {
        ArgumentNullException.ThrowIfNull(random);
        var goal = random.Next(stages);
        var window = random.Next(4) == 0 ? random.NextInt64(0, 200) : Windows[random.Next(Windows.Length)];
        var rows = new List<(int Entity, int Stage, long Ts, int Reason)>();
        var stride = random.Next(2) == 0 ? 1 : 100;   // dense ids or sparse ones, in random order
        var ids = Enumerable.Range(0, entityCount).Select(i => (i * stride) + random.Next(stride)).OrderBy(_ => random.Next()).ToArray();
        foreach (var entity in ids)
        {
            AddEntity(random, rows, entity, stages, reasons, maxEvents);
        }

        var ordered = random.Next(3) switch
        {
            0 => rows.OrderBy(_ => random.Next()).ToList(),     // shuffled: no order at all
            1 => rows.OrderBy(r => r.Ts).ToList(),              // time ordered (stable: ties keep their order)
            _ => rows,                                          // grouped by entity
        };

        var builder = new TransitionLogBuilder(ordered.Count);
        foreach (var (entity, stage, ts, reason) in ordered)
        {
            builder.Add(entity, stage, ts, reason);
        }

        // A third of the funnels of two or more stages have per-step windows, some steps without one.
        long[]? stepWindows = stages > 1 && random.Next(3) == 0
            ? [.. Enumerable.Range(0, stages - 1).Select(_ => random.Next(3) == 0 ? long.MaxValue : StepWindowChoices[random.Next(StepWindowChoices.Length)])]
            : null;
        return new OracleCase(builder.Build(), stages, goal, reasons, window, stepWindows);
    }

    private static void AddEntity(Random random, List<(int, int, long, int)> rows, int entity, int stages, int reasons, int maxEvents)
    {
        // Single-event entities are common; otherwise up to maxEvents events.
        var events = random.Next(5) == 0 ? 1 : random.Next(2, maxEvents + 1);
        var time = BaseTimes[random.Next(BaseTimes.Length)] + random.Next(0, 100);
        var withoutStageZero = random.Next(6) == 0;
        var next = withoutStageZero ? Math.Min(1, stages - 1) : 0;
        var own = new List<(int Entity, int Stage, long Ts, int Reason)>();
        for (var i = 0; i < events; i++)
        {
            // Ties are the rule rather than the exception: most steps keep the time or add a second.
            time += random.Next(10) switch
            {
                < 4 => 0,
                < 6 => 1,
                < 8 => random.Next(2, 120),
                8 => random.Next(86_400),
                _ => random.Next(3) == 0 ? Year2100 : 0,       // a 130-year gap now and then
            };
            time = Math.Min(time, TransitionLog.MaxTimestamp);

            // Mostly onward through the funnel (so chains get long and tie at several stages), else anywhere.
            var stage = random.Next(10) < 6 ? next : random.Next(stages);
            if (withoutStageZero && stage == 0)
            {
                stage = stages > 1 ? random.Next(1, stages) : 0;
            }

            next = Math.Min(stage + 1, stages - 1);
            var loss = reasons > 0 && (random.Next(5) == 0 || (i == 0 && random.Next(8) == 0));
            if (withoutStageZero && stage == 0 && !loss)
            {
                continue;   // a one-stage funnel: an entity without stage 0 has only losses
            }

            own.Add((entity, stage, time, loss ? random.Next(reasons) : TransitionLog.NoLossReason));
        }

        // Now and then log each group of equal timestamps backwards (stage 2 before 1 before 0 in the same second).
        if (random.Next(3) == 0)
        {
            own = own.GroupBy(r => r.Ts).SelectMany(g => g.Reverse()).ToList();
        }

        rows.AddRange(own.Select(r => ((int, int, long, int))r));
    }

    /// <summary>
    /// Gives a case random funnel modes (docs/bulk.md rules 8-13) of one of <paramref name="orders"/>: any anchor;
    /// for Ordered and Strict the case's per-step windows, optional steps (each step with probability 1/4) and up to two
    /// exclusions between required steps (an entry into any stage, a loss of any reason or of one); for Unordered no
    /// per-step windows (it refuses them); automatic time-to-convert bins or 1..4 explicit edges.
    /// </summary>
    public static OracleCase WithModes(OracleCase c, Random random, params StepOrder[] orders)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(random);
        var order = orders[random.Next(orders.Length)];
        var anchor = (AnchorMode)random.Next(3);
        var bins = random.Next(3) == 0
            ? ConversionTimeBins.Edges(BinEdgeChoices.OrderBy(_ => random.Next()).Take(random.Next(1, 5)).Order().Select(e => TimeSpan.FromSeconds(e)))
            : ConversionTimeBins.Automatic;
        if (order == StepOrder.Unordered)
        {
            return c with { StepWindows = null, Modes = new OracleModes(anchor, order, Bins: bins) };
        }

        int[] optional = [.. Enumerable.Range(1, c.StageCount - 1).Where(_ => random.Next(4) == 0)];
        int[] required = [.. Enumerable.Range(0, c.StageCount).Except(optional)];
        var exclusions = new List<FunnelExclusion>();
        for (var x = random.Next(3); x > 0 && required.Length > 1; x--)
        {
            var from = random.Next(required.Length - 1);
            var (i, j) = (required[from], required[random.Next(from + 1, required.Length)]);
            exclusions.Add((random.Next(3), c.ReasonCount) switch
            {
                (0, _) or (_, 0) => FunnelExclusion.Stage(Text(random.Next(c.StageCount)), i, j),
                (1, _) => FunnelExclusion.Loss(i, j),
                _ => FunnelExclusion.Loss(i, j, Text(random.Next(c.ReasonCount))),
            });
        }

        return c with { Modes = new OracleModes(anchor, order, optional, [.. exclusions], bins) };

        static string Text(int ordinal) => ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Names a case's entities by string keys that differ only in case, spaces, leading zeros and the like, and
    /// builds the log again by interning them with <see cref="EntityInterner{TKey}"/> row by row, as an application
    /// would: DuckDB then groups the rows by the key text itself.
    /// </summary>
    public static OracleCase WithStringKeys(OracleCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var log = c.Log;
        var rows = Enumerable.Range(0, log.Count)
            .Select(i => new HandLog.KeyedRow(Key(log.EntityIds[i]), log.Stages[i], log.Timestamps[i], log.LossReasons[i]))
            .ToArray();
        var (keyed, keys) = HandLog.Keyed(rows);
        return c with { Log = keyed, RowKeys = keys };

        static string Key(int id) =>
            KeyVariants[id % KeyVariants.Length] + (id < KeyVariants.Length ? string.Empty : "#" + (id / KeyVariants.Length).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
