using System.Collections.Immutable;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Funnel.Core;
using Funnel.Core.Metrics;

namespace Funnel.Storage.ClickHouse.Tests;

/// <summary>
/// Logs and questions for the funnel-mode push-down properties: leads that re-enter the first step again and again
/// (so the anchors differ), ties at several stages logged in any order, time going backwards, a loss first or twice,
/// events after the goal, leads without a first-step entry, awkward string or signed integer keys; the rows
/// shuffled, and per-step windows around the gaps of the grid.
/// </summary>
internal static class ModeLogs
{
    /// <summary>One case: the log's seed and size, the key kind, the window, the per-step windows (empty, or one per step, null for none), the anchor and the median.</summary>
    internal sealed record Case(int Seed, int Entities, bool NumericKeys, long Window, ImmutableArray<TimeSpan?> StepWindows, AnchorMode Anchor, MedianKind Median)
    {
        public override string ToString() =>
            $"seed {Seed}, {Entities} leads, {(NumericKeys ? "Int64" : "string")} keys, window {Window} s, steps [{string.Join(", ", StepWindows.Select(w => w is { } s ? s.TotalSeconds.ToString(CultureInfo.InvariantCulture) : "-"))}], anchor {Anchor}, median {Median}";
    }

    /// <summary>Cases with the anchors, per-step windows and medians drawn independently, so every supported combination comes up.</summary>
    internal static Gen<Case> Cases(int stageCount) =>
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from entities in Gen.Choose(0, 30)
        from numeric in Gen.Elements(false, true)
        from window in Gen.Elements(0L, 59L, 600L, 1_800L, 3_600L, 86_400L, 10_000_000L)
        from stepped in Gen.Elements(false, true, true)
        from steps in Gen.Elements<TimeSpan?>(null, TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(601), TimeSpan.FromSeconds(1_800)).ArrayOf(stageCount - 1)
        from anchor in Gen.Elements(AnchorMode.First, AnchorMode.Latest, AnchorMode.Best)
        from median in Gen.Elements(MedianKind.Lower, MedianKind.Interpolated)
        select new Case(seed, entities, numeric, window, stepped ? [.. steps] : [], anchor, median);

    /// <summary>A log over the stages and loss reasons of <paramref name="definition"/>, its rows shuffled.</summary>
    public static List<FunnelEvent> Create(FunnelDefinition definition, int seed, int entities, bool numericKeys)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var stages = definition.Stages.Length;
        var events = new List<FunnelEvent>();
        for (var e = 0; e < entities; e++)
        {
            var id = Key(e, numericKeys);
            var t = random.Next(0, 20) * 600L;
            var stage = random.Next(4) == 0 ? random.Next(stages) : 0;
            if (random.Next(6) == 0)
            {
                // Lost before any stage is known.
                events.Add(Loss(id, definition, stage, start.AddSeconds(t), random));
            }

            for (var i = random.Next(0, 14); i > 0; i--)
            {
                var roll = random.Next(20);
                stage = roll switch
                {
                    < 9 => Math.Min(stage + 1, stages - 1),
                    < 13 => 0,                                     // a new attempt from the first step
                    < 15 => random.Next(stages),
                    _ => stage,
                };
                t += random.Next(-1, 4) * 300L;                   // a coarse grid: ties and steps at the window edges
                var at = start.AddSeconds(Math.Max(0, t) + random.Next(0, 2));
                if (random.Next(9) == 0)
                {
                    events.Add(Loss(id, definition, stage, at, random));
                }
                else if (random.Next(7) == 0 && stage + 2 < stages)
                {
                    // Three stages in one second, logged backwards: ties match in any order.
                    for (var s = stage + 2; s >= stage; s--)
                    {
                        events.Add(new FunnelEvent(id, definition.Stages[s].Key, at));
                    }

                    stage += 2;
                }
                else
                {
                    events.Add(new FunnelEvent(id, definition.Stages[stage].Key, at));
                }
            }
        }

        // Any insertion order: a lead's rows arrive out of time order and in several appends.
        return [.. events.OrderBy(_ => random.Next())];
    }

    private static FunnelEvent Loss(string id, FunnelDefinition definition, int stage, DateTimeOffset at, Random random) =>
        new(id, definition.Stages[stage].Key, at, definition.LossReasons[random.Next(definition.LossReasons.Length)].Key);

    private static string Key(int e, bool numeric) =>
        numeric
            ? ((e % 2 == 0 ? -1L : 1L) * ((long)e * 7_919_000_003L + 11)).ToString(CultureInfo.InvariantCulture)
            : "lead '\\\"\t" + e.ToString(CultureInfo.InvariantCulture) + " ü";
}
