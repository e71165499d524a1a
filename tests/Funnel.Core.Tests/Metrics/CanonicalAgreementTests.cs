using FsCheck;
using FsCheck.Fluent;
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

    private static Gen<(string Entity, int Stage, long T, int Reason)> EventGen =>
        from entity in Gen.Choose(0, 6)
        from stage in Gen.Frequency((5, Gen.Choose(0, 1)), (3, Gen.Choose(0, 3)))
        from t in Gen.Choose(0, 40)
        from reason in Gen.Frequency((6, Gen.Constant(-1)), (1, Gen.Choose(0, 1)))
        select ($"e{entity}", stage, (long)t, reason);

    private static Gen<(List<(string Entity, int Stage, long T, int Reason)> Log, int? Window)> CaseGen =>
        from log in Gen.ListOf(EventGen)
        from window in Gen.Frequency((1, Gen.Constant<int?>(null)), (3, Gen.Choose(0, 30).Select(w => (int?)w)))
        select (log, window);

    [Fact]
    public void Compute_CanonicalOptions_EqualTheDirectDefinition()
    {
        var property = Prop.ForAll(CaseGen.ToArbitrary(), c =>
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

            Assert.Equal(expected.Reached, report.Reached.ToArray());
            Assert.Equal(expected.Transitions.Cast<long>().ToArray(), report.Transitions.Counts.ToArray());
            Assert.Equal(expected.Losses.Cast<long>().ToArray(), report.LossesByStage.Counts.ToArray());
            Assert.Equal(expected.StayCount, report.Stages.Select(s => s.TimeInStage.Count).ToArray());
            Assert.Equal(expected.StayTotal, report.Stages.Select(s => s.TimeInStage.TotalSeconds).ToArray());
            Assert.Equal(expected.StayMedian, report.Stages.Select(s => s.TimeInStage.MedianSeconds).ToArray());
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

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
