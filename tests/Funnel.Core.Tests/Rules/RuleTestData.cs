using Funnel.Core.Rules;

namespace Funnel.Core.Tests.Rules;

/// <summary>Shared definitions, times and rule sets for the rule engine tests.</summary>
internal static class RuleTestData
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The B2B pipeline with every move allowed by the graph, so that guards decide.</summary>
    public static FunnelDefinition FreeB2B { get; } = FunnelTemplates.B2BPipeline.ToBuilder().WithTransitionOptions(TransitionOptions.FreeForm).Build();

    public static Journey StartB2B(string id = "deal-1", FunnelDefinition? definition = null, params (string Key, string Value)[] attributes) =>
        Journey.Start(definition ?? FunnelTemplates.B2BPipeline, id, T0, "anna", attributes.Select(a => KeyValuePair.Create(a.Key, a.Value)));

    /// <summary>A rule set like the CRM sample's, used by the determinism and concurrency tests.</summary>
    public static RuleSet CrmRules { get; } = new RuleSetBuilder()
        .AddNoSkippingKeyStages()
        .AddRequiredAttributes(new RequiredAttributesOptions { Requirements = RequirementsFor("deciding", "decision-maker") })
        .AddLossReasonRequired(new LossReasonOptions { CommentRequiredFor = [LossReasonCatalog.Competitor.Key] })
        .AddMaxAttempts(new MaxAttemptsOptions { MaxAttempts = 2, Stages = ["request"] })
        .AddIdleLimit(new IdleLimitOptions { Id = "idle-reminder", Stages = ["proposal-read", "invoice-issued"] })
        .AddIdleLimit(new IdleLimitOptions { Id = "idle-lost", Action = IdleAction.MarkLost, Stages = ["deciding"] })
        .AddAutoAdvance(new AutoAdvanceOptions { Signal = "email.opened", From = "proposal-sent", To = "proposal-read", TaskTitle = "Call the client" })
        .AddRetargeting()
        .Build();

    public static System.Collections.Immutable.ImmutableDictionary<StageKey, System.Collections.Immutable.ImmutableArray<string>> RequirementsFor(string stage, params string[] names) =>
        System.Collections.Immutable.ImmutableDictionary<StageKey, System.Collections.Immutable.ImmutableArray<string>>.Empty.Add(stage, [.. names]);
}
