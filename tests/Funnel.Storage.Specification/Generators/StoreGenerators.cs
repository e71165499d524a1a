using FsCheck;
using FsCheck.Fluent;

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
}
