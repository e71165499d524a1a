using Funnel.Core.Metrics;

namespace Funnel.Core.Tests.Metrics;

/// <summary>Small funnels and helpers shared by the metrics tests.</summary>
internal static class MetricsFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero); // a Monday

    /// <summary>Four stages a, b, c, d (goal d); loss reasons price (recoverable) and competitor (not); any move allowed.</summary>
    public static FunnelDefinition Abcd { get; } = new FunnelDefinitionBuilder("abcd")
        .AddStage("a", s => s.WithWinProbability(0.1))
        .AddStage("b", s => s.WithWinProbability(0.3))
        .AddStage("c", s => s.WithWinProbability(0.6))
        .AddStage("d", s => s.WithWinProbability(1))
        .WonAt("d")
        .WithTransitionOptions(TransitionOptions.FreeForm)
        .AddLossReason("price", "Price", LossCategory.Price, isRecoverable: true)
        .AddLossReason("competitor", "Competitor", LossCategory.Competitor, isRecoverable: false)
        .Build();

    public static DateTimeOffset At(double hours) => T0.AddHours(hours);

    public static FunnelEvent Enter(string id, string stage, double hours, string? segment = null) => new(id, stage, At(hours), default, segment);

    public static FunnelEvent Lose(string id, string stage, double hours, string reason, string? segment = null) => new(id, stage, At(hours), reason, segment);

    public static Journey Move(this Journey journey, string stage, double hours) => journey.MoveTo(stage, At(hours)).GetJourneyOrThrow();

    public static Journey Lose(this Journey journey, string reason, double hours) => journey.MarkLost(reason, At(hours)).GetJourneyOrThrow();

    public static Journey Win(this Journey journey, double hours) => journey.MarkWon(At(hours)).GetJourneyOrThrow();

    public static Journey Reopen(this Journey journey, double hours) => journey.Reopen(At(hours)).GetJourneyOrThrow();

    public static Journey Start(string id, double hours, params (string Key, string Value)[] attributes) =>
        Journey.Start(Abcd, id, At(hours), attributes: attributes.Select(a => KeyValuePair.Create(a.Key, a.Value)));

    public static long Hours(double h) => (long)(h * 3600);
}
