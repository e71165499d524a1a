namespace Funnel.Core.Metrics;

/// <summary>What "a lead reached stage k" means in a <see cref="FunnelQuery"/>. See docs/metrics.md for worked examples.</summary>
public enum ReachMode
{
    /// <summary>
    /// Stages 0..k entered in order (timestamps non-decreasing) within the conversion window of the anchor entry into
    /// the first stage (ClickHouse's <c>windowFunnel</c>). The <see langword="default"/>.
    /// </summary>
    OrderedWindow = 0,

    /// <summary>The lead entered stage k at some time, in any order (a CRM "touched" view).</summary>
    AnyOrder = 1,

    /// <summary>
    /// Implicit pass-through: a lead now at stage k, or closed (won or lost) from stage k, counts as having passed
    /// stages 0..k − 1 (how amoCRM and Odoo count).
    /// </summary>
    PassThrough = 2,
}
