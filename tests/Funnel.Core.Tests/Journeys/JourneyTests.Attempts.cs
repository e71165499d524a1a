using Funnel.Core.Rules;

namespace Funnel.Core.Tests.Journeys;

/// <summary>
/// Issue 18, domain gap: attempts used to count over every stay at a stage and to survive a reopening, so a reopened
/// lead under <c>max-attempts</c> was lost again on its first new attempt. Attempts now count per stay: entering a
/// stage and reopening start the count again (docs/concepts.md, "Attempts").
/// </summary>
public partial class JourneyTests
{
    [Fact]
    public void RecordAttempt_AfterLeavingAndReenteringTheStage_CountsFromZeroAgain()
    {
        var journey = Started(FreeLinear())
            .RecordAttempt(T0.AddMinutes(1)).GetJourneyOrThrow()
            .RecordAttempt(T0.AddMinutes(2)).GetJourneyOrThrow()
            .MoveTo("b", T0.AddMinutes(3)).GetJourneyOrThrow()
            .MoveTo("a", T0.AddMinutes(4)).GetJourneyOrThrow()
            .RecordAttempt(T0.AddMinutes(5)).GetJourneyOrThrow();

        Assert.Equal(1, journey.GetAttempts("a"));
    }

    [Fact]
    public void MoveTo_ReentryIntoTheSameStage_StartsANewStayWithNoAttempts()
    {
        var journey = Started(FreeLinear())
            .RecordAttempt(T0.AddMinutes(1)).GetJourneyOrThrow()
            .MoveTo("a", T0.AddMinutes(2)).GetJourneyOrThrow();

        Assert.Equal(0, journey.GetAttempts("a"));
        Assert.False(journey.Attempts.ContainsKey("a"));
    }

    [Fact]
    public void MoveTo_AnotherStage_KeepsTheLatestStayCountOfTheStageLeft()
    {
        var journey = Started()
            .RecordAttempt(T0.AddMinutes(1)).GetJourneyOrThrow()
            .MoveTo("b", T0.AddMinutes(2)).GetJourneyOrThrow();

        Assert.Equal(1, journey.GetAttempts("a"));
        Assert.Equal(0, journey.GetAttempts("b"));
    }

    [Fact]
    public void Reopen_LeadLostAfterAttempts_StartsTheStageCountAgain()
    {
        var lost = Started()
            .RecordAttempt(T0.AddMinutes(1)).GetJourneyOrThrow()
            .RecordAttempt(T0.AddMinutes(2)).GetJourneyOrThrow()
            .MarkLost("price", T0.AddMinutes(3)).GetJourneyOrThrow();
        Assert.Equal(2, lost.GetAttempts("a"));

        var reopened = lost.Reopen(T0.AddDays(1)).GetJourneyOrThrow();

        Assert.Equal(0, reopened.GetAttempts("a"));
        Assert.Equal(1, reopened.RecordAttempt(T0.AddDays(2)).GetJourneyOrThrow().GetAttempts("a"));
    }

    [Fact]
    public void MarkWon_MovingBackIntoTheGoal_StartsTheGoalStageWithNoAttempts()
    {
        var backAtA = Started(FreeLinear())
            .SetAttribute("amount", "10").GetJourneyOrThrow()
            .MoveTo("c", T0.AddMinutes(1)).GetJourneyOrThrow()
            .Reopen(T0.AddMinutes(2)).GetJourneyOrThrow()
            .RecordAttempt(T0.AddMinutes(3)).GetJourneyOrThrow()
            .MoveTo("a", T0.AddMinutes(4)).GetJourneyOrThrow();
        Assert.Equal(1, backAtA.GetAttempts("c"));

        var won = backAtA.MarkWon(T0.AddMinutes(5)).GetJourneyOrThrow();

        Assert.Equal("c", won.CurrentStage.Key.Value);
        Assert.Equal(0, won.GetAttempts("c"));
    }

    [Fact]
    public void Run_MaxAttemptsOnAReopenedLead_DoesNotLoseItOnItsFirstNewAttempt()
    {
        var rules = new RuleSetBuilder().AddMaxAttempts(new MaxAttemptsOptions { MaxAttempts = 2, LossReason = "price" }).Build();
        var journey = Started();
        journey = rules.Run(journey, MoveRequest.Attempt(T0.AddHours(1))).Journey;
        journey = rules.Run(journey, MoveRequest.Attempt(T0.AddHours(2))).Journey;
        Assert.Equal(JourneyStatus.Lost, journey.Status);

        var reopened = rules.Run(journey, MoveRequest.Reopen(T0.AddDays(1), "ann", "called back")).Journey;
        var firstNewAttempt = rules.Run(reopened, MoveRequest.Attempt(T0.AddDays(2)));

        Assert.Equal(JourneyStatus.Open, firstNewAttempt.Journey.Status);
        Assert.Empty(firstNewAttempt.Applied);
        Assert.Equal(JourneyStatus.Lost, rules.Run(firstNewAttempt.Journey, MoveRequest.Attempt(T0.AddDays(3))).Journey.Status);
    }
}
