using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Funnel.Core;
using Funnel.Core.Rules;

namespace Funnel.Benchmarks.Rules;

/// <summary>
/// One accepted move (proposal-sent -> proposal-read of the B2B pipeline) without rules (the baseline), through an
/// empty rule set, and through a CRM rule set of 5 guards and 6 automations that all run but none of which fires.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class RuleSetBenchmarks
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private Journey _journey = null!;
    private RuleSet _crmRules = null!;
    private MoveRequest _request;

    [GlobalSetup]
    public void Setup()
    {
        _journey = Journey.Start(FunnelTemplates.B2BPipeline, "deal-1", T0, "anna", [new("owner", "anna"), new("amount", "1000")])
            .MoveTo("proposal-sent", T0.AddHours(1)).GetJourneyOrThrow();
        _crmRules = new RuleSetBuilder()
            .AddAllowedTransitions(new AllowedTransitionsOptions
            {
                Transitions = [("request", "proposal-sent"), ("proposal-sent", "proposal-read"), ("proposal-read", "invoice-issued"), ("invoice-issued", "deciding"), ("deciding", "won")],
            })
            .AddNoSkippingKeyStages()
            .AddRequiredAttributes(new RequiredAttributesOptions { Requirements = ImmutableDictionary<StageKey, ImmutableArray<string>>.Empty.Add("deciding", ["decision-maker"]) })
            .AddLossReasonRequired(new LossReasonOptions { RequireComment = true })
            .AddGuard("discount", a => a.Journey.Attributes.ContainsKey("discount") ? GuardVerdict.Deny("no discounts") : GuardVerdict.Allow, GuardScope.Entering("invoice-issued"))
            .AddAutoAdvance(new AutoAdvanceOptions { Signal = "email.opened", From = "proposal-sent", To = "proposal-read", TaskTitle = "Call the client" })
            .AddMaxAttempts()
            .AddIdleLimit()
            .AddRetargeting()
            .AddAutomation("on-won", SignalKinds.Won, a => [a.Notify("team", "won")])
            .AddAutomation("on-entered-won", SignalKinds.StageEntered, a => a.Signal.Stage == "won" ? [a.Notify("team", "won")] : [])
            .Build();
        _request = MoveRequest.MoveTo("proposal-read", T0.AddHours(2), "anna");
    }

    [Benchmark(Baseline = true, Description = "Journey.MoveTo (no rules)")]
    public Journey MoveWithoutRules() => _journey.MoveTo("proposal-read", T0.AddHours(2), "anna").Journey;

    [Benchmark(Description = "RuleSet.Empty.Evaluate")]
    public Journey EmptyRuleSet() => RuleSet.Empty.Evaluate(_journey, _request).Journey;

    [Benchmark(Description = "CRM rule set (11 rules).Evaluate")]
    public Journey CrmRuleSet() => _crmRules.Evaluate(_journey, _request).Journey;
}
