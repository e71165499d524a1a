namespace Funnel.Core;

/// <summary>Where a lead stands: still in the funnel, won, or lost.</summary>
public enum JourneyStatus
{
    /// <summary>The lead is still moving through the funnel. The <see langword="default"/>.</summary>
    Open = 0,

    /// <summary>The lead reached the goal stage (or was marked won). It may still move on to post-purchase stages.</summary>
    Won = 1,

    /// <summary>The lead left the funnel with a loss reason. It can be reopened.</summary>
    Lost = 2,
}
