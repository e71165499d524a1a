namespace Funnel.Core.Metrics;

/// <summary>What one source delivered: leads and won deals (sales), with its costs. The input of <see cref="EconomicsReport"/>.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class SourceOutcome
{
    /// <summary>Creates an outcome.</summary>
    /// <param name="source">The source's name; not blank.</param>
    /// <param name="leads">The number of leads; not negative.</param>
    /// <param name="sales">The number of won deals; 0 ≤ sales ≤ leads.</param>
    /// <param name="costs">The source's costs.</param>
    /// <exception cref="ArgumentException"><paramref name="source"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="costs"/> is <see langword="null"/>.</exception>
    /// <param name="openLeads">The leads whose outcome is not known at the as-of time (still open, silent or not): they cost but are not sales; 0 when omitted; sales + open ≤ leads.</param>
    /// <param name="silentLeads">Of the open leads, those that went silent (<see cref="StageMetrics.Dropped"/>); 0 ≤ silent ≤ open.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, the sales exceed the leads, sales and open leads exceed the leads, or the silent leads exceed the open ones.</exception>
    public SourceOutcome(string source, long leads, long sales, SourceCosts costs, long openLeads = 0, long silentLeads = 0)
    {
        Guard.Against.NullOrBlank(source);
        Guard.Against.Null(costs);
        Statistics.CheckProportion(sales, leads);
        Guard.Against.NegativeNumber(openLeads);
        Guard.Against.GreaterThan(openLeads, leads - sales);
        Guard.Against.NegativeNumber(silentLeads);
        Guard.Against.GreaterThan(silentLeads, openLeads);
        Source = source;
        Leads = leads;
        Sales = sales;
        Costs = costs;
        OpenLeads = openLeads;
        SilentLeads = silentLeads;
    }

    /// <summary>Gets the source's name.</summary>
    public string Source { get; }

    /// <summary>Gets the number of leads.</summary>
    public long Leads { get; }

    /// <summary>Gets the number of won deals.</summary>
    public long Sales { get; }

    /// <summary>Gets the leads whose outcome is unknown at the as-of time (open, silent or not): counted as leads (their cost), not as sales.</summary>
    public long OpenLeads { get; }

    /// <summary>Gets the open leads that went silent.</summary>
    public long SilentLeads { get; }

    /// <summary>Gets the source's costs.</summary>
    public SourceCosts Costs { get; }
}
