using Funnel.Core.Rules;
using static Funnel.Core.Tests.Rules.RuleTestData;

namespace Funnel.Core.Tests.Rules;

public class RuleSetValidateTests
{
    [Fact]
    public void Validate_RulesThatFitTheDefinition_ReportNothing()
    {
        Assert.Empty(CrmRules.Validate(FunnelTemplates.B2BPipeline));
        Assert.Empty(RuleSet.Empty.Validate(FunnelTemplates.Aida));
    }

    [Fact]
    public void Validate_TyposAndForbiddenAutoMoves_AreEachReportedByRule()
    {
        var rules = new RuleSetBuilder()
            .AddAutoAdvance(new AutoAdvanceOptions { Signal = "email.opened", From = "proposal-sen", To = "proposal-read" })
            .AddAutoAdvance(new AutoAdvanceOptions { Id = "jump", Signal = "paid", From = "request", To = "won" })
            .AddMaxAttempts(new MaxAttemptsOptions { LossReason = "gone", Stages = ["reqest"] })
            .AddLossReasonRequired(new LossReasonOptions { AllowedReasons = ["price", "prize"] })
            .AddGuard("scoped", _ => GuardVerdict.Allow, GuardScope.Transition("request", "invoice"))
            .AddIdleLimit(new IdleLimitOptions { Action = IdleAction.MarkLost, LossReason = "stale" })
            .AddRequiredAttributes(new RequiredAttributesOptions { Requirements = RequirementsFor("decide", "x") })
            .AddNoSkippingKeyStages(new NoSkippingKeyStagesOptions { Stages = ["invoice"] })
            .AddRetargeting(new RetargetingOptions { Reasons = ["cart"] })
            .AddAllowedTransitions(new AllowedTransitionsOptions { Transitions = [("request", "sent")] })
            .Build();

        var problems = rules.Validate(FunnelTemplates.B2BPipeline);

        Assert.Equal(
        [
            "auto-advance: The From stage 'proposal-sen' is not a stage of funnel 'b2b-pipeline'.",
            "jump: Funnel 'b2b-pipeline' does not allow the move 'request' -> 'won', so every move this rule emits would be rejected.",
            "max-attempts: The loss reason 'gone' is not a loss reason of funnel 'b2b-pipeline'.",
            "max-attempts: The stage 'reqest' is not a stage of funnel 'b2b-pipeline'.",
            "loss-reason: The allowed reason 'prize' is not a loss reason of funnel 'b2b-pipeline'.",
            "scoped: The scope's target stage 'invoice' is not a stage of funnel 'b2b-pipeline'.",
            "idle-limit: The loss reason 'stale' is not a loss reason of funnel 'b2b-pipeline'.",
            "required-attributes: The stage 'decide' is not a stage of funnel 'b2b-pipeline'.",
            "no-skipping-key-stages: The key stage 'invoice' is not a stage of funnel 'b2b-pipeline'.",
            "retargeting: The reason 'cart' is not a loss reason of funnel 'b2b-pipeline'.",
            "allowed-transitions: The transition target 'sent' is not a stage of funnel 'b2b-pipeline'.",
        ],
        problems.Select(p => p.ToString()).ToArray());
    }

    [Fact]
    public void Validate_CustomRulesImplementingIRuleValidation_AreCheckedToo()
    {
        var rules = new RuleSetBuilder()
            .AddGuard("vip-only", new StageNamingGuard("vip-lounge"), GuardScope.Funnel)
            .AddGuard("fits", new StageNamingGuard("deciding"), GuardScope.Funnel)
            .AddAutomation("plain", new LambdaAutomation(_ => []), SignalKinds.Won)
            .Build();

        var problems = rules.Validate(FunnelTemplates.B2BPipeline);

        Assert.Equal(["vip-only: The stage 'vip-lounge' is not a stage of funnel 'b2b-pipeline'."], problems.Select(p => p.ToString()).ToArray());
    }

    /// <summary>A custom guard that names a stage, and says so when the definition lacks it.</summary>
    private sealed class StageNamingGuard(string stage) : ITransitionGuard, IRuleValidation
    {
        public GuardVerdict Check(in GuardArguments arguments) => GuardVerdict.Allow;

        public IEnumerable<string> Validate(FunnelDefinition definition) =>
            definition.Stages.Any(s => s.Key == stage) ? [] : [$"The stage '{stage}' is not a stage of funnel '{definition.Key}'."];
    }
}
