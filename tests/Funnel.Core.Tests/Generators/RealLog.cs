using FsCheck;
using FsCheck.Fluent;
using System.Globalization;

using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Core.Tests.Bulk;

/// <summary>
/// A random event log shaped like a real export rather than like the benchmark generator's: many leads share
/// timestamps at several stages (logged in any order), rows arrive unsorted or grouped by lead, leads start
/// mid-funnel or are lost as their first event, are lost twice, go on after the goal or after a loss, and timestamps
/// sit at the ends of the valid range with gaps of 130 years. <see cref="Seed"/> drives the permutations and splits
/// that the properties apply.
/// </summary>
public sealed record RealLog(int Stages, int Goal, int Reasons, long Window, RealLog.Row[] Events, int Seed, long[]? StepWindows = null)
{
    /// <summary>130 years in seconds.</summary>
    public const long Gap130Years = 4_102_444_800L;

    public TransitionLog ToLog() => ToLog(Events);

    public static TransitionLog ToLog(IEnumerable<Row> rows)
    {
        var builder = new TransitionLogBuilder();
        foreach (var e in rows)
        {
            builder.Add(e.Entity, e.Stage, e.Time, e.Reason);
        }

        return builder.Build();
    }

    internal ReferenceResult Reference() => ReferenceAnalyzer.Analyze(ToLog(), Stages, Goal, Reasons, Window, StepWindows);

    /// <summary>An analyzer for this case's funnel and windows.</summary>
    public TransitionAnalyzer Analyzer(int maxDegreeOfParallelism = -1) =>
        new(new FunnelShape(Stages, Goal, Reasons), TimeSpan.FromSeconds(Window), maxDegreeOfParallelism)
        {
            StepWindows = StepWindows is null ? [] : [.. StepWindows.Select(w => w == long.MaxValue ? (TimeSpan?)null : TimeSpan.FromSeconds(w))],
        };

    /// <summary>An analyzer for this case's funnel and windows with the given modes, collecting time to convert.</summary>
    internal TransitionAnalyzer Analyzer(ReferenceAnalyzer.ModeOptions modes, int maxDegreeOfParallelism = -1) =>
        new(new FunnelShape(Stages, Goal, Reasons), TimeSpan.FromSeconds(Window), maxDegreeOfParallelism)
        {
            Order = modes.Order,
            Anchor = modes.Anchor,
            StepWindows = modes.StepWindows is null ? [] : [.. modes.StepWindows.Select(w => w == long.MaxValue ? (TimeSpan?)null : TimeSpan.FromSeconds(w))],
            OptionalSteps = [.. modes.Optional],
            Exclusions = [.. modes.Exclusions.Select(x => x.Stage >= 0
                ? FunnelExclusion.Stage(x.Stage.ToString(CultureInfo.InvariantCulture), x.FromStep, x.ToStep)
                : FunnelExclusion.Loss(x.FromStep, x.ToStep, x.Reason < 0 ? null : x.Reason.ToString(CultureInfo.InvariantCulture)))],
            ConversionTimes = true,
        };

    /// <summary>
    /// Random modes for this funnel: optional steps (each step ≥ 1 with probability 1/4), up to two exclusions between
    /// required steps targeting a stage, any loss or a loss of one reason, and this case's per-step windows; none of
    /// them with <see cref="StepOrder.Unordered"/>, which refuses them.
    /// </summary>
    internal ReferenceAnalyzer.ModeOptions RandomModes(AnchorMode anchor, StepOrder order, Random random)
    {
        if (order == StepOrder.Unordered)
        {
            return new(anchor, order, [], [], null);
        }

        var optional = Enumerable.Range(1, Stages - 1).Where(_ => random.Next(4) == 0).ToArray();
        var required = Enumerable.Range(0, Stages).Except(optional).ToArray();
        var exclusions = new List<(int, int, int, int)>();
        for (var i = random.Next(3); i > 0 && required.Length >= 2; i--)
        {
            var from = random.Next(required.Length - 1);
            var to = random.Next(from + 1, required.Length);
            var stage = random.Next(3) == 0 || Reasons == 0 ? random.Next(Stages) : -1;
            var reason = stage < 0 && random.Next(2) == 0 ? random.Next(Reasons) : -1;
            exclusions.Add((stage, reason, required[from], required[to]));
        }

        return new(anchor, order, [.. exclusions], optional, StepWindows);
    }

    /// <summary>This case with every lead cut to its first <paramref name="limit"/> rows (in input order).</summary>
    public RealLog CutLeads(int limit) =>
        this with { Events = [.. Events.Select((e, i) => (e, i)).GroupBy(x => x.e.Entity).SelectMany(g => g.Take(limit)).OrderBy(x => x.i).Select(x => x.e)] };

    public override string ToString() =>
        $"stages {Stages}, goal {Goal}, reasons {Reasons}, window {Window}, steps [{(StepWindows is null ? "none" : string.Join(", ", StepWindows))}], seed {Seed}, rows [{string.Join("; ", Events.Select(e => e.ToString()))}]";

    /// <summary>The arbitrary: composable shapes per lead, and a shrinker that drops leads and rows.</summary>
    public static Arbitrary<RealLog> Arbitrary() => Arb.From(Generator(), Shrink);

    private static Gen<RealLog> Generator() =>
        from stages in Gen.Choose(1, 6)
        from goal in Gen.Choose(0, stages - 1)
        from reasons in Gen.Choose(0, 3)
        from window in Gen.Elements(0L, 1L, 5L, 60L, 3_600L, (long)TimeSpan.MaxValue.TotalSeconds)
        from baseTime in Gen.Elements(0L, 1_767_225_600L, TransitionLog.MinTimestamp, TransitionLog.MaxTimestamp - (3 * Gap130Years))
        from leadCount in Gen.Choose(1, 8)
        from idScale in Gen.Elements(1, 1, 1, 4099)
        from leads in Gen.ArrayOf(LeadGen(stages, reasons, baseTime), leadCount)
        from order in Gen.Elements(InputOrder.TimeSorted, InputOrder.Shuffled, InputOrder.GroupedByLead)
        from seed in Gen.Choose(0, int.MaxValue)
        from hasSteps in Gen.Elements(false, false, true)
        from steps in Gen.ArrayOf(Gen.Elements(0L, 1L, 2L, 10L, long.MaxValue), Math.Max(0, stages - 1))
        let rows = leads.SelectMany((lead, i) => lead.Select(e => e with { Entity = i * idScale })).ToArray()
        select new RealLog(stages, goal, reasons, window, Arrange(rows, order, seed), seed, hasSteps && stages > 1 ? steps : null);

    /// <summary>One lead's rows in time order, made of steps: a tie group, a single entry, a loss, or a long gap.</summary>
    private static Gen<Row[]> LeadGen(int stages, int reasons, long baseTime)
    {
        var step =
            from kind in Gen.Frequency(
                (4, Gen.Constant(StepKind.Tie)),
                (4, Gen.Constant(StepKind.Entry)),
                (reasons > 0 ? 3 : 0, Gen.Constant(StepKind.Loss)),
                (1, Gen.Constant(StepKind.Gap)))
            from delta in Gen.Elements(0L, 0L, 1L, 2L, 5L, 60L)
            from tieStages in Gen.Shuffle(Enumerable.Range(0, stages)).Select(s => s.ToArray())
            from tieSize in Gen.Choose(1, stages)
            from stage in Gen.Choose(0, stages - 1)
            from reason in Gen.Choose(0, Math.Max(0, reasons - 1))
            select (kind, delta, tieStages.Take(tieSize).ToArray(), stage, reason);

        return
            from offset in Gen.Choose(0, 50)
            from steps in Gen.ListOf(step).Select(s => s.Take(10).ToArray())
            from first in Gen.Elements(StepKind.Entry, StepKind.Entry, StepKind.Loss)
            from firstStage in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(0, stages - 1)))
            from firstReason in Gen.Choose(0, Math.Max(0, reasons - 1))
            select Build(baseTime + offset, reasons, first, firstStage, firstReason, steps);
    }

    private static Row[] Build(long time, int reasons, StepKind first, int firstStage, int firstReason, (StepKind Kind, long Delta, int[] Tie, int Stage, int Reason)[] steps)
    {
        var rows = new List<Row> { new(0, firstStage, time, first == StepKind.Loss && reasons > 0 ? firstReason : -1) };
        foreach (var (kind, delta, tie, stage, reason) in steps)
        {
            // A gap of 130 years where it stays inside the valid range (10 steps of at most 60 s follow at most).
            time += kind == StepKind.Gap && time <= TransitionLog.MaxTimestamp - Gap130Years - 1_000 ? Gap130Years : delta;
            switch (kind)
            {
                case StepKind.Tie:
                    rows.AddRange(tie.Select(s => new Row(0, s, time, -1)));
                    break;
                case StepKind.Loss:
                    rows.Add(new Row(0, stage, time, reason));
                    break;
                default:
                    rows.Add(new Row(0, stage, time, -1));
                    break;
            }
        }

        return [.. rows];
    }

    private static Row[] Arrange(Row[] rows, InputOrder order, int seed)
    {
        var random = new Random(seed);
        return order switch
        {
            InputOrder.TimeSorted => [.. rows.OrderBy(r => r.Time)],
            InputOrder.Shuffled => [.. rows.OrderBy(_ => random.Next())],
            _ => rows,
        };
    }

    private static IEnumerable<RealLog> Shrink(RealLog log)
    {
        var leads = log.Events.Select(e => e.Entity).Distinct().ToArray();
        if (leads.Length > 1)
        {
            foreach (var lead in leads)
            {
                yield return log with { Events = [.. log.Events.Where(e => e.Entity == lead)] };
            }
        }

        for (var i = 0; i < log.Events.Length; i++)
        {
            yield return log with { Events = [.. log.Events[..i], .. log.Events[(i + 1)..]] };
        }

        if (log.StepWindows is not null)
        {
            yield return log with { StepWindows = null };
        }

        if (log.Stages > 1 && log.Events.All(e => e.Stage < log.Stages - 1))
        {
            yield return log with { Stages = log.Stages - 1, Goal = Math.Min(log.Goal, log.Stages - 2), StepWindows = log.StepWindows?[..^1] };
        }
    }

    /// <summary>One row: entity id, stage ordinal, timestamp, loss reason (-1: an entry).</summary>
    public sealed record Row(int Entity, int Stage, long Time, int Reason)
    {
        public override string ToString() => $"{Entity}:{Stage}@{Time}{(Reason >= 0 ? "x" + Reason : "")}";
    }

    private enum StepKind
    {
        Tie,
        Entry,
        Loss,
        Gap,
    }

    private enum InputOrder
    {
        TimeSorted,
        Shuffled,
        GroupedByLead,
    }
}

/// <summary>The arbitraries of the bulk properties, for <c>[Property(Arbitrary = ...)]</c>.</summary>
public static class BulkArbitraries
{
    public static Arbitrary<RealLog> RealLog() => Bulk.RealLog.Arbitrary();
}
