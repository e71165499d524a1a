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
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or the sales exceed the leads.</exception>
    public SourceOutcome(string source, long leads, long sales, SourceCosts costs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentNullException.ThrowIfNull(costs);
        Statistics.CheckProportion(sales, leads);
        Source = source;
        Leads = leads;
        Sales = sales;
        Costs = costs;
    }

    /// <summary>Gets the source's name.</summary>
    public string Source { get; }

    /// <summary>Gets the number of leads.</summary>
    public long Leads { get; }

    /// <summary>Gets the number of won deals.</summary>
    public long Sales { get; }

    /// <summary>Gets the source's costs.</summary>
    public SourceCosts Costs { get; }
}
