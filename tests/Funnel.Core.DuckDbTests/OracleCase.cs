using System.Globalization;
using Funnel.Core.Bulk;

namespace Funnel.Core.DuckDbTests;

/// <summary>
/// A log and the funnel it is analysed with: n stages, the goal stage, r loss reasons and the window; optionally
/// per-step windows (issue 14 rule 7): value k - 1 limits step k (stage k - 1 to k), <see cref="long.MaxValue"/> for a
/// step without a limit; optionally the funnel modes of rules 8-13 (<see cref="Modes"/>; <see langword="null"/> for the
/// defaults); optionally the entity key of every row as the application had it before interning it to the row's id
/// (<see cref="RowKeys"/>, in log order), which DuckDB then groups by instead of the ids.
/// </summary>
internal sealed record OracleCase(
    TransitionLog Log,
    int StageCount,
    int Goal,
    int ReasonCount,
    long WindowSeconds,
    long[]? StepWindows = null,
    OracleModes? Modes = null,
    IReadOnlyList<string>? RowKeys = null)
{
    /// <summary>Returns the analysis parameters as text, for failure messages.</summary>
    public string Describe() =>
        $"stages {StageCount}, goal {Goal}, reasons {ReasonCount}, window {WindowSeconds} s, " +
        (StepWindows is null ? string.Empty : $"step windows [{string.Join(", ", StepWindows.Select(w => w == long.MaxValue ? "-" : w.ToString(CultureInfo.InvariantCulture)))}], ") +
        (Modes is null ? string.Empty : $"{Modes.Describe()}, ") +
        $"{Log.Count} events";
}
