namespace Funnel.Core.Metrics;

/// <summary>How stays in a stage become the samples of <see cref="StageMetrics.TimeInStage"/>.</summary>
public enum TimeInStageMode
{
    /// <summary>
    /// Every stay is one sample: the time from an event of the lead to its next event, attributed to the first event's
    /// stage. The <see langword="default"/> and the canonical semantics.
    /// </summary>
    EveryStay = 0,

    /// <summary>One sample per lead and stage: the lead's latest stay there.</summary>
    LatestStay = 1,

    /// <summary>One sample per lead and stage: the sum of all the lead's stays there (re-entries add up).</summary>
    Cumulative = 2,
}
