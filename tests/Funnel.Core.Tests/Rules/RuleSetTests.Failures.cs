using System.Collections.Immutable;
using Funnel.Core.Rules;
using static Funnel.Core.Tests.Rules.RuleTestData;

namespace Funnel.Core.Tests.Rules;

/// <summary>
/// Issue 18, defect 8: a guard or automation that threw reached the caller raw, with no rule id, and an automation
/// returning <c>[null]</c> put a null command into <see cref="RuleRun.Pending"/>. Both now surface as
/// <see cref="RuleExecutionException"/> naming the rule, the journey and the stage (docs/rules.md, "When a rule fails").
/// </summary>
public partial class RuleSetTests
{
    [Fact]
    public void Evaluate_GuardThrows_ThrowsRuleExecutionExceptionNamingRuleJourneyAndStageWithTheOriginalInside()
    {
        var original = new InvalidOperationException("amount is not a number");
        var rules = new RuleSetBuilder().AddGuard("amount-check", _ => throw original).Build();

        var ex = Assert.Throws<RuleExecutionException>(() => rules.Evaluate(StartB2B(), MoveRequest.MoveTo("proposal-sent", T0.AddHours(1))));

        Assert.Same(original, ex.InnerException);
        Assert.Equal("amount-check", ex.RuleId);
        Assert.Equal("deal-1", ex.JourneyId);
        Assert.Equal("request", ex.Stage.Value);
        Assert.IsAssignableFrom<FunnelException>(ex);
        Assert.Contains("'amount-check'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'request' -> 'proposal-sent'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("amount is not a number", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_GuardThrowsOnAForcedMove_StillThrowsBecauseAFailureIsNotAViolationToOverride()
    {
        var rules = new RuleSetBuilder().AddGuard("broken", _ => throw new FormatException("bad")).Build();

        var ex = Assert.Throws<RuleExecutionException>(() =>
            rules.Evaluate(StartB2B(), MoveRequest.MoveTo("proposal-sent", T0.AddHours(1)).ForcedBy("boss", "urgent")));

        Assert.IsType<FormatException>(ex.InnerException);
    }

    [Fact]
    public void Run_AutomationThrowsInACascade_ThrowsRuleExecutionExceptionNamingTheRuleAndTheStageEntered()
    {
        var rules = new RuleSetBuilder()
            .AddAutomation("advance", SignalKinds.StageEntered, a => a.Signal.Stage == "proposal-sent" ? [a.Move("proposal-read")] : [])
            .AddAutomation("crm-sync", SignalKinds.StageEntered, a => a.Signal.Stage == "proposal-read" ? throw new TimeoutException("CRM down") : [])
            .Build();

        var ex = Assert.Throws<RuleExecutionException>(() => rules.Run(StartB2B(), MoveRequest.MoveTo("proposal-sent", T0.AddHours(1))));

        Assert.Equal("crm-sync", ex.RuleId);
        Assert.Equal("proposal-read", ex.Stage.Value);
        Assert.Equal("deal-1", ex.JourneyId);
        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Contains("StageEntered", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void React_AutomationThrowsOnAnExternalSignal_NamesTheSignal()
    {
        var rules = new RuleSetBuilder().AddAutomation("on-open", SignalKinds.External, _ => throw new KeyNotFoundException("no template")).Build();

        var ex = Assert.Throws<RuleExecutionException>(() => rules.React(StartB2B(), FunnelSignal.External("email.opened", T0)));

        Assert.Equal("on-open", ex.RuleId);
        Assert.Contains("'email.opened'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AutomationReturnsANullCommand_ThrowsNamingTheRuleInsteadOfPuttingNullInPending()
    {
        var rules = new RuleSetBuilder()
            .AddAutomation("notify", SignalKinds.StageEntered, a => [a.Notify("sales", "moved"), null!])
            .Build();

        var ex = Assert.Throws<RuleExecutionException>(() => rules.Run(StartB2B(), MoveRequest.MoveTo("proposal-sent", T0.AddHours(1))));

        Assert.Equal("notify", ex.RuleId);
        Assert.Null(ex.InnerException);
        Assert.Contains("null command (item 1 of 2)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void React_AutomationReturnsTheDefaultArray_IsTreatedAsNoCommands()
    {
        var rules = new RuleSetBuilder().AddAutomation("nothing", SignalKinds.External, _ => default(ImmutableArray<RuleCommand>)).Build();

        Assert.Empty(rules.React(StartB2B(), FunnelSignal.External("x", T0)));
    }
}
