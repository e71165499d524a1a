using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Core.Tests.Bulk;

/// <summary>
/// The invariants of the bulk semantics (docs/bulk.md, rules 1–6) as FsCheck properties over logs shaped like real
/// exports (<see cref="RealLog"/>): the engine equals the naive model on every path; the reach does not depend on
/// the order of rows that share a timestamp; only each lead's (time, input position) order matters; any split of the
/// leads merges back to the whole; a stream equals one pass.
/// </summary>
[Properties(Arbitrary = [typeof(BulkArbitraries)], MaxTest = 200)]
public sealed class BulkSemanticsProperties
{
    [Property]
    public Property Analyze_OnEveryInnerPath_EqualsTheNaiveModel(RealLog c)
    {
        var expected = c.Reference();
        var log = c.ToLog();
        string? problem = null;
        foreach (var dop in new[] { 1, 3 })
        {
            foreach (var pack in new[] { true, false })
            {
                foreach (var joint in new[] { 1 << 12, 0 })
                {
                    var analyzer = new TransitionAnalyzer(new FunnelShape(c.Stages, c.Goal, c.Reasons), TimeSpan.FromSeconds(c.Window), dop) { PackEvents = pack, MaxJointCounters = joint, MinEventsPerScatterPart = 4, StepWindows = c.Analyzer().StepWindows };
                    problem ??= ReferenceAnalyzer.Compare(expected, analyzer.Analyze(log)) is { } p ? $"dop {dop}, packed {pack}, joint {joint > 0}: {p}" : null;
                }
            }
        }

        return (problem is null).Label(problem ?? string.Empty);
    }

    [Property]
    public Property Reached_DoesNotDependOnTheOrderOfRowsThatShareATimestamp(RealLog c)
    {
        // Any order of the rows: ties now come in a random order, which may change the matrix but never the reach.
        var random = new Random(c.Seed);
        var reordered = c.Events.OrderBy(_ => random.Next()).ToArray();
        var analyzer = c.Analyzer();

        var before = analyzer.Analyze(c.ToLog()).Reached.ToArray();
        var after = analyzer.Analyze(RealLog.ToLog(reordered)).Reached.ToArray();

        return before.SequenceEqual(after).Label($"[{string.Join(", ", before)}] != [{string.Join(", ", after)}] for rows [{string.Join("; ", reordered.Select(r => r.ToString()))}]");
    }

    [Property]
    public Property Analyze_DependsOnlyOnEachLeadsTimeThenInputOrder(RealLog c)
    {
        // Rule 1: the stable sort by time, and any interleaving that keeps the relative order of each lead's rows
        // with equal timestamps, give the very same report.
        var analyzer = c.Analyzer();
        var whole = analyzer.Analyze(c.ToLog());
        var sorted = analyzer.Analyze(RealLog.ToLog(c.Events.OrderBy(r => r.Time)));
        var interleaved = analyzer.Analyze(RealLog.ToLog(InterleaveKeepingTies(c.Events, c.Seed)));

        return (whole.Equals(sorted) && whole.Equals(interleaved)).Label($"whole:\n{whole}\nsorted:\n{sorted}\ninterleaved:\n{interleaved}");
    }

    [Property]
    public Property Merge_OfAnySplitOfTheLeads_EqualsTheWhole(RealLog c)
    {
        var random = new Random(c.Seed);
        var parts = random.Next(1, 5);
        var partOf = c.Events.Select(e => e.Entity).Distinct().ToDictionary(e => e, _ => random.Next(parts));
        var analyzer = c.Analyzer();
        var aggregates = Enumerable.Range(0, parts)
            .Select(p => analyzer.Aggregate(RealLog.ToLog(c.Events.Where(e => partOf[e.Entity] == p))))
            .OrderBy(_ => random.Next())
            .ToList();

        // Fold in a random association: merge is associative and commutative, Empty its identity.
        var merged = analyzer.Aggregate(TransitionLog.Empty);
        while (aggregates.Count > 0)
        {
            var i = random.Next(aggregates.Count);
            merged = random.Next(2) == 0 ? merged.Merge(aggregates[i]) : aggregates[i].Merge(merged);
            aggregates.RemoveAt(i);
        }

        var whole = analyzer.Analyze(c.ToLog());
        var report = merged.ToReport();
        return whole.Equals(report).Label($"whole:\n{whole}\nmerged:\n{report}");
    }

    [Property]
    public Property AnalyzeAsync_OfTheTimeSortedLogInChunks_EqualsOnePass(RealLog c)
    {
        c = c with { StepWindows = null }; // per-step windows need each lead in one piece: not streamed
        var sorted = c.Events.OrderBy(r => r.Time).ToArray();
        var random = new Random(c.Seed);
        var cuts = Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(sorted.Length + 1)).Append(0).Append(sorted.Length).Distinct().Order().ToArray();
        var chunks = cuts.Zip(cuts.Skip(1), (from, to) => RealLog.ToLog(sorted[from..to])).ToArray();
        var analyzer = c.Analyzer();

        var streamed = analyzer.AnalyzeAsync(chunks.ToAsyncEnumerable()).GetAwaiter().GetResult();
        var whole = analyzer.Analyze(c.ToLog());

        return whole.Equals(streamed).Label($"whole:\n{whole}\nstreamed:\n{streamed}");
    }

    [Property]
    public Property Modes_ForEveryOrderAndAnchor_EqualTheNaiveModel(RealLog whole)
    {
        // Rules 8–12 against the exhaustive model: every order × anchor, with per-step windows, optional steps and
        // exclusions drawn from the seed, on leads cut to the model's size (ties, losses first and events after the
        // goal stay).
        var c = whole.CutLeads(ReferenceAnalyzer.ExhaustiveLimit);
        var log = c.ToLog();
        var plain = c.Reference();
        string? problem = null;
        foreach (var order in Enum.GetValues<StepOrder>())
        {
            foreach (var anchor in Enum.GetValues<AnchorMode>())
            {
                var options = c.RandomModes(anchor, order, new Random(c.Seed ^ ((int)order * 3) ^ (int)anchor));
                var expected = ReferenceAnalyzer.AnalyzeModes(log, c.Stages, c.Window, options);
                foreach (var dop in new[] { 1, 3 })
                {
                    var analyzer = c.Analyzer(options, dop);
                    var report = analyzer.Analyze(log);
                    var difference = CompareModes(expected, report, analyzer.Aggregate(log)) ?? ReferenceAnalyzer.Compare(plain with { Reached = expected.Reached }, report);
                    problem ??= difference is null ? null : $"{Describe(options)}, dop {dop}: {difference}";
                }
            }
        }

        return (problem is null).Label(problem ?? string.Empty);
    }

    [Property]
    public Property Modes_DoNotDependOnTheOrderOfRowsThatShareATimestamp(RealLog whole)
    {
        var c = whole.CutLeads(ReferenceAnalyzer.ExhaustiveLimit);
        var random = new Random(c.Seed);
        var reordered = RealLog.ToLog(c.Events.OrderBy(_ => random.Next()));
        string? problem = null;
        foreach (var order in Enum.GetValues<StepOrder>())
        {
            var options = c.RandomModes((AnchorMode)random.Next(3), order, random);
            var analyzer = c.Analyzer(options);
            var before = analyzer.Aggregate(c.ToLog());
            var after = analyzer.Aggregate(reordered);
            var (a, b) = (before.ToReport(), after.ToReport());
            problem ??= a.Reached.SequenceEqual(b.Reached) && a.Excluded == b.Excluded && SameConversionTimes(before, after, c.Stages)
                ? null
                : $"{order}, {Describe(options)}: reached [{string.Join(", ", a.Reached)}] excluded {a.Excluded} != [{string.Join(", ", b.Reached)}] excluded {b.Excluded}, or the times to convert differ";
        }

        return (problem is null).Label(problem ?? string.Empty);
    }

    [Property]
    public Property Modes_MergeOfAnySplitOfTheLeads_EqualsTheWhole(RealLog whole)
    {
        var c = whole.CutLeads(ReferenceAnalyzer.ExhaustiveLimit);
        var random = new Random(c.Seed);
        var options = c.RandomModes((AnchorMode)random.Next(3), (StepOrder)random.Next(3), random);
        var analyzer = c.Analyzer(options);
        var parts = random.Next(1, 5);
        var partOf = c.Events.Select(e => e.Entity).Distinct().ToDictionary(e => e, _ => random.Next(parts));
        var merged = Enumerable.Range(0, parts)
            .Select(p => analyzer.Aggregate(RealLog.ToLog(c.Events.Where(e => partOf[e.Entity] == p))))
            .OrderBy(_ => random.Next())
            .Aggregate(analyzer.Aggregate(TransitionLog.Empty), (sum, part) => random.Next(2) == 0 ? sum.Merge(part) : part.Merge(sum));
        var all = analyzer.Aggregate(c.ToLog());

        var (w, m) = (all.ToReport(), merged.ToReport());
        return (w.Equals(m) && SameConversionTimes(all, merged, c.Stages)).Label($"{Describe(options)}\nwhole:\n{w}\nmerged:\n{m}");
    }

    private static string? CompareModes(ReferenceAnalyzer.ModeResult expected, TransitionReport report, TransitionAggregate aggregate)
    {
        if (!report.Reached.SequenceEqual(expected.Reached))
        {
            return $"reached [{string.Join(", ", report.Reached)}] != [{string.Join(", ", expected.Reached)}]";
        }

        if (report.Excluded != expected.Excluded)
        {
            return $"excluded {report.Excluded} != {expected.Excluded}";
        }

        for (var k = 1; k < expected.FromAnchor.Length; k++)
        {
            var (anchor, previous) = (aggregate.ModeTotals.Sorted(k, fromAnchor: true), aggregate.ModeTotals.Sorted(k, fromAnchor: false));
            if (!anchor.SequenceEqual(expected.FromAnchor[k]) || !previous.SequenceEqual(expected.FromPrevious[k]))
            {
                return $"time to convert to step {k}: from the anchor [{string.Join(", ", anchor)}] != [{string.Join(", ", expected.FromAnchor[k])}], from the previous step [{string.Join(", ", previous)}] != [{string.Join(", ", expected.FromPrevious[k])}]";
            }

            var step = report.ConversionTimes[k - 1];
            if (step.Step != k || step.FromAnchor != DurationSummary.FromSeconds(expected.FromAnchor[k]) || step.FromPrevious != DurationSummary.FromSeconds(expected.FromPrevious[k])
                || !step.FromAnchorHistogram.Equals(DurationHistogram.Automatic(expected.FromAnchor[k])) || !step.FromPreviousHistogram.Equals(DurationHistogram.Automatic(expected.FromPrevious[k])))
            {
                return $"report's time to convert to step {k}: {step}";
            }
        }

        return null;
    }

    private static bool SameConversionTimes(TransitionAggregate a, TransitionAggregate b, int stages) =>
        Enumerable.Range(1, stages - 1).All(k =>
            a.ModeTotals.Sorted(k, true).SequenceEqual(b.ModeTotals.Sorted(k, true)) && a.ModeTotals.Sorted(k, false).SequenceEqual(b.ModeTotals.Sorted(k, false)));

    private static string Describe(ReferenceAnalyzer.ModeOptions o) =>
        $"anchor {o.Anchor}, order {o.Order}, optional [{string.Join(", ", o.Optional)}], exclusions [{string.Join(", ", o.Exclusions.Select(x => $"{(x.Stage >= 0 ? $"stage {x.Stage}" : $"lost {x.Reason}")}@{x.FromStep}-{x.ToStep}"))}]";

    /// <summary>A random interleaving of the rows in which the rows of each (lead, timestamp) keep their relative order.</summary>
    private static RealLog.Row[] InterleaveKeepingTies(RealLog.Row[] rows, int seed)
    {
        var random = new Random(seed ^ 0x5EED);
        var slots = Enumerable.Range(0, rows.Length).OrderBy(_ => random.Next()).ToArray();
        var result = new RealLog.Row[rows.Length];
        foreach (var group in Enumerable.Range(0, rows.Length).GroupBy(i => (rows[i].Entity, rows[i].Time)))
        {
            var indexes = group.ToArray(); // in input order
            var places = indexes.Select(i => slots[i]).Order().ToArray();
            for (var k = 0; k < indexes.Length; k++)
            {
                result[places[k]] = rows[indexes[k]];
            }
        }

        return result;
    }
}
