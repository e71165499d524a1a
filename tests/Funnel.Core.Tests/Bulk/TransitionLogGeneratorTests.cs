using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

public sealed class TransitionLogGeneratorTests
{
    [Fact]
    public void Generate_SameSeed_GivesTheSameLog()
    {
        var a = TransitionLogGenerator.Generate(2000);
        var b = TransitionLogGenerator.Generate(2000);

        Assert.True(a.EntityIds.SequenceEqual(b.EntityIds));
        Assert.True(a.Stages.SequenceEqual(b.Stages));
        Assert.True(a.Timestamps.SequenceEqual(b.Timestamps));
        Assert.True(a.LossReasons.SequenceEqual(b.LossReasons));
        Assert.False(a.EntityIds.SequenceEqual(TransitionLogGenerator.Generate(2000, seed: 7).EntityIds));
    }

    [Fact]
    public void Generate_FollowsTheModel()
    {
        const int Entities = 20_000;
        var log = TransitionLogGenerator.Generate(Entities);

        Assert.True(log.IsTimeOrdered);
        Assert.Equal(Entities, log.EntityIdLimit);
        Assert.Equal(TransitionLogGenerator.StageCount, log.StageLimit);
        Assert.Equal(TransitionLogGenerator.LossReasonCount, log.LossReasonLimit);
        var perEntity = (double)log.Count / Entities;
        Assert.InRange(perEntity, 3.2, 3.45); // about 3.3 events per entity

        // Every entity starts at stage 0 inside the 90-day start interval; ids are shuffled (not in order of first event).
        var firstByEntity = new Dictionary<int, (short Stage, long Time)>();
        for (var i = 0; i < log.Count; i++)
        {
            firstByEntity.TryAdd(log.EntityIds[i], (log.Stages[i], log.Timestamps[i]));
        }

        Assert.Equal(Entities, firstByEntity.Count);
        Assert.All(firstByEntity.Values, f =>
        {
            Assert.Equal(0, f.Stage);
            Assert.InRange(f.Time, TransitionLogGenerator.StartEpoch, TransitionLogGenerator.StartEpoch + TransitionLogGenerator.StartSpanSeconds - 1);
        });
        Assert.NotEqual(Enumerable.Range(0, 100), firstByEntity.Keys.Take(100));
    }

    [Fact]
    public void Generate_ZeroEntities_GivesAnEmptyLog()
    {
        Assert.Equal(0, TransitionLogGenerator.Generate(0).Count);
    }
}
