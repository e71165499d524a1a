using System.Globalization;
using System.Text;
using Funnel.Core.Bulk;

namespace Funnel.Core.DuckDbTests;

/// <summary>
/// Makes a failing case small: drops whole entities, then single rows, as long as the engine and DuckDB still
/// disagree, and prints what is left. Runs only when a comparison has failed.
/// </summary>
internal static class Shrinker
{
    /// <summary>Returns the smallest case found that still differs, with the difference.</summary>
    public static (OracleCase Case, string Difference) Shrink(OracleCase failing, string difference)
    {
        ArgumentNullException.ThrowIfNull(failing);
        var rows = Rows(failing.Log);
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var entity in rows.Select(r => r.Entity).Distinct().ToArray())
            {
                changed |= TryWithout(rows.Where(r => r.Entity != entity).ToList());
            }

            for (var i = rows.Count - 1; i >= 0; i--)
            {
                changed |= TryWithout(rows.Where((_, index) => index != i).ToList());
            }
        }

        return (failing with { Log = Build(rows) }, difference);

        bool TryWithout(List<(int Entity, int Stage, long Ts, int Reason)> candidate)
        {
            if (candidate.Count == rows.Count)
            {
                return false;
            }

            var c = failing with { Log = Build(candidate) };
            var found = ResultDiff.First(DuckDbOracle.Run(c), EngineReport.Analyze(c));
            if (found is null)
            {
                return false;
            }

            rows = candidate;
            difference = found;
            return true;
        }
    }

    /// <summary>Prints a case as its rows in input order: (entity, stage, ts, reason).</summary>
    public static string Print(OracleCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var text = new StringBuilder(c.Describe()).Append(", rows (entity, stage, ts, reason):");
        foreach (var (entity, stage, ts, reason) in Rows(c.Log))
        {
            text.Append(CultureInfo.InvariantCulture, $" ({entity}, {stage}, {ts}, {reason})");
        }

        return text.ToString();
    }

    private static List<(int Entity, int Stage, long Ts, int Reason)> Rows(TransitionLog log)
    {
        var rows = new List<(int, int, long, int)>(log.Count);
        for (var i = 0; i < log.Count; i++)
        {
            rows.Add((log.EntityIds[i], log.Stages[i], log.Timestamps[i], log.LossReasons[i]));
        }

        return rows;
    }

    private static TransitionLog Build(List<(int Entity, int Stage, long Ts, int Reason)> rows)
    {
        var builder = new TransitionLogBuilder(rows.Count);
        foreach (var (entity, stage, ts, reason) in rows)
        {
            builder.Add(entity, stage, ts, reason);
        }

        return builder.Build();
    }
}
