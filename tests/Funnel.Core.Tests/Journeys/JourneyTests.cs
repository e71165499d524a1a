namespace Funnel.Core.Tests.Journeys;

public partial class JourneyTests
{
    private static readonly DateTimeOffset T0 = TestFunnels.T0;

    private static Journey Started(FunnelDefinition? definition = null) =>
        Journey.Start(definition ?? TestFunnels.Linear(), "lead-1", T0, actor: "web");

    [Fact]
    public void Start_OpensAtTheFirstStageWithAStartEntry()
    {
        var journey = Started();

        Assert.Equal("a", journey.CurrentStage.Key.Value);
        Assert.Equal(JourneyStatus.Open, journey.Status);
        Assert.False(journey.IsClosed);
        Assert.Equal(0, journey.Version);
        var start = Assert.Single(journey.History);
        Assert.Equal(MoveKind.Start, start.Kind);
        Assert.True(start.From.IsDefault);
        Assert.Equal("web", start.Actor);
        Assert.Equal(T0, journey.StartedAt);
        Assert.Equal(T0, journey.EnteredStageAt);
    }

    [Fact]
    public void Start_BlankId_Throws() =>
        Assert.Throws<ArgumentException>(() => Journey.Start(TestFunnels.Linear(), " ", T0));

    [Fact]
    public void Start_FirstStageRequiresMissingAttributes_Throws()
    {
        var definition = new FunnelDefinitionBuilder("f").AddStage("a", s => s.RequireAttributes("email")).WonAt("a").Build();
        var error = Assert.Throws<ArgumentException>(() => Journey.Start(definition, "x", T0));
        Assert.Contains("email", error.Message, StringComparison.Ordinal);
        Assert.Equal(JourneyStatus.Won, Journey.Start(definition, "x", T0, attributes: [new("email", "x@example.com")]).Status);
    }

    [Fact]
    public void MoveTo_Forward_RecordsTheMove()
    {
        var result = Started().MoveTo("b", T0.AddHours(1), "ann", "called");

        Assert.True(result.Succeeded);
        Assert.Empty(result.Violations);
        var journey = result.Journey;
        Assert.Equal("b", journey.CurrentStage.Key.Value);
        Assert.Equal(1, journey.Version);
        Assert.Equal(T0.AddHours(1), journey.EnteredStageAt);
        var move = journey.History[^1];
        Assert.Equal(new JourneyTransition(MoveKind.Move, "a", "b", T0.AddHours(1), "ann", "called"), move);
    }

    [Fact]
    public void MoveTo_NotAllowedByTheGraph_IsRejectedWithTheStages()
    {
        var journey = Started();
        var result = journey.MoveTo("d", T0.AddHours(1));

        Assert.False(result.Succeeded);
        Assert.Same(journey, result.Journey);
        var violation = Assert.Single(result.Violations, v => v.RuleId == BuiltInChecks.TransitionAllowed);
        Assert.Equal("a", violation.Data["from"]);
        Assert.Equal("d", violation.Data["to"]);
        Assert.Equal(nameof(TransitionKind.Skip), violation.Data["kind"]);
    }

    [Fact]
    public void MoveTo_UnknownStage_IsRejected()
    {
        var result = Started().MoveTo("nowhere", T0.AddHours(1));
        var violation = Assert.Single(result.Violations);
        Assert.Equal(BuiltInChecks.UnknownStage, violation.RuleId);
        Assert.Contains("'nowhere'", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoveTo_EveryViolation_IsListedAtOnce()
    {
        var atB = Started().MoveTo("b", T0.AddHours(2)).GetJourneyOrThrow();
        var result = atB.MoveTo("c", T0.AddHours(1));

        Assert.Equal([BuiltInChecks.TimeOrder, BuiltInChecks.RequiredAttributes], result.Violations.Select(v => v.RuleId));
        Assert.Equal("amount", result.Violations[1].Data["missing"]);
    }

    [Fact]
    public void MoveTo_Goal_WinsTheLead()
    {
        var journey = Started()
            .MoveTo("b", T0.AddHours(1)).GetJourneyOrThrow()
            .SetAttribute("amount", "1200").GetJourneyOrThrow()
            .MoveTo("c", T0.AddHours(2)).GetJourneyOrThrow();

        Assert.Equal(JourneyStatus.Won, journey.Status);
        Assert.Equal(T0.AddHours(2), journey.ClosedAt);

        var after = journey.MoveTo("d", T0.AddHours(3)).GetJourneyOrThrow();
        Assert.Equal(JourneyStatus.Won, after.Status);
        Assert.Equal(T0.AddHours(2), after.ClosedAt);
    }

    [Fact]
    public void MoveTo_WonLeadBackBeforeTheGoal_IsRejected()
    {
        var won = Journey.Start(TestFunnels.FreeForm(), "x", T0).MoveTo("s3", T0.AddHours(1)).GetJourneyOrThrow();
        var result = won.MoveTo("s1", T0.AddHours(2));
        Assert.Equal([BuiltInChecks.JourneyOpen], result.Violations.Select(v => v.RuleId));
    }

    [Fact]
    public void MarkLost_RecordsReasonAndStage()
    {
        var lost = Started().MarkLost("price", T0.AddDays(1), "bob", "too expensive").GetJourneyOrThrow();

        Assert.Equal(JourneyStatus.Lost, lost.Status);
        Assert.Equal("price", lost.LossReason!.Key.Value);
        Assert.Equal("a", lost.LostAtStage!.Key.Value);
        Assert.Equal(T0.AddDays(1), lost.ClosedAt);
        Assert.Equal(new JourneyTransition(MoveKind.Lost, "a", "a", T0.AddDays(1), "bob", "too expensive", "price"), lost.History[^1]);
    }

    [Fact]
    public void MarkLost_UnknownReason_IsRejected()
    {
        var result = Started().MarkLost("weather", T0.AddDays(1));
        Assert.Equal([BuiltInChecks.UnknownLossReason], result.Violations.Select(v => v.RuleId));
    }

    [Fact]
    public void ClosedLead_CannotMoveLoseOrAttempt_UntilReopened()
    {
        var lost = Started().MarkLost("price", T0.AddDays(1)).GetJourneyOrThrow();

        Assert.Equal([BuiltInChecks.JourneyOpen], lost.MoveTo("b", T0.AddDays(2)).Violations.Select(v => v.RuleId));
        Assert.Equal([BuiltInChecks.JourneyOpen], lost.MarkLost("competitor", T0.AddDays(2)).Violations.Select(v => v.RuleId));
        Assert.Equal([BuiltInChecks.JourneyOpen, BuiltInChecks.RequiredAttributes], lost.MarkWon(T0.AddDays(2)).Violations.Select(v => v.RuleId));
        Assert.Equal([BuiltInChecks.JourneyOpen], lost.RecordAttempt(T0.AddDays(2)).Violations.Select(v => v.RuleId));

        var reopened = lost.Reopen(T0.AddDays(3), "ann", "came back").GetJourneyOrThrow();
        Assert.Equal(JourneyStatus.Open, reopened.Status);
        Assert.Null(reopened.LossReason);
        Assert.Null(reopened.ClosedAt);
        Assert.True(reopened.MoveTo("b", T0.AddDays(4)).Succeeded);
    }

    [Fact]
    public void Reopen_OpenLead_IsRejected() =>
        Assert.Equal([BuiltInChecks.JourneyClosed], Started().Reopen(T0.AddDays(1)).Violations.Select(v => v.RuleId));

    [Fact]
    public void MarkWon_BeforeTheGoal_MovesToTheGoalAndChecksItsAttributes()
    {
        var atA = Started();
        Assert.Equal([BuiltInChecks.RequiredAttributes], atA.MarkWon(T0.AddHours(1)).Violations.Select(v => v.RuleId));

        var won = atA.SetAttribute("amount", "10").GetJourneyOrThrow().MarkWon(T0.AddHours(1), "ann").GetJourneyOrThrow();
        Assert.Equal(JourneyStatus.Won, won.Status);
        Assert.Equal("c", won.CurrentStage.Key.Value);
        Assert.Equal(new JourneyTransition(MoveKind.Won, "a", "c", T0.AddHours(1), "ann"), won.History[^1]);
        Assert.Equal([BuiltInChecks.JourneyOpen], won.MarkWon(T0.AddHours(2)).Violations.Select(v => v.RuleId));
    }

    [Fact]
    public void RecordAttempt_CountsPerStage()
    {
        var journey = Started()
            .RecordAttempt(T0.AddMinutes(1)).GetJourneyOrThrow()
            .RecordAttempt(T0.AddMinutes(2)).GetJourneyOrThrow()
            .MoveTo("b", T0.AddMinutes(3)).GetJourneyOrThrow()
            .RecordAttempt(T0.AddMinutes(4)).GetJourneyOrThrow();

        Assert.Equal(2, journey.GetAttempts("a"));
        Assert.Equal(1, journey.GetAttempts("b"));
        Assert.Equal(0, journey.GetAttempts("c"));
        Assert.Equal(2, journey.History.Length);
        Assert.Equal(T0.AddMinutes(4), journey.LastChangedAt);
        Assert.Equal([BuiltInChecks.TimeOrder], journey.RecordAttempt(T0).Violations.Select(v => v.RuleId));
    }

    [Fact]
    public void Attributes_SetAndRemove()
    {
        var journey = Started().SetAttribute("source", "ads").GetJourneyOrThrow();
        Assert.Equal("ads", journey.Attributes["source"]);
        var removed = journey.RemoveAttribute("source").GetJourneyOrThrow();
        Assert.False(removed.Attributes.ContainsKey("source"));
        Assert.Same(removed, removed.RemoveAttribute("source").Journey);
        Assert.Throws<ArgumentException>(() => journey.SetAttribute(" ", "x"));
        Assert.Throws<ArgumentNullException>(() => journey.SetAttribute("x", null!));
    }

    [Fact]
    public void GetJourneyOrThrow_Rejected_ThrowsWithEveryViolation()
    {
        var result = Started().MoveTo("d", T0.AddHours(-1));
        var error = Assert.Throws<MoveRejectedException>(() => result.GetJourneyOrThrow());
        Assert.Equal("lead-1", error.JourneyId);
        Assert.Equal(MoveKind.Move, error.Kind);
        Assert.Equal(2, error.Violations.Length);
        Assert.IsAssignableFrom<FunnelException>(error);
    }

    [Fact]
    public void TimeInStage_MeasuresFromEntry()
    {
        var journey = Started().MoveTo("b", T0.AddHours(1)).GetJourneyOrThrow();
        Assert.Equal(TimeSpan.FromHours(2), journey.TimeInStage(T0.AddHours(3)));
        Assert.Equal(TimeSpan.Zero, journey.TimeInStage(T0));
    }

    [Fact]
    public void Restore_RebuildsAnEqualJourney()
    {
        var journey = Started()
            .SetAttribute("amount", "5").GetJourneyOrThrow()
            .RecordAttempt(T0.AddMinutes(5)).GetJourneyOrThrow()
            .MoveTo("b", T0.AddHours(1)).GetJourneyOrThrow()
            .MarkLost("price", T0.AddHours(2)).GetJourneyOrThrow();

        var restored = TestFunnels.CopyThroughRestore(journey);

        Assert.Equal(journey, restored);
        Assert.NotSame(journey, restored);
        Assert.Throws<ArgumentException>(() => Journey.Restore(
            journey.Definition, "x", "zzz", JourneyStatus.Open, default, T0, T0, null, journey.History, [], [], 0));
    }
}
