namespace Funnel.Core.Metrics;

/// <summary>Which leads <see cref="EconomicsReport.FromBreakdown"/> counts as sales.</summary>
public enum SalesBasis
{
    /// <summary>
    /// The leads won at the as-of time (<see cref="FunnelReport.Won"/>): the status after the last event. The rule of a
    /// CRM pipeline, where a deal moved back out of Won, or reopened and lost, did not close. The default.
    /// </summary>
    Won = 0,

    /// <summary>
    /// The leads won at some time (<see cref="FunnelReport.EverWon"/>), also when they were lost, reopened or moved
    /// back afterwards. The rule of event streams, where a purchase is a sale whatever the customer does next (browses
    /// on, churns from a post-purchase stage).
    /// </summary>
    EverWon = 1,
}
