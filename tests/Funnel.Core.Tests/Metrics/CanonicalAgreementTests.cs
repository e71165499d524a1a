using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

/// <summary>
/// The report under the canonical options equals a direct implementation of the canonical semantics
/// (<see cref="CanonicalReference"/>) on random logs with ties, re-entries, losses and empty input.
/// </summary>
public sealed class CanonicalAgreementTests
{
    private static readonly string[] StageKeys = ["a", "b", "c", "d"];
    private static readonly string[] ReasonKeys = ["price", "competitor"];

    [Property(MaxTest = 300)]
    public Property Compute_CanonicalOptions_EqualTheDirectDefinition()
    {
        var property = Prop.ForAll(CanonicalAgreementGenerators.CaseGen.ToArbitrary(), c =>
        {
            var (log, window) = c;
            var events = log.Select(e => new FunnelEvent(
                e.Entity,
                StageKeys[e.Stage],
                T0.AddSeconds(e.T),
                e.Reason < 0 ? default : (LossReasonKey)ReasonKeys[e.Reason])).ToList();
            var query = FunnelQuery.Default.Ordered(window is null ? null : TimeSpan.FromSeconds(window.Value));
            var report = FunnelReport.Compute(Abcd, events, query);
            var expected = CanonicalReference.Compute(log, StageKeys.Length, ReasonKeys.Length, window);

            var stays = report.Stages.Select(s => s.TimeInStage).Append(report.TimeAfterLoss).ToArray();
            Assert.Equal(expected.Reached, report.Reached.ToArray());
            Assert.Equal(expected.Transitions.Cast<long>().ToArray(), report.Transitions.Counts.ToArray());
            Assert.Equal(expected.Losses.Cast<long>().ToArray(), report.LossesByStage.Counts.ToArray());
            Assert.Equal(expected.LossesAfterLoss, report.LossesAfterLoss.ByReason.Select(r => r.Count).ToArray());
            Assert.Equal(expected.LossesAtUnknownStage, report.LossesAtUnknownStage.ByReason.Select(r => r.Count).ToArray());
            Assert.Equal(log.Count(e => e.Reason >= 0), report.Losses.Total);
            Assert.Equal(expected.StayCount, stays.Select(s => s.Count).ToArray());
            Assert.Equal(expected.StayTotal, stays.Select(s => s.TotalSeconds).ToArray());
            Assert.Equal(expected.StayMedian, stays.Select(s => s.MedianSeconds).ToArray());
        });

        return property;
    }

    [Property(MaxTest = 300)]
    public Property Compute_TiesShuffled_ReachIsTheSame()
    {
        // Rule 2: the reach depends on the timestamps only; reversing the rows of every second changes nothing.
        var property = Prop.ForAll(CanonicalAgreementGenerators.CaseGen.ToArbitrary(), c =>
        {
            var (log, window) = c;
            var reversed = log.Select((e, i) => (e, i)).OrderBy(x => x.e.T).ThenByDescending(x => x.i).Select(x => x.e).ToList();
            foreach (var anchor in new[] { AnchorMode.First, AnchorMode.Latest, AnchorMode.Best })
            {
                var query = FunnelQuery.Default.Ordered(window is null ? null : TimeSpan.FromSeconds(window.Value), anchor);
                Assert.Equal(Compute(log, query).Reached.ToArray(), Compute(reversed, query).Reached.ToArray());
            }
        });

        return property;
    }

    [Property(MaxTest = 300)]
    public Property Compute_LatestAndBestAnchors_EqualAnExhaustiveSearchOverAnchors()
    {
        // Latest: the window starts at the latest entry time into the first stage; Best: the deepest over every anchor.
        var property = Prop.ForAll(CanonicalAgreementGenerators.CaseGen.ToArbitrary(), c =>
        {
            var (log, window) = c;
            var span = window is null ? (TimeSpan?)null : TimeSpan.FromSeconds(window.Value);
            var latest = Compute(log, FunnelQuery.Default.Ordered(span, AnchorMode.Latest));
            var best = Compute(log, FunnelQuery.Default.Ordered(span, AnchorMode.Best));
            var expectedLatest = new long[StageKeys.Length];
            var expectedBest = new long[StageKeys.Length];
            foreach (var lead in log.GroupBy(e => e.Entity))
            {
                var anchors = lead.Where(e => e.Reason < 0 && e.Stage == 0).Select(e => e.T).Distinct().Order().ToList();
                if (anchors.Count == 0)
                {
                    continue;
                }

                // From an anchor time a: the lead without its entries before a, and without entries into the first stage before it.
                int From(long a) => CanonicalReference.Level([.. lead.Where(e => e.T >= a)], StageKeys.Length, window);
                Add(expectedLatest, From(anchors[^1]));
                Add(expectedBest, anchors.Max(From));
            }

            Assert.Equal(expectedLatest, latest.Reached.ToArray());
            Assert.Equal(expectedBest, best.Reached.ToArray());
        });

        return property;

        static void Add(long[] reached, int level)
        {
            for (var k = 0; k < level; k++)
            {
                reached[k]++;
            }
        }
    }

    private static FunnelReport Compute(List<(string Entity, int Stage, long T, int Reason)> log, FunnelQuery query) =>
        FunnelReport.Compute(
            Abcd,
            log.Select(e => new FunnelEvent(e.Entity, StageKeys[e.Stage], T0.AddSeconds(e.T), e.Reason < 0 ? default : (LossReasonKey)ReasonKeys[e.Reason])).ToList(),
            query);

    [Fact]
    public void Compute_SubSecondTimestamps_AreTakenInWholeSeconds()
    {
        // 10.9 s and 10.1 s fall in the same second: the tie keeps log order (b before c), and the stay is 0 s.
        FunnelEvent[] log =
        [
            new("x", "a", T0.AddSeconds(1)),
            new("x", "b", T0.AddSeconds(10.9)),
            new("x", "c", T0.AddSeconds(10.1)),
        ];
        var report = FunnelReport.Compute(Abcd, log);

        Assert.Equal([1L, 1, 1, 0], report.Reached.ToArray());
        Assert.Equal(1, report.Transitions[1, 2]);
        Assert.Equal(0, report["b"].TimeInStage.TotalSeconds);
        Assert.Equal(9, report["a"].TimeInStage.TotalSeconds);
    }
}
