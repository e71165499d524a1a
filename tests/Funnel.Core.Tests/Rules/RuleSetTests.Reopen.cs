using Funnel.Core.Rules;
using static Funnel.Core.Tests.Rules.RuleTestData;

namespace Funnel.Core.Tests.Rules;

/// <summary>Reopen commands: an automation reopening a won or lost journey through <see cref="RuleSet.Run(Journey, FunnelSignal)"/>.</summary>
public partial class RuleSetTests
{
    private static Journey LostB2B() => StartB2B(definition: FreeB2B).MarkLost("price", T0.AddHours(1), "anna", "Too expensive").GetJourneyOrThrow();

    [Fact]
    public void Run_ReopenCommandOnALostJourney_ReopensAsTheRuleRaisesReopenedAndCascades()
    {
        var reopened = new List<string>();
        var rules = new RuleSetBuilder()
            .AddAutomation("came-back", SignalKinds.External, a =>
                a.Signal.Name == "cart.recovered" && a.Journey.Status == JourneyStatus.Lost ? [a.Reopen("came back to the cart")] : [])
            .AddAutomation("resume", SignalKinds.Reopened, a =>
            {
                lock (reopened)
                {
                    reopened.Add(a.Signal.ToString());
                }

                return [a.Move("proposal-sent", "resumed"), a.Notify("sales", "Lead is back")];
            })
            .Build();
        var at = T0.AddDays(1);

        var run = rules.Run(LostB2B(), FunnelSignal.External("cart.recovered", at));

        Assert.True(run.Succeeded);
        Assert.Equal(["reopen deal-1: came back to the cart (came-back)", "move deal-1 to proposal-sent: resumed (resume)"], run.Applied.Select(c => c.ToString()));
        Assert.Empty(run.Rejected);
        Assert.IsType<NotifyCommand>(Assert.Single(run.Pending));
        Assert.Equal(["Reopened request"], reopened);
        Assert.Equal(JourneyStatus.Open, run.Journey.Status);
        Assert.Null(run.Journey.LossReason);
        Assert.Equal("proposal-sent", run.Journey.CurrentStage.Key.Value);
        var reopen = run.Journey.History[^2];
        Assert.Equal(MoveKind.Reopen, reopen.Kind);
        Assert.Equal("rule:came-back", reopen.Actor);
        Assert.Equal("came back to the cart", reopen.Note);
        Assert.Equal(at, reopen.At);
        Assert.Equal("rule:resume", run.Journey.History[^1].Actor);
    }

    [Fact]
    public void Run_ReopenCommandOnAWonJourney_ReopensAtTheGoal()
    {
        var rules = new RuleSetBuilder().AddAutomation("refund", SignalKinds.External, a => [a.Reopen()]).Build();
        var won = StartB2B(attributes: ("amount", "1")).MarkWon(T0.AddHours(1)).GetJourneyOrThrow();

        var run = rules.Run(won, FunnelSignal.External("refunded", T0.AddDays(1)));

        Assert.Equal(JourneyStatus.Open, run.Journey.Status);
        Assert.Equal(won.CurrentStage, run.Journey.CurrentStage);
        Assert.Null(run.Journey.ClosedAt);
        Assert.Equal((MoveKind.Reopen, "rule:refund", (string?)null), (run.Journey.History[^1].Kind, run.Journey.History[^1].Actor, run.Journey.History[^1].Note));
    }

    [Fact]
    public void Run_ReopenCommandOnAnOpenJourney_IsRejectedByTheJourneyClosedCheck()
    {
        var rules = new RuleSetBuilder().AddAutomation("eager", SignalKinds.External, a => [a.Reopen("just in case")]).Build();
        var journey = StartB2B();

        var run = rules.Run(journey, FunnelSignal.External("ping", T0.AddHours(1)));

        Assert.True(run.Succeeded);
        Assert.Same(journey, run.Journey);
        Assert.Empty(run.Applied);
        var rejected = Assert.Single(run.Rejected);
        Assert.IsType<ReopenCommand>(rejected.Command);
        var violation = Assert.Single(rejected.Violations);
        Assert.Equal(BuiltInChecks.JourneyClosed, violation.RuleId);
        Assert.Equal("Journey 'deal-1' is open; only a won or lost lead can be reopened.", violation.Message);
        Assert.StartsWith("reopen deal-1: just in case (eager) rejected: ", rejected.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_GuardVetoesTheReopen_CommandIsRejectedWithTheGuardsViolationAndNoSignal()
    {
        var reopenedSignals = 0;
        var rules = new RuleSetBuilder()
            .AddGuard("final-losses", g => g.Journey.LossReason?.Key == "price" ? GuardVerdict.Deny("Price losses stay lost.") : GuardVerdict.Allow, GuardScope.OfKind(MoveKind.Reopen))
            .AddAutomation("came-back", SignalKinds.External, a => [a.Reopen()])
            .AddAutomation("spy", SignalKinds.Reopened, _ => { Interlocked.Increment(ref reopenedSignals); return []; })
            .Build();
        var lost = LostB2B();

        var run = rules.Run(lost, FunnelSignal.External("cart.recovered", T0.AddDays(1)));

        Assert.Same(lost, run.Journey);
        Assert.Empty(run.Applied);
        var rejected = Assert.Single(run.Rejected);
        Assert.Equal("came-back", rejected.Command.RuleId);
        Assert.Equal(["final-losses: Price losses stay lost."], rejected.Violations.Select(v => $"{v.RuleId}: {v.Message}"));
        Assert.Equal(0, reopenedSignals);
    }

    [Fact]
    public void Run_ReopenAndLoseAgainInALoop_IsACycleNamingBothRules()
    {
        var rules = new RuleSetBuilder()
            .AddAutomation("back", SignalKinds.External | SignalKinds.Lost, a => [a.Reopen("back again")])
            .AddAutomation("gone", SignalKinds.Reopened, a => [a.MarkLost("price")])
            .Build();

        var ex = Assert.Throws<RuleCascadeException>(() => rules.Run(LostB2B(), FunnelSignal.External("go", T0.AddDays(1))));

        Assert.True(ex.IsCycle);
        Assert.Equal(["back", "gone"], ex.RuleIds.ToArray());
    }
}
