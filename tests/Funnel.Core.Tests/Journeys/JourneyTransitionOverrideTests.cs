using System.Collections.Immutable;

namespace Funnel.Core.Tests.Journeys;

public class JourneyTransitionOverrideTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Constructor_WithoutOverride_IsNotForced()
    {
        var entry = new JourneyTransition(MoveKind.Move, "a", "b", T0, "anna");

        Assert.False(entry.IsForced);
        Assert.Null(entry.Override);
    }

    [Fact]
    public void Equals_DifferentOverride_IsNotEqual()
    {
        var audit = new MoveOverride("boss", "signed", [new MoveViolation("rule", "no")]);
        var forced = new JourneyTransition(MoveKind.Move, "a", "b", T0, "boss", null, default, audit);
        var same = new JourneyTransition(MoveKind.Move, "a", "b", T0, "boss", null, default, new MoveOverride("boss", "signed", [new MoveViolation("rule", "no")]));
        var plain = new JourneyTransition(MoveKind.Move, "a", "b", T0, "boss");

        Assert.Equal(forced, same);
        Assert.NotEqual(forced, plain);
        Assert.Equal(["rule"], audit.OverriddenRuleIds.ToArray());
    }

    [Fact]
    public void Constructor_ForcedStart_Throws() =>
        Assert.Throws<ArgumentException>(() => new JourneyTransition(MoveKind.Start, default, "a", T0, null, null, default, new MoveOverride("x", "y", ImmutableArray<MoveViolation>.Empty)));

    [Fact]
    public void PublicMoves_AfterTheSeamRefactoring_KeepTheirChecksAndOrder()
    {
        var journey = Journey.Start(FunnelTemplates.B2BPipeline, "d", T0);

        Assert.Equal([BuiltInChecks.TimeOrder, BuiltInChecks.TransitionAllowed, BuiltInChecks.RequiredAttributes],
            journey.MoveTo("invoice-issued", T0.AddDays(-1)).Violations.Select(v => v.RuleId));
        Assert.Equal([BuiltInChecks.UnknownStage], journey.MoveTo("nowhere", T0).Violations.Select(v => v.RuleId));
        Assert.Equal([BuiltInChecks.JourneyClosed], journey.Reopen(T0).Violations.Select(v => v.RuleId));
        Assert.Equal([BuiltInChecks.UnknownLossReason], journey.MarkLost("aliens", T0).Violations.Select(v => v.RuleId));
        var lost = journey.MarkLost("price", T0).GetJourneyOrThrow();
        Assert.Equal([BuiltInChecks.JourneyOpen], lost.MoveTo("proposal-sent", T0).Violations.Select(v => v.RuleId));
        Assert.Equal([BuiltInChecks.JourneyOpen], lost.RecordAttempt(T0).Violations.Select(v => v.RuleId));
        Assert.Equal(2, journey.RecordAttempt(T0).GetJourneyOrThrow().RecordAttempt(T0).GetJourneyOrThrow().GetAttempts("request"));
        var won = journey.SetAttribute("amount", "1").Journey.MarkWon(T0.AddDays(1)).GetJourneyOrThrow();
        Assert.Equal(("won", JourneyStatus.Won, T0.AddDays(1)), (won.CurrentStage.Key.Value, won.Status, won.EnteredStageAt));
        Assert.Equal(MoveKind.Won, won.History[^1].Kind);
        Assert.Throws<ArgumentException>(() => journey.MarkLost(default, T0));
    }
}
