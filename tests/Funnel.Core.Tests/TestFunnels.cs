namespace Funnel.Core.Tests;

/// <summary>Small definitions and times shared by the tests.</summary>
internal static class TestFunnels
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>a → b → c (goal) → d (post-purchase), forward only, with two loss reasons; c requires "amount".</summary>
    public static FunnelDefinition Linear() =>
        new FunnelDefinitionBuilder("linear")
            .AddStage("a")
            .AddStage("b")
            .AddStage("c", s => s.RequireAttributes("amount"))
            .AddStage("d")
            .WonAt("c")
            .AddLossReason("price", "Price", LossCategory.Price, isRecoverable: true)
            .AddLossReason("competitor", "Competitor", LossCategory.Competitor)
            .Build();

    /// <summary>Rebuilds a journey from its public state through <see cref="Journey.Restore"/>: an independent, equal copy.</summary>
    public static Journey CopyThroughRestore(Journey journey) =>
        Journey.Restore(
            journey.Definition,
            journey.Id,
            journey.CurrentStage.Key,
            journey.Status,
            journey.LossReason?.Key ?? default,
            journey.EnteredStageAt,
            journey.LastChangedAt,
            journey.ClosedAt,
            journey.History,
            journey.Attributes,
            journey.Attempts,
            journey.Version);

    /// <summary>Five stages, goal at index 3, free-form moves: every move between stages is allowed.</summary>
    public static FunnelDefinition FreeForm() =>
        new FunnelDefinitionBuilder("free")
            .AddStage("s0")
            .AddStage("s1")
            .AddStage("s2")
            .AddStage("s3")
            .AddStage("s4")
            .WonAt("s3")
            .WithTransitionOptions(TransitionOptions.FreeForm)
            .AddLossReasons(LossReasonCatalog.Standard)
            .Build();
}
