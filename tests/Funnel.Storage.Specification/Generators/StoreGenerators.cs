using FsCheck;
using FsCheck.Fluent;
using Funnel.Core.Metrics;
using Funnel.Core.Storage;

namespace Funnel.Storage.Specification;

/// <summary>Generated inputs for the store specification's properties; the logs themselves come from <see cref="GeneratedLogs"/>.</summary>
internal static class StoreGenerators
{
    /// <summary>A log seed and size, a conversion window (around the ten-minute edge) and the goal stage, for the aggregate property.</summary>
    internal static Gen<(int seed, int entities, long window, string goal)> AggregateCases =>
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from entities in Gen.Choose(0, 40)
        from window in Gen.Elements(0L, 60L, 599L, 600L, 601L, 3600L, 86_400L)
        from goal in Gen.Elements("lead", "qualified", "proposal", "customer")
        select (seed, entities, window, goal);

    /// <summary>
    /// Push-down questions composed at random: per-step windows around the ten-minute edge (or none), each anchor,
    /// each median, and now and then one option that a store may not compute (<paramref name="option"/> when given:
    /// every question then uses it).
    /// </summary>
    internal static Gen<PushDownCase> PushDownCases(PushDownOptions? option = null) =>
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from entities in Gen.Choose(0, 30)
        from window in Gen.Elements(0L, 600L, 1800L, 3600L, 86_400L, -1L)
        from steps in Gen.Elements<long?>(null, 0, 1, 599, 600, 601, 1200).ArrayOf(4)
        from useSteps in option is { } o ? Gen.Constant(o == PushDownOptions.StepWindows) : Gen.Elements(true, true, false)
        from anchor in option switch
        {
            PushDownOptions.LatestAnchor => Gen.Constant(AnchorMode.Latest),
            PushDownOptions.BestAnchor => Gen.Constant(AnchorMode.Best),
            null => Gen.Elements(AnchorMode.First, AnchorMode.Latest, AnchorMode.Best),
            _ => Gen.Constant(AnchorMode.First),
        }
        from median in option switch
        {
            PushDownOptions.InterpolatedMedian => Gen.Constant(MedianKind.Interpolated),
            null => Gen.Elements(MedianKind.Lower, MedianKind.Interpolated),
            _ => Gen.Constant(MedianKind.Lower),
        }
        from extra in option is { } only
            ? Gen.Constant(only & (PushDownOptions.StrictOrder | PushDownOptions.UnorderedSteps | PushDownOptions.Exclusions | PushDownOptions.OptionalSteps | PushDownOptions.ConversionTimes))
            : Gen.Frequency(
                (6, Gen.Constant(PushDownOptions.None)),
                (1, Gen.Elements(PushDownOptions.StrictOrder, PushDownOptions.UnorderedSteps, PushDownOptions.Exclusions, PushDownOptions.OptionalSteps, PushDownOptions.ConversionTimes)))
        from secondAttempts in Gen.Choose(0, 8)
        from shuffled in Gen.Elements(true, false)
        select new PushDownCase(seed, entities, window, useSteps ? steps : null, anchor, median, extra, secondAttempts, shuffled);
}
