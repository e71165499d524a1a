using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Rules;
using static Funnel.Core.Tests.Rules.DeterminismGenerators;
using static Funnel.Core.Tests.Rules.RuleTestData;

namespace Funnel.Core.Tests.Rules;

/// <summary>Same inputs give the same verdicts and commands, in the same order, whatever the rule set instance.</summary>
public class DeterminismTests
{
    private static readonly string[] Stages = [.. FunnelTemplates.B2BPipeline.Stages.Select(s => s.Key.Value), "unknown"];
    private static readonly string[] Reasons = ["price", "competitor", "unreachable", "aliens"];
    private static readonly string[] Signals = ["email.opened", "invoice.paid"];

    [Property(MaxTest = 150)]
    public Property Run_SameStepsTwice_GiveTheSameVerdictsAndCommandsInTheSameOrder()
    {
        var steps = DeterminismGenerators.Steps;
        var rebuilt = RebuildCrmRules();

        return Prop.ForAll(steps.ToArbitrary(), list =>
        {
            var first = Replay(CrmRules, list);
            var second = Replay(CrmRules, list);
            var other = Replay(rebuilt, list);
            return first.SequenceEqual(second, StringComparer.Ordinal) && first.SequenceEqual(other, StringComparer.Ordinal);
        });
    }

    [Fact]
    public void Replay_ScenarioProducesRejectionsCommandsAndCascades()
    {
        // Guards the property above against passing vacuously: the generated kind of input does exercise the engine.
        var lines = Scenario().Select(s => Describe(CrmRules, s.Journey, s.Step, s.At)).ToList();

        Assert.Contains(lines, l => l.Contains("rejected", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("task \"Call the client\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("applied [move", StringComparison.Ordinal));
    }

    internal static IEnumerable<(Journey Journey, Step Step, DateTimeOffset At)> Scenario()
    {
        var journey = StartB2B();
        var at = T0;
        Step[] steps =
        [
            new(0, 1, 1, false, false), // move to proposal-sent
            new(4, 0, 2, false, false), // email.opened -> proposal-read + call task
            new(0, 4, 1, false, false), // move to deciding: skips invoice-issued (rejected)
            new(0, 3, 1, false, false), // move to invoice-issued: needs amount (rejected)
            new(5, 0, 72, false, false), // idle sweep: reminder
            new(1, 1, 1, false, false), // lost competitor without comment (rejected)
            new(1, 1, 1, false, true), // lost competitor with comment
            new(3, 0, 1, false, false), // reopen
        ];
        foreach (var step in steps)
        {
            at = at.AddHours(step.Hours);
            yield return (journey, step, at);
            journey = RunStep(CrmRules, journey, step, at).Journey;
        }
    }

    internal static string Describe(RuleSet rules, Journey journey, Step step, DateTimeOffset at)
    {
        try
        {
            var run = RunStep(rules, journey, step, at);
            return run.Succeeded
                ? $"{run.Journey} applied [{string.Join("; ", run.Applied)}] rejected [{string.Join("; ", run.Rejected)}] pending [{string.Join("; ", run.Pending)}] history {run.Journey.History[^1]}"
                : "rejected " + string.Join("; ", run.Violations.Select(v => $"{v.RuleId}: {v.Message} {string.Join(",", v.Data.OrderBy(d => d.Key, StringComparer.Ordinal))}"));
        }
        catch (RuleCascadeException ex)
        {
            return "cascade " + ex.Message;
        }
    }

    private static List<string> Replay(RuleSet rules, List<Step> steps)
    {
        var journey = StartB2B();
        var lines = new List<string>();
        var at = T0;
        foreach (var step in steps)
        {
            at = at.AddHours(step.Hours);
            lines.Add(Describe(rules, journey, step, at));
            journey = RunStep(rules, journey, step, at).Journey;
        }

        return lines;
    }

    private static RuleRun RunStep(RuleSet rules, Journey journey, Step step, DateTimeOffset at)
    {
        var comment = step.WithComment ? "went with a competitor" : null;
        MoveRequest? request = step.Kind switch
        {
            0 => MoveRequest.MoveTo(Stages[step.Argument % Stages.Length], at, "anna"),
            1 => MoveRequest.Lost(Reasons[step.Argument % Reasons.Length], at, "anna", comment),
            2 => MoveRequest.Won(at, "anna"),
            3 => MoveRequest.Reopen(at, "anna"),
            6 => MoveRequest.Attempt(at, "anna"),
            _ => null,
        };
        if (request is { } r)
        {
            if (step.Forced && r.Kind != MoveKind.Attempt)
            {
                r = r.ForcedBy("boss", "because");
            }

            return rules.Run(journey, r);
        }

        var signal = step.Kind == 4 ? FunnelSignal.External(Signals[step.Argument % Signals.Length], at) : FunnelSignal.Idle(at);
        return rules.Run(journey, signal);
    }

    private static RuleSet RebuildCrmRules() => new RuleSetBuilder()
        .AddNoSkippingKeyStages()
        .AddRequiredAttributes(new RequiredAttributesOptions { Requirements = RequirementsFor("deciding", "decision-maker") })
        .AddLossReasonRequired(new LossReasonOptions { CommentRequiredFor = [LossReasonCatalog.Competitor.Key] })
        .AddMaxAttempts(new MaxAttemptsOptions { MaxAttempts = 2, Stages = ["request"] })
        .AddIdleLimit(new IdleLimitOptions { Id = "idle-reminder", Stages = ["proposal-read", "invoice-issued"] })
        .AddIdleLimit(new IdleLimitOptions { Id = "idle-lost", Action = IdleAction.MarkLost, Stages = ["deciding"] })
        .AddAutoAdvance(new AutoAdvanceOptions { Signal = "email.opened", From = "proposal-sent", To = "proposal-read", TaskTitle = "Call the client" })
        .AddRetargeting()
        .Build();
}
