using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Rules;
using static Funnel.Core.Tests.Rules.RuleTestData;

namespace Funnel.Core.Tests.Rules;

/// <summary>
/// Issue 18, defect 10: a cascade of 8,000 steps took 16 times as long as one of 2,000, because the cycle check
/// compared each command with every earlier one by text and every move copied the journey's history. Checked by
/// counting bytes and by an invariant, never by timing.
/// </summary>
public partial class RuleSetTests
{
    /// <summary>An automation that bounces the lead between two stages until the journey reaches a version.</summary>
    private static RuleSet Bouncing(int steps) => new RuleSetBuilder()
        .AddAutomation("bounce", SignalKinds.External | SignalKinds.StageEntered, a =>
            a.Journey.Version < steps
                ? [a.Move(a.Journey.CurrentStage.Key == "request" ? "proposal-sent" : "request", a.Journey.Version.ToString(CultureInfo.InvariantCulture))]
                : [])
        .WithMaxCascadeDepth(steps + 1)
        .Build();

    private static long AllocatedByCascade(int steps)
    {
        var rules = Bouncing(steps);
        var journey = StartB2B(definition: FreeB2B);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var run = rules.Run(journey, FunnelSignal.External("go", T0));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(steps, run.Applied.Length);
        return allocated;
    }

    [Fact]
    public void Run_CascadeOf8000Steps_AllocatesLinearlyNotQuadratically()
    {
        var small = AllocatedByCascade(2_000);
        var large = AllocatedByCascade(8_000);

        // Four times the steps: about four times the bytes (the history copies and the text comparisons made it ~16).
        Assert.InRange((double)large / small, 3.0, 6.0);
    }

    [Fact]
    public void Run_CycleAtTheEndOfALongCascade_IsStillFoundAndNamed()
    {
        var rules = new RuleSetBuilder()
            .AddAutomation("count-up", SignalKinds.External | SignalKinds.StageEntered, a =>
                a.Journey.Version < 3_000 ? [a.Move(a.Journey.CurrentStage.Key == "request" ? "proposal-sent" : "request", a.Journey.Version.ToString(CultureInfo.InvariantCulture))] : [])
            .AddAutomation("ping", SignalKinds.StageEntered, a => a.Journey.Version >= 3_000 && a.Signal.Stage == "request" ? [a.Move("proposal-sent")] : [])
            .AddAutomation("pong", SignalKinds.StageEntered, a => a.Journey.Version >= 3_000 && a.Signal.Stage == "proposal-sent" ? [a.Move("request")] : [])
            .WithMaxCascadeDepth(10_000)
            .Build();

        var ex = Assert.Throws<RuleCascadeException>(() => rules.Run(StartB2B(definition: FreeB2B), FunnelSignal.External("go", T0)));

        Assert.True(ex.IsCycle);
        Assert.Equal(["ping", "pong"], ex.RuleIds.OrderBy(id => id, StringComparer.Ordinal).ToArray());
    }

    [Property(Arbitrary = [typeof(CascadeArbitraries)], MaxTest = 200)]
    public Property Run_AnyCascade_HasTheSameOutcomeWhateverTheLengthOfTheHistoryBefore(CascadeCase c)
    {
        var definition = TestFunnels.FreeForm();
        var rules = new RuleSetBuilder()
            .AddAutomation("next", SignalKinds.StageEntered, a =>
                c.Next[a.Signal.Stage.Value[1] - '0'] is { } to ? [a.Move(definition.Stages[to].Key)] : [])
            .WithMaxCascadeDepth(12)
            .Build();
        var at = TestFunnels.T0.AddDays(10);

        var fresh = Journey.Start(definition, "lead", TestFunnels.T0);
        var old = Journey.Start(definition, "lead", TestFunnels.T0);
        for (var i = 0; i < c.PriorMoves; i++)
        {
            old = old.MoveTo(i % 2 == 0 ? "s1" : "s0", TestFunnels.T0.AddMinutes(i + 1)).GetJourneyOrThrow();
        }

        old = old.MoveTo("s0", TestFunnels.T0.AddMinutes(c.PriorMoves + 1)).GetJourneyOrThrow();

        var expected = Outcome(rules, fresh, definition.Stages[c.Start].Key, at);
        var actual = Outcome(rules, old, definition.Stages[c.Start].Key, at);
        return (expected == actual).Label($"fresh: {expected}{Environment.NewLine}after {c.PriorMoves + 1} moves: {actual}");
    }

    private static string Outcome(RuleSet rules, Journey journey, StageKey start, DateTimeOffset at)
    {
        var before = journey.History.Length;
        try
        {
            var run = rules.Run(journey, MoveRequest.MoveTo(start, at));
            var tail = run.Journey.History.Skip(before).Select(h => $"{h.Kind} {h.From}->{h.To} {h.Actor}");
            return $"{run.Journey.CurrentStage.Key} {run.Journey.Status}; applied [{string.Join(", ", run.Applied)}]; "
                + $"rejected [{string.Join(", ", run.Rejected.Select(r => r.Command + ": " + string.Join("/", r.Violations.Select(v => v.RuleId))))}]; "
                + $"tail [{string.Join(", ", tail)}]";
        }
        catch (RuleCascadeException ex)
        {
            return $"{(ex.IsCycle ? "cycle" : "too deep")} [{string.Join(", ", ex.RuleIds)}]";
        }
    }
}
