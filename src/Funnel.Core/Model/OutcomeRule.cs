namespace Funnel.Core;

/// <summary>
/// What "won" means for a funnel's metrics: the status after a lead's last event (a CRM pipeline, where a deal moved
/// back out of won is reopened), or won for good once the goal is reached (an event stream, where a shopper who bought
/// and browsed on afterwards still bought). Set on the definition with <see cref="FunnelDefinitionBuilder.WithOutcome"/>.
/// </summary>
/// <remarks>
/// Every metrics path (<c>FunnelReport</c>, breakdowns, cohorts, the Markov forecast, economics) uses the definition's
/// rule. The bulk engine and the SQL push-downs judge outcomes by the last event only and refuse
/// <see cref="Reached"/> with an error that names the option. docs/metrics.md shows each rule on three leads.
/// </remarks>
public enum OutcomeRule
{
    /// <summary>
    /// The default: a lead is won, lost or open as its last event (or status change) left it. A lead that reached the
    /// goal and was lost or moved back before the goal afterwards is not won. JSON <c>"last-status"</c>.
    /// </summary>
    LastStatus = 0,

    /// <summary>
    /// A lead is won from the moment it reaches the goal stage (or is marked won), whatever happens afterwards: later
    /// losses, reopenings and moves back do not undo the win. JSON <c>"reached"</c>.
    /// </summary>
    Reached = 1,
}
