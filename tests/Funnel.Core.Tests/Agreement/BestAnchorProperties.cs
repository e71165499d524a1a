using FsCheck;
using FsCheck.Fluent;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Core.Tests.Bulk;
using static Funnel.Core.Tests.Agreement.ModesGenerators;

namespace Funnel.Core.Tests.Agreement;

/// <summary>
/// <see cref="AnchorMode.Best"/> on leads that enter the first step many times, with ties everywhere (docs/bulk.md
/// rule 8): the bulk engine and the metrics report find the counted attempt without walking the window once per anchor,
/// and these properties hold them to the attempts tried one at a time — by the literal model on short leads, and on long
/// leads by analysing each anchor's attempt on its own (the lead from that anchor's second on, with the
/// <see cref="AnchorMode.First"/> anchor) and keeping the deepest one that no exclusion disqualifies, ties to the earliest.
/// </summary>
public sealed class BestAnchorProperties
{
    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Best_OnShortLeadsReenteringTheFirstStep_EqualsTheLiteralModelOnBothPaths(int seed)
    {
        var c = RepeatedAnchorsGenerators.Draw(seed, 4, ReferenceAnalyzer.ExhaustiveLimit);
        var random = new Random(seed);
        var log = c.ToLog();
        var problems = new List<string>();
        foreach (var order in Enum.GetValues<StepOrder>())
        {
            problems.AddRange(AgainstTheModel(c, log, c.RandomModes(AnchorMode.Best, order, random)));
        }

        return (problems.Count == 0).Label(string.Join('\n', problems));
    }

    /// <summary>
    /// The composition that once kept a walk per anchor (docs/bulk.md, "Cost of the modes"): ordered, Best, one or two
    /// exclusions and per-step windows in every case, optional steps a quarter of the time, on short leads re-entering
    /// the first step with ties everywhere — both paths against the literal model.
    /// </summary>
    [FsCheck.Xunit.Property(MaxTest = 600)]
    public Property Best_OrderedWithExclusionsAndStepWindows_EqualsTheLiteralModelOnBothPaths(int seed)
    {
        var random = new Random(seed);
        var (c, options) = ExclusionsAndStepWindows(RepeatedAnchorsGenerators.Draw(seed, 4, ReferenceAnalyzer.ExhaustiveLimit), random);
        var problems = AgainstTheModel(c, c.ToLog(), options);
        return (problems.Count == 0).Label($"step windows [{string.Join(", ", c.StepWindows!)}], window {c.Window}\n{string.Join('\n', problems)}");
    }

    /// <summary>The same composition on long leads (30–240 events), against the attempts tried one by one.</summary>
    [FsCheck.Xunit.Property(MaxTest = 60)]
    public Property Best_OrderedWithExclusionsAndStepWindows_OnLongLeads_IsTheDeepestOfTheAttemptsTriedOneByOne(int seed)
    {
        var random = new Random(seed);
        var (c, options) = ExclusionsAndStepWindows(RepeatedAnchorsGenerators.Draw(seed, 30, 240), random);
        return AgainstAttemptsOneByOne(c, options);
    }

    /// <summary>Ordered, Best, per-step windows (drawn when the case has none, at least one of them finite), optional steps and one or two exclusions between required steps.</summary>
    private static (RealLog Case, ReferenceAnalyzer.ModeOptions Options) ExclusionsAndStepWindows(RealLog c, Random random)
    {
        var stepWindows = c.StepWindows ?? [.. Enumerable.Range(1, c.Stages - 1).Select(_ => random.Next(3) == 0 ? long.MaxValue : random.Next(0, 4))];
        if (stepWindows.All(w => w == long.MaxValue))
        {
            stepWindows[random.Next(stepWindows.Length)] = random.Next(0, 4);
        }

        var optional = Enumerable.Range(1, c.Stages - 1).Where(_ => random.Next(4) == 0).ToArray();
        if (optional.Length == c.Stages - 1)
        {
            optional = []; // an exclusion needs two required steps
        }

        var required = Enumerable.Range(0, c.Stages).Except(optional).ToArray();
        var exclusions = new (int, int, int, int)[random.Next(1, 3)];
        for (var i = 0; i < exclusions.Length; i++)
        {
            var from = random.Next(required.Length - 1);
            var to = random.Next(from + 1, required.Length);
            var stage = random.Next(3) == 0 ? random.Next(c.Stages) : -1;
            var reason = stage < 0 && random.Next(2) == 0 ? random.Next(c.Reasons) : -1;
            exclusions[i] = (stage, reason, required[from], required[to]);
        }

        var withWindows = c with { StepWindows = stepWindows };
        return (withWindows, new(AnchorMode.Best, StepOrder.Ordered, exclusions, optional, stepWindows));
    }

    /// <summary>The bulk engine and the metrics report of one case under the given modes, each against the literal model: the problems found.</summary>
    private static List<string> AgainstTheModel(RealLog c, TransitionLog log, ReferenceAnalyzer.ModeOptions options)
    {
        var problems = new List<string>();
        var expected = ReferenceAnalyzer.AnalyzeModes(log, c.Stages, c.Window, options);
        var bulk = c.Analyzer(options, 1).Aggregate(log);
        var report = Report(c, options);
        var modelTimes = Enumerable.Range(1, c.Stages - 1).Select(k => (expected.FromAnchor[k], expected.FromPrevious[k]));
        var bulkTimes = Enumerable.Range(1, c.Stages - 1).Select(k => (bulk.ModeTotals.Sorted(k, true), bulk.ModeTotals.Sorted(k, false)));
        if (!bulk.ToReport().Reached.SequenceEqual(expected.Reached) || bulk.ToReport().Excluded != expected.Excluded || !SameTimes(modelTimes, bulkTimes))
        {
            problems.Add($"{Describe(options)}: bulk [{string.Join(", ", bulk.ToReport().Reached)}] excluded {bulk.ToReport().Excluded}, model [{string.Join(", ", expected.Reached)}] excluded {expected.Excluded}, or the times to convert differ");
        }

        var reportTimesAgree = Enumerable.Range(1, c.Stages - 1).All(k =>
            report.ConversionTimes[k - 1].FromAnchor == DurationSummary.FromSeconds(expected.FromAnchor[k])
            && report.ConversionTimes[k - 1].FromPrevious == DurationSummary.FromSeconds(expected.FromPrevious[k]));
        if (!report.Reached.SequenceEqual(expected.Reached) || report.Excluded != expected.Excluded || !reportTimesAgree)
        {
            problems.Add($"{Describe(options)}: report [{string.Join(", ", report.Reached)}] excluded {report.Excluded}, model [{string.Join(", ", expected.Reached)}] excluded {expected.Excluded}, or the times to convert differ");
        }

        return problems;
    }

    [FsCheck.Xunit.Property(MaxTest = 40)]
    public Property Best_OnLongLeads_IsTheDeepestOfTheAttemptsTriedOneByOne(int seed)
    {
        var c = RepeatedAnchorsGenerators.Draw(seed, 30, 240);
        var random = new Random(seed);
        return AgainstAttemptsOneByOne(c, c.RandomModes(AnchorMode.Best, (StepOrder)random.Next(3), random));
    }

    /// <summary>Both paths against the attempts of each lead tried one by one (the First anchor on the lead from each anchor's second on).</summary>
    private static Property AgainstAttemptsOneByOne(RealLog c, ReferenceAnalyzer.ModeOptions options)
    {
        var oneAttempt = c.Analyzer(options with { Anchor = AnchorMode.First }, 1);

        // Per lead, the attempt that counts, tried anchor by anchor: the lead from that anchor's second on.
        var counted = new List<RealLog.Row>();
        foreach (var lead in c.Events.GroupBy(r => r.Entity))
        {
            var anchors = RepeatedAnchorsGenerators.AnchorSeconds(lead, options.Order);
            var (winner, deepest) = (anchors.FirstOrDefault(long.MinValue), 0);
            foreach (var anchor in anchors)
            {
                var attempt = oneAttempt.Analyze(RealLog.ToLog(lead.Where(r => r.Time >= anchor)));
                var level = Enumerable.Range(0, c.Stages).LastOrDefault(s => attempt.Reached[s] > 0, -1) + 1;
                if (attempt.Excluded == 0 && level > deepest)
                {
                    (winner, deepest) = (anchor, level);
                }
            }

            counted.AddRange(lead.Where(r => r.Time >= winner));
        }

        var expected = oneAttempt.Aggregate(RealLog.ToLog(counted));
        var bulk = c.Analyzer(options, 1).Aggregate(c.ToLog());
        var (e, b) = (expected.ToReport(), bulk.ToReport());
        var times = Enumerable.Range(1, c.Stages - 1);
        var bulkAgrees = e.Reached.SequenceEqual(b.Reached) && e.Excluded == b.Excluded
            && SameTimes(times.Select(k => (expected.ModeTotals.Sorted(k, true), expected.ModeTotals.Sorted(k, false))), times.Select(k => (bulk.ModeTotals.Sorted(k, true), bulk.ModeTotals.Sorted(k, false))));

        // The metrics report's own implementation, on the same leads.
        var report = Report(c, options);
        var reportAgrees = report.Reached.SequenceEqual(b.Reached) && report.Excluded == b.Excluded && report.ConversionTimes.SequenceEqual(b.ConversionTimes);

        return (bulkAgrees && reportAgrees).Label(
            $"{Describe(options)}, window {c.Window}, step windows [{string.Join(", ", c.StepWindows ?? [])}]: attempts one by one [{string.Join(", ", e.Reached)}] excluded {e.Excluded}, "
            + $"bulk [{string.Join(", ", b.Reached)}] excluded {b.Excluded}, report [{string.Join(", ", report.Reached)}] excluded {report.Excluded}");
    }

    /// <summary>The metrics report of the case's log under the same modes (the definition's keys are s0…, r0…).</summary>
    internal static FunnelReport Report(RealLog c, ReferenceAnalyzer.ModeOptions options)
    {
        var definition = BulkAndReportAgreementTests.Definition(c.Stages, c.Reasons, c.Goal);
        var events = Events(definition, c.Events);
        var query = FunnelQuery.Default.Ordered(TimeSpan.FromSeconds(c.Window), options.Anchor)
            .WithOrder(options.Order)
            .WithOptionalSteps(options.Optional.Select(s => definition.Stages[s].Key.Value))
            .WithExclusions(options.Exclusions.Select(x => x.Stage >= 0
                ? FunnelExclusion.Stage(Key("s", x.Stage), x.FromStep, x.ToStep)
                : FunnelExclusion.Loss(x.FromStep, x.ToStep, x.Reason < 0 ? null : Key("r", x.Reason))));
        if (options.Order != StepOrder.Unordered && options.StepWindows is { } windows)
        {
            query = query.WithStepWindows(windows.Select(w => w == long.MaxValue ? (TimeSpan?)null : TimeSpan.FromSeconds(w)));
        }

        return FunnelReport.Compute(definition, events, query);
    }

    private static bool SameTimes(IEnumerable<(long[] FromAnchor, long[] FromPrevious)> a, IEnumerable<(long[] FromAnchor, long[] FromPrevious)> b) =>
        a.Zip(b).All(p => p.First.FromAnchor.SequenceEqual(p.Second.FromAnchor) && p.First.FromPrevious.SequenceEqual(p.Second.FromPrevious));

    private static string Describe(ReferenceAnalyzer.ModeOptions o) =>
        $"order {o.Order}, optional [{string.Join(", ", o.Optional)}], exclusions [{string.Join(", ", o.Exclusions.Select(x => $"{(x.Stage >= 0 ? $"stage {x.Stage}" : $"lost {x.Reason}")}@{x.FromStep}-{x.ToStep}"))}]";
}
