using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

/// <summary>
/// The funnel modes of issue 22 against the literal model of <see cref="CanonicalReference.CountedAttempt"/>: random
/// small logs (ties, losses, repeats) under random queries (order, anchor, window, per-step windows, optional steps,
/// exclusions); tied rows shuffled; breakdowns add up; the report of a log equals the report of its events in any order.
/// </summary>
[Properties(MaxTest = 200)]
public sealed class FunnelModesPropertyTests
{
    private static readonly FunnelDefinition Four = FunnelModesTests.Sales;

    private static readonly string[] Keys = ["contact", "qualification", "proposal", "contract"];

    [Property]
    public Property Report_EqualsTheLiteralModel(int seed)
    {
        var random = new Random(seed);
        var (log, leads) = Log(random);
        var (query, model) = Query(random);
        var report = FunnelReport.Compute(Four, log, query);

        var attempts = leads.Select(l => CanonicalReference.CountedAttempt(l, 4, model)).ToList();
        var reached = Enumerable.Range(0, 4).Select(k => (long)attempts.Count(a => a is { Excluded: false } && a.Reached[k])).ToArray();
        var excluded = attempts.Count(a => a is { Excluded: true });
        var failures = new List<string>();
        if (!reached.SequenceEqual(report.Reached))
        {
            failures.Add($"reached model [{string.Join(',', reached)}] report [{string.Join(',', report.Reached)}]");
        }

        if (excluded != report.Excluded)
        {
            failures.Add($"excluded model {excluded} report {report.Excluded}");
        }

        for (var k = 1; k < 4; k++)
        {
            var times = attempts.Where(a => a is not null).Select(a => CanonicalReference.ConversionTime(a!, k)).Where(x => x is not null).Select(x => x!.Value).ToList();
            var step = report.ConversionTimes[k - 1];
            var fromAnchor = DurationSummary.FromSeconds(times.Select(x => x.FromAnchor));
            var fromPrevious = DurationSummary.FromSeconds(times.Select(x => x.FromPrevious));
            if (step.Step != k || step.FromAnchor != fromAnchor || step.FromPrevious != fromPrevious
                || !step.FromAnchorHistogram.Equals(DurationHistogram.Automatic(times.Select(x => x.FromAnchor))))
            {
                failures.Add($"step {k}: model {fromAnchor} / {fromPrevious}, report {step.FromAnchor} / {step.FromPrevious}");
            }
        }

        return (failures.Count == 0).Label($"query {query}\nlog:\n{string.Join('\n', log)}\n{string.Join('\n', failures)}");
    }

    [Property]
    public Property Report_DoesNotDependOnTheOrderOfTiedRows(int seed)
    {
        var random = new Random(seed);
        var (log, _) = Log(random);
        var (query, _) = Query(random);
        var shuffled = log.OrderBy(_ => random.Next()).ToArray();
        var a = FunnelReport.Compute(Four, log, query);
        var b = FunnelReport.Compute(Four, shuffled, query);
        return (a.Reached.SequenceEqual(b.Reached) && a.Excluded == b.Excluded && a.ConversionTimes.SequenceEqual(b.ConversionTimes)
            && a.Stages.Select(s => s.ConvertedToNext).SequenceEqual(b.Stages.Select(s => s.ConvertedToNext))).Label($"query {query}");
    }

    [Property]
    public Property SegmentBreakdown_TotalIsTheReport(int seed)
    {
        var random = new Random(seed);
        var (log, _) = Log(random);
        var (query, _) = Query(random);
        var report = FunnelReport.Compute(Four, log, query);
        var total = SegmentBreakdown.Compute(Four, log, SegmentKey.EventSegment, query).Total;
        return (report.Reached.SequenceEqual(total.Reached) && report.Excluded == total.Excluded && report.ConversionTimes.SequenceEqual(total.ConversionTimes)).Label($"query {query}");
    }

    /// <summary>A few leads of up to 8 events each, in 0..6 seconds (many ties), some losses and repeats; some rows in segment "web".</summary>
    private static (FunnelEvent[] Log, List<List<(int Stage, long T, int Reason)>> Leads) Log(Random random)
    {
        var log = new List<FunnelEvent>();
        var leads = new List<List<(int Stage, long T, int Reason)>>();
        var count = random.Next(1, 6);
        for (var lead = 0; lead < count; lead++)
        {
            var events = new List<(int Stage, long T, int Reason)>();
            var id = $"L{lead}";
            for (var e = random.Next(1, 9); e > 0; e--)
            {
                var stage = random.Next(4);
                var t = (long)random.Next(7);
                var reason = random.Next(6) == 0 ? random.Next(2) : -1;
                events.Add((stage, t, reason));
                log.Add(new FunnelEvent(id, Keys[stage], T0.AddSeconds(t), reason < 0 ? default : (LossReasonKey)(reason == 0 ? "price" : "competitor"), lead % 2 == 0 ? "web" : null));
            }

            leads.Add(events);
        }

        return ([.. log], leads);
    }

    private static (FunnelQuery Query, CanonicalReference.ModeQuery Model) Query(Random random)
    {
        var order = (StepOrder)random.Next(3);
        var anchor = (AnchorMode)random.Next(3);
        long? window = random.Next(3) == 0 ? null : random.Next(0, 7);
        var query = FunnelQuery.Default.Ordered(window is { } w ? TimeSpan.FromSeconds(w) : null, anchor).WithOrder(order);
        long?[]? stepWindows = null;
        var optional = new bool[4];
        var exclusions = new List<(int Stage, bool Loss, int Reason, int From, int To)>();
        if (order != StepOrder.Unordered)
        {
            if (random.Next(3) == 0)
            {
                stepWindows = [.. Enumerable.Range(0, 3).Select(_ => random.Next(3) == 0 ? (long?)null : random.Next(0, 4))];
                query = query.WithStepWindows(stepWindows.Select(s => s is { } x ? TimeSpan.FromSeconds(x) : (TimeSpan?)null));
            }

            for (var k = 1; k < 4; k++)
            {
                optional[k] = random.Next(4) == 0;
            }

            query = query.WithOptionalSteps(Enumerable.Range(1, 3).Where(k => optional[k]).Select(k => Keys[k]));
            var required = Enumerable.Range(0, 4).Where(k => !optional[k]).ToList();
            for (var x = random.Next(3); x > 0 && required.Count >= 2; x--)
            {
                var from = required[random.Next(required.Count - 1)];
                var later = required.Where(k => k > from).ToList();
                var to = later[random.Next(later.Count)];
                var loss = random.Next(2) == 0;
                var stage = random.Next(4);
                var reason = random.Next(3) - 1;
                exclusions.Add((stage, loss, reason, from, to));
            }

            query = query.WithExclusions(exclusions.Select(x => x.Loss
                ? FunnelExclusion.Loss(x.From, x.To, x.Reason < 0 ? null : (x.Reason == 0 ? "price" : "competitor"))
                : FunnelExclusion.Stage(Keys[x.Stage], x.From, x.To)));
        }

        return (query, new CanonicalReference.ModeQuery(order, anchor, window, stepWindows, optional, [.. exclusions]));
    }
}
