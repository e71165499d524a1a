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
    public static (OracleCase Case, string Difference) Shrink(OracleCase failing, string difference) =>
        Shrink(failing, difference, c => ResultDiff.First(DuckDbOracle.Run(c), EngineReport.Analyze(c)));

    /// <summary>Returns the smallest case found for which <paramref name="differs"/> still names a difference, with it.</summary>
    public static (OracleCase Case, string Difference) Shrink(OracleCase failing, string difference, Func<OracleCase, string?> differs)
    {
        ArgumentNullException.ThrowIfNull(failing);
        ArgumentNullException.ThrowIfNull(differs);
        var rows = Rows(failing);
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

        return (Build(failing, rows), difference);

        bool TryWithout(List<(int Entity, int Stage, long Ts, int Reason, string? Key)> candidate)
        {
            if (candidate.Count == rows.Count)
            {
                return false;
            }

            var c = Build(failing, candidate);
            var found = differs(c);
            if (found is null)
            {
                return false;
            }

            rows = candidate;
            difference = found;
            return true;
        }
    }

    /// <summary>Prints a case as its rows in input order: (entity, stage, ts, reason), the entity as its quoted key when it has one.</summary>
    public static string Print(OracleCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var text = new StringBuilder(c.Describe()).Append(", rows (entity, stage, ts, reason):");
        foreach (var (entity, stage, ts, reason, key) in Rows(c))
        {
            var name = key is null ? entity.ToString(CultureInfo.InvariantCulture) : $"\"{key}\"";
            text.Append(CultureInfo.InvariantCulture, $" ({name}, {stage}, {ts}, {reason})");
        }

        return text.ToString();
    }

    private static List<(int Entity, int Stage, long Ts, int Reason, string? Key)> Rows(OracleCase c)
    {
        var log = c.Log;
        var rows = new List<(int, int, long, int, string?)>(log.Count);
        for (var i = 0; i < log.Count; i++)
        {
            rows.Add((log.EntityIds[i], log.Stages[i], log.Timestamps[i], log.LossReasons[i], c.RowKeys?[i]));
        }

        return rows;
    }

    // The case with only these rows (and their keys, when it has keys).
    private static OracleCase Build(OracleCase c, List<(int Entity, int Stage, long Ts, int Reason, string? Key)> rows)
    {
        var builder = new TransitionLogBuilder(rows.Count);
        foreach (var (entity, stage, ts, reason, _) in rows)
        {
            builder.Add(entity, stage, ts, reason);
        }

        return c with { Log = builder.Build(), RowKeys = c.RowKeys is null ? null : [.. rows.Select(r => r.Key!)] };
    }
}
