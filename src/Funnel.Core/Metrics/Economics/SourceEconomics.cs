namespace Funnel.Core.Metrics;

/// <summary>
/// The economics of one source (or of all sources together): spend, revenue, margin, cost per acquisition, profit,
/// ROMI, the break-even conversion and a verdict.
/// </summary>
/// <remarks>
/// <para>Formulas (amounts in <see cref="decimal"/>): spend = cost per lead × leads, or the given total; revenue =
/// sales × revenue per sale; margin = sales × margin per sale; profit = margin − spend; CPA = spend / sales;
/// ROMI = (margin − spend) / spend; break-even conversion = spend / (leads × margin per sale), which for a price per
/// lead is cost per lead / margin per sale.</para>
/// <para>Which leads count: every lead in scope counts for the spend (and the cost per lead), whatever its outcome;
/// sales are the leads won by the as-of time under the definition's <see cref="FunnelDefinition.Outcome"/> (or ever won,
/// <see cref="SalesBasis.EverWon"/>). Leads whose outcome is unknown — still open or gone silent
/// (<see cref="OpenLeads"/>, <see cref="SilentLeads"/>) — are counted as leads without a sale, so CPA and ROMI are
/// the outcome so far: a silent lead that buys later would lower the CPA and raise the ROMI.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class SourceEconomics
{
    internal SourceEconomics(
        string source,
        long leads,
        long sales,
        decimal spend,
        decimal revenue,
        decimal margin,
        decimal? breakEvenConversion,
        Proportion conversion,
        long openLeads = 0,
        long silentLeads = 0)
    {
        OpenLeads = openLeads;
        SilentLeads = silentLeads;
        Source = source;
        Leads = leads;
        Sales = sales;
        Spend = spend;
        Revenue = revenue;
        Margin = margin;
        BreakEvenConversion = breakEvenConversion;
        Conversion = conversion;
        Verdict = leads == 0 && spend == 0 ? EconomicsVerdict.NoData
            : breakEvenConversion is null || breakEvenConversion > 1 ? EconomicsVerdict.CannotBreakEven
            : Profit > 0 ? EconomicsVerdict.Profitable
            : Profit == 0 ? EconomicsVerdict.BreakEven
            : EconomicsVerdict.LossMaking;
    }

    /// <summary>Gets the source's name (or <see cref="EconomicsReport.OverallLabel"/>).</summary>
    public string Source { get; }

    /// <summary>Gets the number of leads.</summary>
    public long Leads { get; }

    /// <summary>Gets the number of won deals.</summary>
    public long Sales { get; }

    /// <summary>Gets the leads whose outcome is unknown at the as-of time (open, silent or not): in <see cref="Leads"/> and the spend, not in <see cref="Sales"/>.</summary>
    public long OpenLeads { get; }

    /// <summary>Gets the open leads that went silent (no event for longer than the query's <see cref="FunnelQuery.SilentAfter"/>).</summary>
    public long SilentLeads { get; }

    /// <summary>Gets the spend on the leads.</summary>
    public decimal Spend { get; }

    /// <summary>Gets the cost of one lead (spend / leads), or <see langword="null"/> without leads.</summary>
    public decimal? CostPerLead => Leads == 0 ? null : Spend / Leads;

    /// <summary>Gets the revenue of the won deals.</summary>
    public decimal Revenue { get; }

    /// <summary>Gets the margin of the won deals, before lead costs.</summary>
    public decimal Margin { get; }

    /// <summary>Gets the profit: margin − spend.</summary>
    public decimal Profit => Margin - Spend;

    /// <summary>Gets the cost per acquisition (spend / sales), or <see langword="null"/> without sales.</summary>
    public decimal? CostPerAcquisition => Sales == 0 ? null : Spend / Sales;

    /// <summary>Gets the return on marketing investment, (margin − spend) / spend, or <see langword="null"/> without spend.</summary>
    public decimal? Romi => Spend == 0 ? null : Profit / Spend;

    /// <summary>
    /// Gets the lead-to-sale conversion at which the margin pays for the spend: spend / (leads × margin per sale); for a
    /// price per lead, cost per lead / margin per sale. 0 when nothing is spent; <see langword="null"/> when a positive
    /// spend meets no positive margin (it can never break even). May exceed 1 (it cannot break even either).
    /// </summary>
    public decimal? BreakEvenConversion { get; }

    /// <summary>Gets the observed lead-to-sale conversion with its Wilson interval.</summary>
    public Proportion Conversion { get; }

    /// <summary>Gets the verdict.</summary>
    public EconomicsVerdict Verdict { get; }

    /// <summary>
    /// Gets a value indicating whether the verdict is statistically clear: the break-even conversion lies outside the
    /// Wilson interval of the observed conversion (so the source is clearly above or clearly below break-even).
    /// </summary>
    public bool IsConclusive =>
        Conversion.HasData && BreakEvenConversion is { } b && ((double)b < Conversion.Interval.Lower || (double)b > Conversion.Interval.Upper);

    /// <summary>Returns the source, profit and verdict.</summary>
    /// <returns>A text such as <c>ads: profit -500 (LossMaking)</c>.</returns>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Source}: profit {Profit} ({Verdict})");
}
