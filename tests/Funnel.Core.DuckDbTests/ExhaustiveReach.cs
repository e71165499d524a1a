using Funnel.Core.Bulk;

namespace Funnel.Core.DuckDbTests;

/// <summary>
/// Rule 2 taken literally, to check reached.sql's stage-by-stage shortcut: for each entity, try every chain of entry
/// events e_0..e_{L-1} (e_i at stage i, e_0 at the earliest stage-0 entry's time, non-decreasing times, all within
/// t0 + W, and each step within its own window when the case has per-step windows) and keep the longest.
/// Exponential; for entities of a dozen events.
/// </summary>
internal static class ExhaustiveReach
{
    /// <summary>Returns Reached[0..n-1] of a case.</summary>
    public static long[] Compute(OracleCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var reached = new long[c.StageCount];
        var log = c.Log;
        var byEntity = new Dictionary<int, List<(int Stage, long Ts)>>();
        for (var i = 0; i < log.Count; i++)
        {
            if (!byEntity.TryGetValue(log.EntityIds[i], out var entries))
            {
                byEntity[log.EntityIds[i]] = entries = [];
            }

            if (log.LossReasons[i] == TransitionLog.NoLossReason)
            {
                entries.Add((log.Stages[i], log.Timestamps[i]));
            }
        }

        foreach (var entries in byEntity.Values)
        {
            var zeros = entries.Where(e => e.Stage == 0).ToList();
            if (zeros.Count == 0)
            {
                continue;
            }

            var t0 = zeros.Min(e => e.Ts);
            var level = Longest(entries, c.WindowSeconds, c.StepWindows, t0, stage: 1, last: t0);
            for (var k = 0; k < level; k++)
            {
                reached[k]++;
            }
        }

        return reached;
    }

    // The longest chain that has e_0..e_{stage-1} with e_{stage-1} at `last`.
    private static int Longest(List<(int Stage, long Ts)> entries, long window, long[]? stepWindows, long t0, int stage, long last)
    {
        var best = stage;
        var stepWindow = stepWindows is null || stage > stepWindows.Length ? long.MaxValue : stepWindows[stage - 1];
        foreach (var (s, ts) in entries)
        {
            if (s == stage && ts >= last && ts - t0 <= window && ts - last <= stepWindow)
            {
                best = Math.Max(best, Longest(entries, window, stepWindows, t0, stage + 1, ts));
            }
        }

        return best;
    }
}
