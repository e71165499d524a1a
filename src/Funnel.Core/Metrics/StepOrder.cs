namespace Funnel.Core.Metrics;

/// <summary>How the steps of an ordered-window funnel must follow each other. See docs/metrics.md, "Funnel modes".</summary>
public enum StepOrder
{
    /// <summary>
    /// Steps in funnel order at non-decreasing times; other events in between do not matter. The
    /// <see langword="default"/> and the canonical semantics.
    /// </summary>
    Ordered = 0,

    /// <summary>
    /// Steps in funnel order with no other event of the lead between them: any entry into another stage (a repeat of a
    /// step included) or a loss breaks the path. Events that share a second may be taken in any order.
    /// </summary>
    Strict = 1,

    /// <summary>
    /// Distinct steps in any order within the window: a lead that entered k different stages of the funnel in the window
    /// reached "k steps", whichever they were.
    /// </summary>
    Unordered = 2,
}
