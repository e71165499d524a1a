using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

public sealed class JourneyEventsTests
{
    [Fact]
    public void ToEvents_FollowsTheCanonicalConversion()
    {
        // start a, move c, lost (price), reopen (no event), win from c (entry into d), then nothing more.
        var journey = Start("j", 0).Move("c", 1).Lose("price", 2).Reopen(3).Win(4);

        FunnelEvent[] expected =
        [
            new("j", "a", At(0), default, "seo"),
            new("j", "c", At(1), default, "seo"),
            new("j", "c", At(2), "price", "seo"),
            new("j", "d", At(4), default, "seo"),
        ];
        Assert.Equal(expected, JourneyEvents.ToEvents(journey, "seo").ToArray());
    }

    [Fact]
    public void ToEvents_WinAtTheCurrentStage_AddsNoEvent()
    {
        var journey = Start("j", 0).Move("d", 1).Reopen(2).Win(3);
        Assert.Equal(2, JourneyEvents.ToEvents(journey).Length);
    }

    [Fact]
    public void ToEventLog_InterleavesJourneysInTimeOrder()
    {
        var log = JourneyEvents.ToEventLog([Start("x", 0).Move("b", 5), Start("y", 1).Move("b", 2)], j => j.Id.ToUpperInvariant());

        Assert.Equal(["x", "y", "y", "x"], log.Select(e => e.EntityId));
        Assert.Equal("Y", log[1].Segment);
        Assert.Throws<ArgumentNullException>(() => JourneyEvents.ToEventLog([null!]));
    }
}
