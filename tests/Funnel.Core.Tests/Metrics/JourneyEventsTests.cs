using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

public sealed class JourneyEventsTests
{
    [Fact]
    public void ToEvents_FollowsTheCanonicalConversion()
    {
        // start a, move c, lost (price), reopen (an entry into c again), win from c (entry into d), then nothing more.
        var journey = Start("j", 0).Move("c", 1).Lose("price", 2).Reopen(3).Win(4);

        FunnelEvent[] expected =
        [
            new("j", "a", At(0), default, "seo"),
            new("j", "c", At(1), default, "seo"),
            new("j", "c", At(2), "price", "seo"),
            new("j", "c", At(3), default, "seo"),
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
    public void ToEvents_ReopeningALostLead_IsAnEntryIntoItsStage_SoTheLogReadsOpen()
    {
        // Was: no event for the reopening, so the log ended with the loss and read "lost" while the journey was open.
        var journey = Start("j", 0).Move("b", 1).Lose("price", 2).Reopen(3);

        var events = JourneyEvents.ToEvents(journey);

        Assert.Equal(new FunnelEvent("j", "b", At(3), default), events[^1]);
        var fromEvents = FunnelReport.Compute(Abcd, events);
        var fromJourney = FunnelReport.Compute(Abcd, [journey]);
        Assert.Equal((0L, 0L, 1L), (fromEvents.Won, fromEvents.Lost, fromEvents.Open));
        FunnelReportRestoreTests.AssertSameNumbers(fromJourney, fromEvents);
    }

    [Fact]
    public void ToEvents_ReopeningAWonLead_AddsNoEvent()
    {
        // Reopened at the goal: an entry into d would read "won" again, and the win itself was the last entry.
        var journey = Start("j", 0).Move("d", 1).Reopen(2);

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
