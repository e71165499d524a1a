namespace Funnel.Core.Metrics;

/// <summary>
/// The money side of one traffic source: what its leads cost (per lead, or as a total spend) and what a won deal
/// brings (revenue and margin). All amounts are <see cref="decimal"/> in one currency.
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class SourceCosts
{
    private SourceCosts(decimal? costPerLead, decimal? totalSpend, decimal revenuePerSale, decimal marginPerSale)
    {
        if (costPerLead < 0 || totalSpend < 0)
        {
            throw new ArgumentOutOfRangeException(costPerLead < 0 ? nameof(costPerLead) : nameof(totalSpend), "Costs must not be negative.");
        }

        if (revenuePerSale < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(revenuePerSale), revenuePerSale, "The revenue per sale must not be negative.");
        }

        if (marginPerSale > revenuePerSale)
        {
            throw new ArgumentOutOfRangeException(nameof(marginPerSale), marginPerSale, $"The margin per sale ({marginPerSale}) exceeds the revenue per sale ({revenuePerSale}).");
        }

        CostPerLead = costPerLead;
        TotalSpend = totalSpend;
        RevenuePerSale = revenuePerSale;
        MarginPerSale = marginPerSale;
    }

    /// <summary>Gets the cost of one lead, or <see langword="null"/> when the source is priced by <see cref="TotalSpend"/>.</summary>
    public decimal? CostPerLead { get; }

    /// <summary>Gets the total spend on the source, or <see langword="null"/> when it is priced by <see cref="CostPerLead"/>.</summary>
    public decimal? TotalSpend { get; }

    /// <summary>Gets the revenue of one won deal.</summary>
    public decimal RevenuePerSale { get; }

    /// <summary>Gets the margin of one won deal (revenue minus the cost of delivering it; may be negative), before lead costs.</summary>
    public decimal MarginPerSale { get; }

    /// <summary>Prices a source by the cost of each lead.</summary>
    /// <param name="costPerLead">The cost of one lead; not negative.</param>
    /// <param name="revenuePerSale">The revenue of a won deal; not negative.</param>
    /// <param name="marginPerSale">The margin of a won deal; at most the revenue.</param>
    /// <returns>The costs.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An amount is negative, or the margin exceeds the revenue.</exception>
    public static SourceCosts PerLead(decimal costPerLead, decimal revenuePerSale, decimal marginPerSale) =>
        new(costPerLead, null, revenuePerSale, marginPerSale);

    /// <summary>Prices a source by its total spend (the cost per lead follows from the number of leads).</summary>
    /// <param name="totalSpend">The total spend; not negative.</param>
    /// <param name="revenuePerSale">The revenue of a won deal; not negative.</param>
    /// <param name="marginPerSale">The margin of a won deal; at most the revenue.</param>
    /// <returns>The costs.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An amount is negative, or the margin exceeds the revenue.</exception>
    public static SourceCosts Spend(decimal totalSpend, decimal revenuePerSale, decimal marginPerSale) =>
        new(null, totalSpend, revenuePerSale, marginPerSale);

    internal decimal SpendFor(long leads) => TotalSpend ?? (CostPerLead!.Value * leads);
}
