using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>What the tests read of an aggregate's time to convert: a step's durations in ascending order.</summary>
internal static class ModeTotalsExtensions
{
    /// <summary>The durations of step <paramref name="step"/> from the anchor (or from the previous step), sorted.</summary>
    public static long[] Sorted(this ModeTotals totals, int step, bool fromAnchor)
    {
        var all = totals.Samples(step, fromAnchor);
        Array.Sort(all);
        return all;
    }
}
