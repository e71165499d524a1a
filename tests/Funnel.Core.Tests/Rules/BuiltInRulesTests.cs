using System.Collections.Immutable;
using Funnel.Core.Rules;
using static Funnel.Core.Tests.Rules.RuleTestData;

namespace Funnel.Core.Tests.Rules;

public class BuiltInRulesTests
{
    [Fact]
    public void AllowedTransitions_UnlistedMove_IsDeniedWithStageData()
    {
        var rules = new RuleSetBuilder()
            .AddAllowedTransitions(new AllowedTransitionsOptions { Transitions = [("request", "proposal-sent"), ("proposal-sent", "proposal-read")] })
            .Build();
        var atProposal = StartB2B().MoveTo("proposal-sent", T0).GetJourneyOrThrow();

        var allowed = rules.Evaluate(StartB2B(), MoveRequest.MoveTo("proposal-sent", T0));
        var denied = rules.Evaluate(atProposal, MoveRequest.MoveTo("invoice-issued", T0));
        var lossNotRestricted = rules.Evaluate(atProposal, MoveRequest.Lost("price", T0));

        Assert.True(allowed.Succeeded);
        Assert.True(lossNotRestricted.Succeeded);
        var violation = Assert.Single(denied.Violations, v => v.RuleId == BuiltInRuleTypes.AllowedTransitions);
        Assert.Equal("proposal-sent", violation.Data["from"]);
        Assert.Equal("invoice-issued", violation.Data["to"]);
    }

    [Fact]
    public void AllowedTransitions_NoTransitions_Throws() =>
        Assert.Throws<ArgumentException>(() => new RuleSetBuilder().AddAllowedTransitions(new AllowedTransitionsOptions()));

    [Fact]
    public void RequiredAttributes_MissingOrBlank_AreListedInOrder()
    {
        var rules = new RuleSetBuilder()
            .AddRequiredAttributes(new RequiredAttributesOptions { Requirements = RequirementsFor("proposal-sent", "email", "company", "phone") })
            .Build();
        var journey = StartB2B(attributes: [("company", "  "), ("phone", "+1")]);

        var result = rules.Evaluate(journey, MoveRequest.MoveTo("proposal-sent", T0));

        var violation = Assert.Single(result.Violations);
        Assert.Equal(BuiltInRuleTypes.RequiredAttributes, violation.RuleId);
        Assert.Equal("email, company", violation.Data["missing"]);
        Assert.Equal("proposal-sent", violation.Data["stage"]);
    }

    [Fact]
    public void RequiredAttributes_BlankAllowed_OnlyAbsentCount()
    {
        var rules = new RuleSetBuilder()
            .AddRequiredAttributes(new RequiredAttributesOptions { Requirements = RequirementsFor("proposal-sent", "company"), RejectBlankValues = false })
            .Build();

        Assert.True(rules.Evaluate(StartB2B(attributes: ("company", "")), MoveRequest.MoveTo("proposal-sent", T0)).Succeeded);
    }

    [Fact]
    public void RequiredAttributes_BlankValueOfTheStagesOwnRequirement_IsDenied()
    {
        var rules = new RuleSetBuilder().AddRequiredAttributes(new RequiredAttributesOptions { Requirements = RequirementsFor("deciding", "decision-maker") }).Build();
        var journey = StartB2B(attributes: ("amount", " ")).MoveTo("proposal-sent", T0).GetJourneyOrThrow().MoveTo("proposal-read", T0).GetJourneyOrThrow();

        var result = rules.Evaluate(journey, MoveRequest.MoveTo("invoice-issued", T0));

        Assert.Equal("amount", Assert.Single(result.Violations).Data["missing"]);
    }

    [Fact]
    public void RequiredAttributes_NotEnteringTheStage_IsAllowed()
    {
        var rules = new RuleSetBuilder().AddRequiredAttributes(new RequiredAttributesOptions { Requirements = RequirementsFor("request", "email") }).Build();

        Assert.True(rules.Evaluate(StartB2B(), MoveRequest.Lost("price", T0)).Succeeded);
    }

    [Fact]
    public void LossReason_ReasonOutsideTheAllowedList_IsDenied()
    {
        var rules = new RuleSetBuilder().AddLossReasonRequired(new LossReasonOptions { AllowedReasons = ["price", "competitor"] }).Build();

        var denied = rules.Evaluate(StartB2B(), MoveRequest.Lost("no-budget", T0));
        var allowed = rules.Evaluate(StartB2B(), MoveRequest.Lost("price", T0));

        Assert.Equal("no-budget", Assert.Single(denied.Violations).Data["reason"]);
        Assert.True(allowed.Succeeded);
    }

    [Fact]
    public void LossReason_UnknownReason_IsLeftToTheBuiltInCheck()
    {
        var rules = new RuleSetBuilder().AddLossReasonRequired(new LossReasonOptions { RequireComment = true }).Build();

        var result = rules.Evaluate(StartB2B(), MoveRequest.Lost("aliens", T0));

        Assert.Equal([BuiltInChecks.UnknownLossReason], result.Violations.Select(v => v.RuleId));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("   ", false)]
    [InlineData("ok", false)]
    [InlineData("chose a cheaper vendor", true)]
    public void LossReason_CommentRequired_NeedsAtLeastTheMinimumLength(string? comment, bool accepted)
    {
        var rules = new RuleSetBuilder().AddLossReasonRequired(new LossReasonOptions { RequireComment = true, MinimumCommentLength = 5 }).Build();

        var result = rules.Evaluate(StartB2B(), MoveRequest.Lost("price", T0, "anna", comment));

        Assert.Equal(accepted, result.Succeeded);
        if (!accepted)
        {
            Assert.Equal("required", Assert.Single(result.Violations).Data["comment"]);
        }
    }

    [Fact]
    public void LossReason_CommentRequiredForOneReason_OnlyThatReasonNeedsIt()
    {
        var rules = new RuleSetBuilder().AddLossReasonRequired(new LossReasonOptions { CommentRequiredFor = ["competitor"] }).Build();

        Assert.True(rules.Evaluate(StartB2B(), MoveRequest.Lost("price", T0)).Succeeded);
        Assert.False(rules.Evaluate(StartB2B(), MoveRequest.Lost("competitor", T0)).Succeeded);
        Assert.True(rules.Evaluate(StartB2B(), MoveRequest.Lost("competitor", T0, comment: "Acme")).Succeeded);
    }

    [Fact]
    public void NoSkippingKeyStages_JumpOverUnvisitedKeyStages_IsDeniedListingThem()
    {
        var rules = new RuleSetBuilder().AddNoSkippingKeyStages().Build();
        var journey = StartB2B(definition: FreeB2B, attributes: ("amount", "5"));

        var move = rules.Evaluate(journey, MoveRequest.MoveTo("won", T0));
        var win = rules.Evaluate(journey, MoveRequest.Won(T0));
        var skipOverTechnicalStage = rules.Evaluate(journey, MoveRequest.MoveTo("invoice-issued", T0));

        var violation = Assert.Single(move.Violations);
        Assert.Equal("invoice-issued, deciding", violation.Data["skipped"]);
        Assert.Equal("invoice-issued, deciding", Assert.Single(win.Violations).Data["skipped"]);
        Assert.True(skipOverTechnicalStage.Succeeded);
    }

    [Fact]
    public void NoSkippingKeyStages_KeyStageVisitedBefore_MayBeJumpedOver()
    {
        var rules = new RuleSetBuilder().AddNoSkippingKeyStages().Build();
        var journey = StartB2B(definition: FreeB2B, attributes: ("amount", "5"))
            .MoveTo("invoice-issued", T0).GetJourneyOrThrow()
            .MoveTo("deciding", T0).GetJourneyOrThrow()
            .MoveTo("proposal-sent", T0).GetJourneyOrThrow();

        Assert.True(rules.Evaluate(journey, MoveRequest.MoveTo("won", T0)).Succeeded);
    }

    [Fact]
    public void NoSkippingKeyStages_ExplicitStagesWithoutWins_OnlyGuardsThoseMoves()
    {
        var rules = new RuleSetBuilder().AddNoSkippingKeyStages(new NoSkippingKeyStagesOptions { Stages = ["proposal-read"], IncludeWins = false }).Build();
        var journey = StartB2B(definition: FreeB2B, attributes: ("amount", "5"));

        Assert.Equal("proposal-read", Assert.Single(rules.Evaluate(journey, MoveRequest.MoveTo("deciding", T0)).Violations).Data["skipped"]);
        Assert.True(rules.Evaluate(journey, MoveRequest.Won(T0)).Succeeded);
    }

    [Fact]
    public void MaxAttempts_ReachingTheLimit_EmitsLossWithTheConfiguredReason()
    {
        var rules = new RuleSetBuilder().AddMaxAttempts(new MaxAttemptsOptions { MaxAttempts = 2, LossReason = "unreachable" }).Build();
        var journey = StartB2B();

        var first = rules.Evaluate(journey, MoveRequest.Attempt(T0.AddHours(1)));
        var second = rules.Evaluate(first.Journey, MoveRequest.Attempt(T0.AddHours(2)));
        var run = rules.Run(first.Journey, MoveRequest.Attempt(T0.AddHours(2)));

        Assert.Empty(first.Commands);
        var lost = Assert.IsType<MarkLostCommand>(Assert.Single(second.Commands));
        Assert.Equal("unreachable", lost.Reason.Value);
        Assert.Equal("2 attempts at 'request' without result", lost.Comment);
        Assert.Equal(JourneyStatus.Lost, run.Journey.Status);
        Assert.Equal("unreachable", run.Journey.LossReason!.Key.Value);
        Assert.Equal("rule:max-attempts", run.Journey.History[^1].Actor);
    }

    [Fact]
    public void MaxAttempts_StageNotListed_DoesNothing()
    {
        var rules = new RuleSetBuilder().AddMaxAttempts(new MaxAttemptsOptions { MaxAttempts = 1, Stages = ["deciding"] }).Build();

        Assert.Empty(rules.Evaluate(StartB2B(), MoveRequest.Attempt(T0)).Commands);
    }

    [Fact]
    public void MaxAttempts_ZeroLimit_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxAttemptsRule(new MaxAttemptsOptions { MaxAttempts = 0 }));

    [Fact]
    public void IdleLimit_BeforeAndAfterTheStagesLimit_RemindsOnlyAfter()
    {
        var rules = new RuleSetBuilder().AddIdleLimit().Build();
        var journey = StartB2B(attributes: ("owner", "boris")); // request: idle limit 4 hours

        var early = rules.React(journey, FunnelSignal.Idle(T0.AddHours(3)));
        var late = rules.React(journey, FunnelSignal.Idle(T0.AddHours(4)));

        Assert.Empty(early);
        var task = Assert.IsType<ScheduleTaskCommand>(Assert.Single(late));
        Assert.Equal("Follow up: idle in Request received", task.Title);
        Assert.Equal("boris", task.Assignee);
        Assert.Equal(T0.AddHours(4), task.Due);
    }

    [Fact]
    public void IdleLimit_SweepWithThePreviousSweep_RemindsOncePerIdleStay()
    {
        var rules = new RuleSetBuilder().AddIdleLimit().Build();
        var journey = StartB2B(); // 'request' has a 4-hour idle limit; the lead entered it at T0

        var beforeLimit = rules.React(journey, FunnelSignal.Idle(T0.AddHours(3), previousSweep: T0.AddHours(2)));
        var crossedSinceLastSweep = rules.React(journey, FunnelSignal.Idle(T0.AddHours(5), previousSweep: T0.AddHours(3)));
        var crossedAtExactlyThisSweep = rules.React(journey, FunnelSignal.Idle(T0.AddHours(4), previousSweep: T0.AddHours(3)));
        var alreadyRemindedLastSweep = rules.React(journey, FunnelSignal.Idle(T0.AddHours(6), previousSweep: T0.AddHours(5)));
        var withoutPreviousSweep = rules.React(journey, FunnelSignal.Idle(T0.AddHours(6)));
        var called = journey.RecordAttempt(T0.AddHours(6)).GetJourneyOrThrow(); // a new idle stay starts
        var idleAgain = rules.React(called, FunnelSignal.Idle(T0.AddHours(11), previousSweep: T0.AddHours(9)));

        Assert.Empty(beforeLimit);
        Assert.IsType<ScheduleTaskCommand>(Assert.Single(crossedSinceLastSweep));
        Assert.IsType<ScheduleTaskCommand>(Assert.Single(crossedAtExactlyThisSweep));
        Assert.Empty(alreadyRemindedLastSweep);
        Assert.IsType<ScheduleTaskCommand>(Assert.Single(withoutPreviousSweep));
        Assert.IsType<ScheduleTaskCommand>(Assert.Single(idleAgain));
        Assert.Throws<ArgumentOutOfRangeException>(() => FunnelSignal.Idle(T0, previousSweep: T0.AddSeconds(1)));
    }

    [Fact]
    public void IdleLimit_MarkLost_IsNotHeldBackByThePreviousSweep()
    {
        var rules = new RuleSetBuilder()
            .AddIdleLimit(new IdleLimitOptions { Action = IdleAction.MarkLost })
            .Build();

        var run = rules.Run(StartB2B(), FunnelSignal.Idle(T0.AddHours(8), previousSweep: T0.AddHours(6)));

        Assert.Equal(JourneyStatus.Lost, run.Journey.Status);
    }

    [Fact]
    public void IdleLimit_NoOwnerAttribute_AssignsTheStageOwner()
    {
        var rules = new RuleSetBuilder().AddIdleLimit().Build();

        var task = Assert.IsType<ScheduleTaskCommand>(Assert.Single(rules.React(StartB2B(), FunnelSignal.Idle(T0.AddDays(1)))));

        Assert.Equal("Sales", task.Assignee);
    }

    [Fact]
    public void IdleLimit_MarkLostWithOverriddenLimit_LosesTheStaleDeal()
    {
        var rules = new RuleSetBuilder()
            .AddIdleLimit(new IdleLimitOptions { Action = IdleAction.MarkLost, Limits = ImmutableDictionary<StageKey, TimeSpan>.Empty.Add("request", TimeSpan.FromDays(2)) })
            .Build();
        var journey = StartB2B();

        Assert.Empty(rules.React(journey, FunnelSignal.Idle(T0.AddDays(1))));
        var run = rules.Run(journey, FunnelSignal.Idle(T0.AddDays(2)));

        Assert.Equal(JourneyStatus.Lost, run.Journey.Status);
        Assert.Equal("slow-response", run.Journey.LossReason!.Key.Value);
        Assert.Equal(T0.AddDays(2), run.Journey.ClosedAt);
    }

    [Fact]
    public void IdleLimit_AttemptResetsIdleness_AndClosedLeadsAreNeverIdle()
    {
        var rules = new RuleSetBuilder().AddIdleLimit().Build();
        var called = StartB2B().RecordAttempt(T0.AddHours(3)).GetJourneyOrThrow();
        var lost = StartB2B().MarkLost("price", T0).GetJourneyOrThrow();

        Assert.Empty(rules.React(called, FunnelSignal.Idle(T0.AddHours(5))));
        Assert.Empty(rules.React(lost, FunnelSignal.Idle(T0.AddDays(30))));
    }

    [Fact]
    public void IdleLimit_StageWithoutLimitOrNotListed_IsNeverIdle()
    {
        var rules = new RuleSetBuilder().AddIdleLimit(new IdleLimitOptions { Stages = ["deciding"] }).Build();
        var aida = Journey.Start(FunnelTemplates.Aida, "x", T0); // attention has no idle limit

        Assert.Empty(rules.React(StartB2B(), FunnelSignal.Idle(T0.AddDays(30))));
        Assert.Empty(new RuleSetBuilder().AddIdleLimit().Build().React(aida, FunnelSignal.Idle(T0.AddDays(30))));
    }

    [Fact]
    public void AutoAdvance_MatchingSignalInTheFromStage_MovesAndSchedulesTheCall()
    {
        var rules = new RuleSetBuilder()
            .AddAutoAdvance(new AutoAdvanceOptions { Signal = "email.opened", From = "proposal-sent", To = "proposal-read", TaskTitle = "Call the client", TaskDueAfter = TimeSpan.FromMinutes(30) })
            .Build();
        var sent = StartB2B().MoveTo("proposal-sent", T0).GetJourneyOrThrow();

        var commands = rules.React(sent, FunnelSignal.External("email.opened", T0.AddHours(1)));

        Assert.Equal(2, commands.Length);
        Assert.Equal("proposal-read", Assert.IsType<MoveCommand>(commands[0]).Stage.Value);
        var task = Assert.IsType<ScheduleTaskCommand>(commands[1]);
        Assert.Equal(T0.AddMinutes(90), task.Due);
        Assert.Equal("Sales", task.Assignee);
        Assert.Empty(rules.React(sent, FunnelSignal.External("email.bounced", T0.AddHours(1))));
        Assert.Empty(rules.React(StartB2B(), FunnelSignal.External("email.opened", T0.AddHours(1))));
    }

    [Fact]
    public void AutoAdvance_WithoutTask_OnlyMoves()
    {
        var rules = new RuleSetBuilder().AddAutoAdvance(new AutoAdvanceOptions { Signal = "paid", From = "deciding", To = "won" }).Build();
        var deciding = Journey.Restore(FunnelTemplates.B2BPipeline, "d", "deciding", JourneyStatus.Open, default, T0, T0, null,
            [new JourneyTransition(MoveKind.Start, default, "request", T0)], [], [], 4);

        var run = rules.Run(deciding, FunnelSignal.External("paid", T0.AddDays(1)));

        Assert.Equal(JourneyStatus.Won, run.Journey.Status);
        Assert.Empty(run.Pending);
    }

    [Fact]
    public void AutoAdvance_MissingStages_Throws() =>
        Assert.Throws<ArgumentException>(() => new AutoAdvanceRule(new AutoAdvanceOptions { Signal = "x", From = "a" }));

    [Fact]
    public void Retargeting_RecoverableLoss_SchedulesTheWinBackTask()
    {
        var rules = new RuleSetBuilder().AddRetargeting(new RetargetingOptions { Delay = TimeSpan.FromHours(2) }).Build();

        var recoverable = rules.Evaluate(StartB2B(), MoveRequest.Lost("price", T0));
        var final = rules.Evaluate(StartB2B(), MoveRequest.Lost("competitor", T0));

        var task = Assert.IsType<ScheduleTaskCommand>(Assert.Single(recoverable.Commands));
        Assert.Equal("Win back: Price too high", task.Title);
        Assert.Equal("Marketing", task.Assignee);
        Assert.Equal(T0.AddHours(2), task.Due);
        Assert.Empty(final.Commands);
    }

    [Fact]
    public void Retargeting_ListedReasons_ReplaceTheRecoverableFlag()
    {
        var rules = new RuleSetBuilder().AddRetargeting(new RetargetingOptions { Reasons = ["competitor"] }).Build();

        Assert.Single(rules.Evaluate(StartB2B(), MoveRequest.Lost("competitor", T0)).Commands);
        Assert.Empty(rules.Evaluate(StartB2B(), MoveRequest.Lost("price", T0)).Commands);
    }

    [Fact]
    public void LambdaRules_GuardAndAutomation_WorkLikeAnyOther()
    {
        var rules = new RuleSetBuilder()
            .AddGuard("big-deals-need-approval", a =>
                a.Journey.Attributes.TryGetValue("amount", out var amount) && int.Parse(amount, System.Globalization.CultureInfo.InvariantCulture) > 10_000 && a.Actor != "head-of-sales"
                    ? GuardVerdict.Deny("Deals above 10000 need the head of sales.", ImmutableDictionary<string, string>.Empty.Add("amount", amount))
                    : GuardVerdict.Allow,
                GuardScope.Entering("invoice-issued"))
            .AddAutomation("welcome", SignalKinds.StageEntered, a => a.Signal.Stage == "proposal-read" ? [a.Notify("sales", "read!")] : [])
            .Build();
        var journey = StartB2B(attributes: ("amount", "20000")).MoveTo("proposal-sent", T0).GetJourneyOrThrow();

        var read = rules.Evaluate(journey, MoveRequest.MoveTo("proposal-read", T0));
        var byAnna = rules.Evaluate(read.Journey, MoveRequest.MoveTo("invoice-issued", T0, "anna"));
        var byHead = rules.Evaluate(read.Journey, MoveRequest.MoveTo("invoice-issued", T0, "head-of-sales"));

        Assert.IsType<NotifyCommand>(Assert.Single(read.Commands));
        Assert.Equal("20000", Assert.Single(byAnna.Violations).Data["amount"]);
        Assert.True(byHead.Succeeded);
    }
}
