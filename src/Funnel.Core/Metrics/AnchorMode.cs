namespace Funnel.Core.Metrics;

/// <summary>Which entry into the first stage anchors the conversion window of <see cref="ReachMode.OrderedWindow"/>.</summary>
public enum AnchorMode
{
    /// <summary>The first entry into the first stage. The <see langword="default"/> and the canonical semantics.</summary>
    First = 0,

    /// <summary>The latest entry into the first stage (a lead that came back starts over).</summary>
    Latest = 1,

    /// <summary>The entry into the first stage from which the lead gets deepest within the window.</summary>
    Best = 2,
}
