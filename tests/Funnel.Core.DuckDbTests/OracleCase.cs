using Funnel.Core.Bulk;

namespace Funnel.Core.DuckDbTests;

/// <summary>A log and the funnel it is analysed with: n stages, the goal stage, r loss reasons and the window.</summary>
internal sealed record OracleCase(TransitionLog Log, int StageCount, int Goal, int ReasonCount, long WindowSeconds)
{
    /// <summary>Returns the analysis parameters as text, for failure messages.</summary>
    public string Describe() =>
        $"stages {StageCount}, goal {Goal}, reasons {ReasonCount}, window {WindowSeconds} s, {Log.Count} events";
}
