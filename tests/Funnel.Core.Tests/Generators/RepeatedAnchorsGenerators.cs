using Funnel.Core.Metrics;
using Funnel.Core.Tests.Bulk;

namespace Funnel.Core.Tests.Agreement;

/// <summary>
/// Logs for <see cref="BestAnchorProperties"/>: leads that re-enter the first step again and again, with many rows
/// sharing a second (ties at the anchor, between steps and with losses), windows small enough that some attempts run
/// out of time and large enough that others reach the goal, and per-step windows half of the time.
/// </summary>
internal static class RepeatedAnchorsGenerators
{
    /// <summary>A log of a few leads of <paramref name="minEvents"/> to <paramref name="maxEvents"/> events each, about a third of them entries into stage 0.</summary>
    public static RealLog Draw(int seed, int minEvents, int maxEvents)
    {
        var random = new Random(seed);
        var stages = random.Next(2, 6);
        var reasons = random.Next(1, 3);
        var leads = random.Next(1, 5);
        var rows = new List<RealLog.Row>();
        for (var lead = 0; lead < leads; lead++)
        {
            var count = random.Next(minEvents, maxEvents + 1);

            // About two rows per second, so that ties are everywhere.
            var span = Math.Max(1, count / 2);
            var baseTime = random.Next(2) == 0 ? 0 : 1_700_000_000L;
            for (var i = 0; i < count; i++)
            {
                var time = baseTime + random.Next(span);
                var roll = random.Next(10);
                rows.Add(roll switch
                {
                    < 3 => new RealLog.Row(lead, 0, time, -1),
                    9 => new RealLog.Row(lead, 0, time, random.Next(reasons)),
                    _ => new RealLog.Row(lead, random.Next(stages), time, -1),
                });
            }
        }

        var window = random.Next(3) switch
        {
            0 => random.Next(1, 4),
            1 => random.Next(4, maxEvents),
            _ => 1L << 35,
        };
        long[]? stepWindows = random.Next(2) == 0
            ? null
            : [.. Enumerable.Range(1, stages - 1).Select(_ => random.Next(3) == 0 ? long.MaxValue : random.Next(0, 4))];
        var shuffled = rows.OrderBy(_ => random.Next()).ToArray();
        return new RealLog(stages, stages - 1, reasons, window, shuffled, seed, stepWindows);
    }

    /// <summary>The first-step entry seconds of one lead (any entry second when unordered), ascending.</summary>
    public static long[] AnchorSeconds(IEnumerable<RealLog.Row> lead, StepOrder order) =>
        [.. lead.Where(r => r.Reason < 0 && (order == StepOrder.Unordered || r.Stage == 0)).Select(r => r.Time).Distinct().Order()];
}
