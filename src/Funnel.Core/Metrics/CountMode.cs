namespace Funnel.Core.Metrics;

/// <summary>Whether repeated entries into a stage count once per lead or every time.</summary>
public enum CountMode
{
    /// <summary>Each lead counts at most once per stage. The <see langword="default"/>.</summary>
    Uniques = 0,

    /// <summary>
    /// Every entry counts (re-entries too). Only with <see cref="ReachMode.AnyOrder"/>: <see cref="StageMetrics.Reached"/>
    /// is the number of entries, <see cref="StageMetrics.ConvertedToNext"/> the number of direct moves to the next stage,
    /// and the conversion from the top is not a proportion and is left out.
    /// </summary>
    Totals = 1,
}
