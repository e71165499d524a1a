using System.Collections.Immutable;
using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Extensions.DependencyInjection;

namespace Funnel.Extensions.Hosting.Tests;

/// <summary>A small pipeline whose automation writes one notification per entered stage, so that every move fills the outbox.</summary>
internal static class TestFunnel
{
    public static readonly FunnelDefinition Pipeline = new FunnelDefinitionBuilder("pipeline")
        .AddStage("request")
        .AddStage("proposal")
        .AddStage("invoice")
        .AddStage("won")
        .WonAt("won")
        .AddLossReasons(LossReasonCatalog.Standard)
        .WithTransitionOptions(TransitionOptions.FreeForm)
        .Build();

    public static FunnelBuilder AddTestPipeline(this FunnelBuilder builder) =>
        builder
            .AddDefinition(Pipeline)
            .AddRules("pipeline", rules => rules
                .AddGuard("proposal-first", a =>
                    a.Kind == MoveKind.Move && a.To.Key.Value == "invoice" && a.From.Key.Value == "request"
                        ? GuardVerdict.Deny("An invoice needs a proposal first.")
                        : GuardVerdict.Allow)
                .AddAutomation("notify-owner", SignalKinds.StageEntered, a =>
                    ImmutableArray.Create<RuleCommand>(a.Notify("owner@example.com", $"{a.Journey.Id} entered {a.Journey.CurrentStage.Key}"))));
}
