using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Funnel.Core;

namespace Funnel.Serialization.Json.Tests;

/// <summary>FsCheck generators of valid definitions, journeys and events, covering every attribute.</summary>
internal static class JsonGenerators
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] Words = ["a", "b", "lead", "Sales", "Marketing", "Ünïcode ✓", "quote\"d", "back\\slash", "line\nbreak", "<tag>&amp;", "x y"];

    public static Gen<string> Text => Gen.Elements(Words);

    public static Gen<string?> OptionalText => Gen.OneOf(Gen.Constant<string?>(null), Text.Select(t => (string?)t));

    public static Gen<FunnelDefinition> Definitions =>
        from stageCount in Gen.Choose(1, 7)
        from stages in Gen.ListOf(StageSpecs, stageCount)
        from goal in Gen.Choose(0, stageCount - 1)
        from optionBits in Gen.Choose(0, 15)
        from reasons in Gen.ListOf(Gen.Zip(Gen.Elements(Enum.GetValues<LossCategory>()), Gen.Elements(true, false)))
        from transitions in Gen.ListOf(Gen.Zip(Gen.Choose(0, stageCount - 1), Gen.Choose(0, stageCount - 1)))
        from name in OptionalText
        select Build(stages, goal, (TransitionOptions)optionBits, reasons, transitions, name);

    public static Arbitrary<FunnelDefinition> DefinitionArbitrary => Definitions.ToArbitrary();

    public static Gen<FunnelEvent> Events =>
        from entity in Gen.Elements("lead-1", "lead-2", "ünï", "x\"y")
        from stage in Gen.Elements("awareness", "research", "convert")
        from seconds in Gen.Choose(-1_000_000, 1_000_000)
        from ticks in Gen.Choose(0, 9_999_999)
        from offsetHours in Gen.Choose(-12, 14)
        from reason in Gen.Elements<string?>(null, "price", "competitor")
        from segment in OptionalText
        select new FunnelEvent(
            entity,
            stage,
            new DateTimeOffset(T0.UtcDateTime.AddSeconds(seconds).AddTicks(ticks).Ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(offsetHours)),
            reason is null ? default : new LossReasonKey(reason),
            segment);

    private static Gen<StageSpec> StageSpecs =>
        from name in OptionalText
        from kind in Gen.Elements(Enum.GetValues<StageKind>())
        from phase in Gen.Elements(Enum.GetValues<FunnelPhase>())
        from owner in OptionalText
        from channels in Gen.ListOf(Gen.Elements(Channels.Tv, Channels.Digital, "own channel"))
        from probability in Gen.OneOf(Gen.Constant<double?>(null), Gen.Choose(0, 1000).Select(p => (double?)(p / 1000.0)), Gen.Elements<double?>(1.0 / 3, 0.1 + 0.2))
        from idleMinutes in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(1, 100_000).Select(m => (int?)m))
        from required in Gen.ListOf(Gen.Elements("amount", "email", "phone"))
        select new StageSpec(name, kind, phase, owner, channels.ToArray(), probability, idleMinutes is { } m ? TimeSpan.FromMinutes(m) + TimeSpan.FromTicks(m * 7) : null, required.ToArray());

    private static FunnelDefinition Build(
        List<StageSpec> stages,
        int goal,
        TransitionOptions options,
        List<(LossCategory, bool)> reasons,
        List<(int, int)> transitions,
        string? name)
    {
        var builder = new FunnelDefinitionBuilder("generated", name);
        for (var i = 0; i < stages.Count; i++)
        {
            var spec = stages[i];
            builder.AddStage("stage-" + i, s => s.WithDisplayName(spec.Name).WithKind(spec.Kind).WithPhase(spec.Phase).WithOwner(spec.Owner)
                .WithChannels(spec.Channels).WithWinProbability(spec.Probability).WithIdleLimit(spec.IdleLimit).RequireAttributes(spec.Required));
        }

        for (var i = 0; i < reasons.Count; i++)
        {
            builder.AddLossReason("reason-" + i, i % 2 == 0 ? null : "Reason " + i, reasons[i].Item1, reasons[i].Item2);
        }

        // Keep every stage reachable: forward moves are always on.
        builder.WonAt("stage-" + goal).WithTransitionOptions(options | TransitionOptions.Forward);
        foreach (var (from, to) in transitions)
        {
            builder.AllowTransition("stage-" + from, "stage-" + to);
        }

        return builder.Build();
    }

    internal sealed record StageSpec(string? Name, StageKind Kind, FunnelPhase Phase, string? Owner, string[] Channels, double? Probability, TimeSpan? IdleLimit, string[] Required);
}
