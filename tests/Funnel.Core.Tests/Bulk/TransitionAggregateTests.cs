using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

public sealed class TransitionAggregateTests
{
    /// <summary>Splits a case's log by entity id at its cut points: part k holds the entities with cuts[k-1] &lt;= id &lt; cuts[k].</summary>
    private static List<TransitionLog> SplitByEntity(LogCase c)
    {
        var bounds = c.Cuts.Prepend(int.MinValue).Append(int.MaxValue).ToArray();
        return bounds.Zip(bounds.Skip(1), (lo, hi) => LogCase.ToLog(c.Events.Where(e => e.Entity >= lo && e.Entity < hi))).ToList();
    }

    [Property(MaxTest = 300)]
    public Property Merge_PartialsOfALogSplitByEntity_EqualTheOnePassResult()
    {
        return Prop.ForAll(LogCase.Arbitrary(), c =>
        {
            var analyzer = new TransitionAnalyzer(new FunnelShape(c.Stages, c.Goal, c.Reasons), TimeSpan.FromSeconds(c.Window), 2);
            var merged = SplitByEntity(c)
                .Select(analyzer.Aggregate)
                .Aggregate(TransitionAggregate.Empty(new FunnelShape(c.Stages, c.Goal, c.Reasons), TimeSpan.FromSeconds(c.Window)), (acc, part) => acc.Merge(part));

            var problem = ReferenceAnalyzer.Compare(c.Reference(), merged.ToReport());
            return (problem is null).Label(problem ?? string.Empty);
        });
    }

    [Property(MaxTest = 300)]
    public Property Merge_IsAssociativeAndCommutative()
    {
        return Prop.ForAll(LogCase.Arbitrary(), c =>
        {
            var analyzer = new TransitionAnalyzer(new FunnelShape(c.Stages, c.Goal, c.Reasons), TimeSpan.FromSeconds(c.Window), 1);
            var parts = SplitByEntity(c).Select(analyzer.Aggregate).ToList();
            while (parts.Count < 3)
            {
                parts.Add(TransitionAggregate.Empty(new FunnelShape(c.Stages, c.Goal, c.Reasons), TimeSpan.FromSeconds(c.Window)));
            }

            var (a, b, d) = (parts[0], parts[1], parts[2]);
            var left = a.Merge(b).Merge(d).ToReport();
            var right = a.Merge(b.Merge(d)).ToReport();
            var swapped = d.Merge(b).Merge(a).ToReport();
            return (left.Equals(right) && left.Equals(swapped)).ToProperty();
        });
    }

    [Fact]
    public void Merge_EmptyAggregate_IsTheIdentity()
    {
        var log = new TransitionLogBuilder().Add(0, 0, 0).Add(0, 1, 10).Add(1, 0, 5, lossReason: 0).Build();
        var aggregate = new TransitionAnalyzer(new FunnelShape(2, 1, 1), TimeSpan.FromSeconds(100)).Aggregate(log);
        var empty = TransitionAggregate.Empty(new FunnelShape(2, 1, 1), TimeSpan.FromSeconds(100));

        Assert.Equal(aggregate.ToReport(), aggregate.Merge(empty).ToReport());
        Assert.Equal(aggregate.ToReport(), empty.Merge(aggregate).ToReport());
    }

    [Fact]
    public void Merge_DifferentShapes_Throws()
    {
        var a = TransitionAggregate.Empty(new FunnelShape(2, 1, 1), TimeSpan.FromSeconds(100));

        Assert.Throws<ArgumentException>(() => a.Merge(TransitionAggregate.Empty(new FunnelShape(3, 1, 1), TimeSpan.FromSeconds(100))));
        Assert.Throws<ArgumentException>(() => a.Merge(TransitionAggregate.Empty(new FunnelShape(2, 1, 1), TimeSpan.FromSeconds(99))));
        Assert.Throws<ArgumentException>(() => a.Merge(TransitionAggregate.Empty(new FunnelShape(2, 0, 1), TimeSpan.FromSeconds(100))));
    }

    [Fact]
    public void ToAggregate_MidStream_IsASnapshotThatLaterChunksDoNotChange()
    {
        var analyzer = new TransitionAnalyzer(new FunnelShape(2, 1, 0), TimeSpan.FromSeconds(100), 1);
        var accumulator = analyzer.CreateAccumulator();
        accumulator.Add(new TransitionLogBuilder().Add(0, 0, 0).Add(0, 1, 10).Build());
        var snapshot = accumulator.ToAggregate().ToReport();

        accumulator.Add(new TransitionLogBuilder().Add(0, 0, 20).Add(0, 1, 1000).Build());
        var later = accumulator.ToAggregate().ToReport();

        Assert.Equal(new StageTimeStatistics(0, 1, 10, 10), snapshot.TimeInStage[0]);
        Assert.Equal(new StageTimeStatistics(0, 2, 990, 10), later.TimeInStage[0]);
        Assert.Equal(new StageTimeStatistics(1, 1, 10, 10), later.TimeInStage[1]);
        Assert.Equal(4, later.EventCount);
        Assert.Equal(1, later.EntityCount);
    }
}
