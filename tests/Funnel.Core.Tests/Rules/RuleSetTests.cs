using System.Collections.Immutable;
using Funnel.Core.Rules;
using static Funnel.Core.Tests.Rules.RuleTestData;

namespace Funnel.Core.Tests.Rules;

public partial class RuleSetTests
{
    private static readonly GuardVerdict Denied = GuardVerdict.Deny("no");

    [Fact]
    public void Evaluate_EmptyRuleSet_BehavesLikeJourneyMove()
    {
        var journey = StartB2B();
        var viaRules = RuleSet.Empty.Evaluate(journey, MoveRequest.MoveTo("proposal-sent", T0.AddHours(1), "anna", "sent"));
        var direct = journey.MoveTo("proposal-sent", T0.AddHours(1), "anna", "sent");

        Assert.True(viaRules.Succeeded);
        Assert.Equal(direct.Journey, viaRules.Journey);
        Assert.Empty(viaRules.Commands);
        Assert.Null(viaRules.Override);
    }

    [Fact]
    public void Evaluate_BuiltInAndGuardViolations_ReturnsAllBuiltInFirstThenGuardsByPriorityThenRegistration()
    {
        var rules = new RuleSetBuilder()
            .AddGuard("low-a", _ => GuardVerdict.Deny("low a"))
            .AddGuard("high", _ => GuardVerdict.Deny("high", RuleData("k", "v")), priority: 10)
            .AddGuard("low-b", _ => GuardVerdict.Deny("low b"))
            .AddGuard("allows", _ => GuardVerdict.Allow, priority: 20)
            .Build();
        var journey = StartB2B();

        // request -> deciding skips stages (graph) and is earlier than the start (time order).
        var result = rules.Evaluate(journey, MoveRequest.MoveTo("deciding", T0.AddHours(-1)));

        Assert.False(result.Succeeded);
        Assert.Same(journey, result.Journey);
        Assert.Equal(
            [BuiltInChecks.TimeOrder, BuiltInChecks.TransitionAllowed, "high", "low-a", "low-b"],
            result.Violations.Select(v => v.RuleId));
        Assert.Equal("v", result.Violations[2].Data["k"]);
        Assert.Equal("high", result.Violations[2].Message);
        Assert.Empty(result.Commands);
    }

    [Fact]
    public void Evaluate_UnknownStage_ReportsBuiltInCheckAndSkipsGuards()
    {
        var called = 0;
        var rules = new RuleSetBuilder().AddGuard("count", _ => { Interlocked.Increment(ref called); return GuardVerdict.Allow; }).Build();

        var result = rules.Evaluate(StartB2B(), MoveRequest.MoveTo("nowhere", T0));

        Assert.Equal([BuiltInChecks.UnknownStage], result.Violations.Select(v => v.RuleId));
        Assert.Equal(0, called);
    }

    [Theory]
    [InlineData("funnel", true, true, true, true)]
    [InlineData("entering", true, false, false, false)]
    [InlineData("leaving", false, true, false, false)]
    [InlineData("transition", true, false, false, false)]
    [InlineData("lost", false, false, true, false)]
    [InlineData("won", false, false, false, true)]
    public void Evaluate_ScopedGuard_IsAskedOnlyAboutChangesInScope(string scopeName, bool moveIn, bool moveOut, bool lost, bool won)
    {
        var scope = scopeName switch
        {
            "funnel" => GuardScope.Funnel,
            "entering" => GuardScope.Entering("proposal-sent"),
            "leaving" => GuardScope.Leaving("proposal-sent"),
            "transition" => GuardScope.Transition("request", "proposal-sent"),
            "lost" => GuardScope.OfKind(MoveKind.Lost),
            _ => GuardScope.OfKind(MoveKind.Won),
        };
        var rules = new RuleSetBuilder().AddGuard("scoped", _ => Denied, scope).Build();
        var atRequest = StartB2B(definition: FreeB2B);
        var atProposal = atRequest.MoveTo("proposal-sent", T0).GetJourneyOrThrow();

        Assert.Equal(!moveIn, rules.Evaluate(atRequest, MoveRequest.MoveTo("proposal-sent", T0)).Succeeded);
        Assert.Equal(!moveOut, rules.Evaluate(atProposal, MoveRequest.MoveTo("proposal-read", T0)).Succeeded);
        Assert.Equal(!lost, rules.Evaluate(atRequest, MoveRequest.Lost("price", T0)).Succeeded);
        Assert.Equal(!won, rules.Evaluate(atRequest.SetAttribute("amount", "1").Journey, MoveRequest.Won(T0)).Succeeded);
    }

    [Fact]
    public void Evaluate_GuardArguments_CarryTheProposedChange()
    {
        GuardArguments seen = default;
        var rules = new RuleSetBuilder().AddGuard("spy", a => { seen = a; return GuardVerdict.Allow; }).Build();
        var journey = StartB2B();

        rules.Evaluate(journey, MoveRequest.Lost("price", T0.AddDays(1), "boris", "too expensive"));

        Assert.Same(journey, seen.Journey);
        Assert.Equal(MoveKind.Lost, seen.Kind);
        Assert.Equal("request", seen.From.Key.Value);
        Assert.Equal("request", seen.To.Key.Value);
        Assert.Equal(T0.AddDays(1), seen.At);
        Assert.Equal("boris", seen.Actor);
        Assert.Equal("too expensive", seen.Note);
        Assert.Equal(LossReasonCatalog.Price, seen.LossReason);
        Assert.Equal("spy", seen.RuleId);
        Assert.False(seen.EntersStage);
    }

    [Fact]
    public void Evaluate_ForcedMove_OverridesGuardsAndGraphAndRecordsTheAudit()
    {
        var rules = new RuleSetBuilder()
            .AddNoSkippingKeyStages()
            .AddGuard("office-hours", _ => GuardVerdict.Deny("Only during office hours."))
            .Build();
        var journey = StartB2B(attributes: ("amount", "1000"));
        var request = MoveRequest.MoveTo("deciding", T0.AddHours(2), note: "client signed early").ForcedBy("head-of-sales", "The client signed on the phone.");

        var plain = rules.Evaluate(journey, MoveRequest.MoveTo("deciding", T0.AddHours(2)));
        var forced = rules.Evaluate(journey, request);

        Assert.Equal([BuiltInChecks.TransitionAllowed, BuiltInRuleTypes.NoSkippingKeyStages, "office-hours"], plain.Violations.Select(v => v.RuleId));
        Assert.True(forced.Succeeded);
        var entry = forced.Journey.History[^1];
        Assert.True(entry.IsForced);
        Assert.Equal("head-of-sales", entry.Actor);
        Assert.Equal("client signed early", entry.Note);
        Assert.Equal("head-of-sales", entry.Override!.Actor);
        Assert.Equal("The client signed on the phone.", entry.Override.Reason);
        Assert.Equal([BuiltInChecks.TransitionAllowed, BuiltInRuleTypes.NoSkippingKeyStages, "office-hours"], entry.Override.OverriddenRuleIds.ToArray());
        Assert.Equal(plain.Violations.Select(v => v.Message), entry.Override.Overridden.Select(v => v.Message));
        Assert.Same(entry.Override, forced.Override);
        Assert.Contains("forced by head-of-sales", entry.ToString(), StringComparison.Ordinal);
        Assert.Equal(
            "[forced by head-of-sales: The client signed on the phone; overrode funnel.transition-allowed, no-skipping-key-stages, office-hours]",
            entry.Override.ToString());
    }

    [Fact]
    public void Evaluate_ForcedMove_StillRejectsHardBuiltInChecks()
    {
        var rules = new RuleSetBuilder().AddGuard("never", _ => Denied).Build();
        var journey = StartB2B();

        // invoice-issued requires "amount": a definition invariant that no one can force past.
        var result = rules.Evaluate(journey, MoveRequest.MoveTo("invoice-issued", T0).ForcedBy("boss", "urgent"));

        Assert.False(result.Succeeded);
        Assert.Equal([BuiltInChecks.RequiredAttributes], result.Violations.Select(v => v.RuleId));
        Assert.Single(journey.History);
    }

    [Fact]
    public void Evaluate_ForcedWithNothingToOverride_StillRecordsTheBypass()
    {
        var result = RuleSet.Empty.Evaluate(StartB2B(), MoveRequest.MoveTo("proposal-sent", T0).ForcedBy("boss", "just because"));

        Assert.True(result.Succeeded);
        Assert.True(result.Journey.History[^1].IsForced);
        Assert.Empty(result.Journey.History[^1].Override!.Overridden);
    }

    [Fact]
    public void ForcedBy_Attempt_Throws() =>
        Assert.Throws<InvalidOperationException>(() => MoveRequest.Attempt(T0).ForcedBy("boss", "why"));

    [Fact]
    public void Evaluate_DefaultRequest_Throws() =>
        Assert.Throws<ArgumentException>(() => RuleSet.Empty.Evaluate(StartB2B(), default));

    [Fact]
    public void WithEnabled_DisabledGuard_DoesNotRunAndCanBeEnabledAgain()
    {
        var rules = new RuleSetBuilder().AddGuard("g", _ => Denied).Disable("g").Build();
        var journey = StartB2B();

        Assert.False(rules.IsEnabled("g"));
        Assert.True(rules.Evaluate(journey, MoveRequest.MoveTo("proposal-sent", T0)).Succeeded);
        var enabled = rules.WithEnabled("g", true);
        Assert.False(enabled.Evaluate(journey, MoveRequest.MoveTo("proposal-sent", T0)).Succeeded);
        Assert.False(rules.IsEnabled("g"));
        Assert.True(enabled.WithEnabled("g", false).Evaluate(journey, MoveRequest.MoveTo("proposal-sent", T0)).Succeeded);
    }

    [Fact]
    public void WithEnabled_UnknownId_ThrowsListingKnownIds()
    {
        var rules = new RuleSetBuilder().AddGuard("a", _ => Denied).Build();

        var ex = Assert.Throws<ArgumentException>(() => rules.WithEnabled("b", false));

        Assert.Contains("known: a", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_DuplicateIdsAndUnknownDisable_ReportsEveryProblem()
    {
        var builder = new RuleSetBuilder().AddGuard("a", _ => Denied).AddGuard("a", _ => Denied).Disable("zzz");

        var ex = Assert.Throws<RuleConfigurationException>(builder.Build);

        Assert.Contains("'a' is used more than once", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot disable 'zzz'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_AcceptedMove_RaisesLeftEnteredAndWonSignalsInOrder()
    {
        var seen = new List<string>();
        var rules = new RuleSetBuilder()
            .AddAutomation("spy", SignalKinds.All, a => { lock (seen) { seen.Add(a.Signal.ToString()); } return []; })
            .Build();
        var journey = StartB2B(attributes: ("amount", "1")).MoveTo("proposal-sent", T0).GetJourneyOrThrow()
            .MoveTo("proposal-read", T0).GetJourneyOrThrow().MoveTo("invoice-issued", T0).GetJourneyOrThrow()
            .MoveTo("deciding", T0).GetJourneyOrThrow();

        rules.Evaluate(journey, MoveRequest.MoveTo("won", T0.AddDays(1)));
        rules.Evaluate(journey, MoveRequest.Attempt(T0.AddDays(1)));
        var lost = rules.Evaluate(journey, MoveRequest.Lost("price", T0.AddDays(1))).Journey;
        rules.Evaluate(lost, MoveRequest.Reopen(T0.AddDays(2)));

        Assert.Equal(["StageLeft deciding", "StageEntered won", "Won won", "AttemptRecorded deciding", "Lost deciding", "Reopened deciding"], seen);
    }

    [Fact]
    public void Evaluate_RejectedMove_RunsNoAutomation()
    {
        var fired = false;
        var rules = new RuleSetBuilder().AddAutomation("spy", SignalKinds.All, _ => { fired = true; return []; }).Build();

        var result = rules.Evaluate(StartB2B(), MoveRequest.MoveTo("won", T0));

        Assert.False(result.Succeeded);
        Assert.False(fired);
    }

    [Fact]
    public void Run_AppliesMoveCommandsThroughGuardsAndReturnsTheRest()
    {
        var rules = new RuleSetBuilder()
            .AddAutoAdvance(new AutoAdvanceOptions { Signal = "email.opened", From = "proposal-sent", To = "proposal-read", TaskTitle = "Call the client" })
            .AddAutomation("notify-on-read", SignalKinds.StageEntered, a => a.Signal.Stage == "proposal-read" ? [a.Notify("sales", "Proposal read")] : [])
            .Build();
        var journey = StartB2B(attributes: ("owner", "anna")).MoveTo("proposal-sent", T0).GetJourneyOrThrow();

        var run = rules.Run(journey, FunnelSignal.External("email.opened", T0.AddHours(3)));

        Assert.True(run.Succeeded);
        Assert.Equal("proposal-read", run.Journey.CurrentStage.Key.Value);
        Assert.Equal("rule:auto-advance", run.Journey.History[^1].Actor);
        Assert.Single(run.Applied);
        Assert.Empty(run.Rejected);
        Assert.Equal(2, run.Pending.Length);
        var task = Assert.IsType<ScheduleTaskCommand>(run.Pending[0]);
        Assert.Equal("Call the client", task.Title);
        Assert.Equal("anna", task.Assignee);
        Assert.Equal(T0.AddHours(4), task.Due);
        Assert.IsType<NotifyCommand>(run.Pending[1]);
    }

    [Fact]
    public void Run_CommandRejectedByGuard_IsReportedNotApplied()
    {
        var rules = new RuleSetBuilder()
            .AddAutomation("jump", SignalKinds.External, a => [a.Move("deciding")])
            .AddNoSkippingKeyStages()
            .Build();
        var journey = StartB2B(definition: FreeB2B);

        var run = rules.Run(journey, FunnelSignal.External("go", T0));

        Assert.Same(journey, run.Journey);
        var rejected = Assert.Single(run.Rejected);
        Assert.Equal("jump", rejected.Command.RuleId);
        Assert.Equal([BuiltInRuleTypes.NoSkippingKeyStages], rejected.Violations.Select(v => v.RuleId));
    }

    [Fact]
    public void Run_RejectedRequest_ReturnsViolationsAndNoCommands()
    {
        var run = RuleSet.Empty.Run(StartB2B(), MoveRequest.MoveTo("won", T0));

        Assert.False(run.Succeeded);
        Assert.Equal([BuiltInChecks.TransitionAllowed], run.Violations.Select(v => v.RuleId));
    }

    [Fact]
    public void Run_AutomationsInACycle_ThrowNamingTheRulesInTheCycle()
    {
        var rules = new RuleSetBuilder()
            .AddAutomation("kick-off", SignalKinds.External, a => [a.Move("proposal-sent")])
            .AddAutomation("ping", SignalKinds.StageEntered, a => a.Signal.Stage == "proposal-sent" ? [a.Move("proposal-read")] : [])
            .AddAutomation("pong", SignalKinds.StageEntered, a => a.Signal.Stage == "proposal-read" ? [a.Move("proposal-sent")] : [])
            .Build();
        var journey = StartB2B(definition: FreeB2B);

        var ex = Assert.Throws<RuleCascadeException>(() => rules.Run(journey, FunnelSignal.External("go", T0)));

        Assert.True(ex.IsCycle);
        Assert.Equal(["ping", "pong"], ex.RuleIds.ToArray());
        Assert.Equal("deal-1", ex.JourneyId);
        Assert.Contains("Rules in the cycle: ping, pong", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SelfLoopOnEntry_IsACycleOfOneRule()
    {
        var rules = new RuleSetBuilder()
            .AddAutomation("again", SignalKinds.StageEntered, a => [a.Move(a.Signal.Stage)])
            .Build();

        var ex = Assert.Throws<RuleCascadeException>(() => rules.Run(StartB2B(definition: FreeB2B), MoveRequest.MoveTo("proposal-sent", T0)));

        Assert.Equal(["again"], ex.RuleIds.ToArray());
    }

    [Fact]
    public void Run_ReentryFromAnExternalSignal_IsNotMistakenForACycle()
    {
        var rules = new RuleSetBuilder().AddAutomation("restart", SignalKinds.External, a => [a.Move(a.Journey.CurrentStage.Key)]).Build();

        var run = rules.Run(StartB2B(definition: FreeB2B), FunnelSignal.External("restart", T0));

        Assert.Single(run.Applied);
    }

    [Fact]
    public void Run_LongChainPastTheDepthLimit_ThrowsWithoutACycle()
    {
        var rules = new RuleSetBuilder()
            .AddAutomation("next", SignalKinds.External | SignalKinds.StageEntered, a =>
                a.Journey.CurrentStage.Order + 1 < a.Definition.GoalStage.Order ? [a.Move(a.Definition.Stages[a.Journey.CurrentStage.Order + 1].Key)] : [])
            .WithMaxCascadeDepth(2)
            .Build();
        var journey = StartB2B(attributes: ("amount", "1"));

        var ex = Assert.Throws<RuleCascadeException>(() => rules.Run(journey, FunnelSignal.External("go", T0)));

        Assert.False(ex.IsCycle);
        Assert.Equal(["next"], ex.RuleIds.ToArray());
        Assert.Equal(4, rules.WithEnabled("next", true).ToBuilder().WithMaxCascadeDepth(10).Build()
            .Run(journey, FunnelSignal.External("go", T0)).Journey.CurrentStage.Order);
    }

    [Fact]
    public void React_ExternalSignal_ReturnsCommandsInPriorityOrderWithoutApplyingThem()
    {
        var rules = new RuleSetBuilder()
            .AddAutomation("second", SignalKinds.External, a => [a.Notify("x", "second")])
            .AddAutomation("first", SignalKinds.External, a => [a.Notify("x", "first"), a.Notify("x", "first again")], priority: 5)
            .AddAutomation("other-kind", SignalKinds.Idle, a => [a.Notify("x", "never")])
            .Build();
        var journey = StartB2B();

        var commands = rules.React(journey, FunnelSignal.External("ping", T0, ImmutableDictionary<string, string>.Empty.Add("k", "v")));

        Assert.Equal(["first", "first", "second"], commands.Select(c => c.RuleId));
        Assert.All(commands, c => Assert.Equal("deal-1", c.JourneyId));
    }

    [Fact]
    public void React_DefaultSignal_Throws() =>
        Assert.Throws<ArgumentException>(() => RuleSet.Empty.React(StartB2B(), default));

    private static ImmutableDictionary<string, string> RuleData(string key, string value) => ImmutableDictionary<string, string>.Empty.Add(key, value);
}
