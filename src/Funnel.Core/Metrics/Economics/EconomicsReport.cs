using System.Collections.Immutable;

namespace Funnel.Core.Metrics;

/// <summary>
/// The economics per source and overall: cost per acquisition, profit, ROMI, break-even conversion, and a verdict when a
/// source works at a loss.
/// </summary>
/// <remarks>
/// <para>Worked example: a service sold at 1000 with a margin of 300, with leads at 200 each, breaks even at a
/// lead-to-sale conversion of 200 / 300 = 2/3; at 50% it loses 50 per lead.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
/// <example>
/// <code>
/// var costs = new Dictionary&lt;string, SourceCosts&gt; { ["ads"] = SourceCosts.PerLead(200m, 1000m, 300m) };
/// var economics = EconomicsReport.FromBreakdown(SegmentBreakdown.Compute(definition, journeys, SegmentKey.Attribute("source")), costs);
/// foreach (var s in economics.Sources.Where(s => s.Verdict == EconomicsVerdict.LossMaking)) { ... }
/// </code>
/// </example>
public sealed class EconomicsReport
{
    /// <summary>The <see cref="SourceEconomics.Source"/> of <see cref="Overall"/>.</summary>
    public const string OverallLabel = "(overall)";

    private EconomicsReport(ImmutableArray<SourceEconomics> sources, SourceEconomics overall)
    {
        Sources = sources;
        Overall = overall;
    }

    /// <summary>Gets the economics of every source, in input order.</summary>
    public ImmutableArray<SourceEconomics> Sources { get; }

    /// <summary>Gets the economics of all sources together.</summary>
    public SourceEconomics Overall { get; }

    /// <summary>Gets one source.</summary>
    /// <param name="source">The source's name.</param>
    /// <returns>The source's economics.</returns>
    /// <exception cref="KeyNotFoundException">No source has that name.</exception>
    public SourceEconomics this[string source] =>
        Sources.FirstOrDefault(s => string.Equals(s.Source, source, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"No source '{source}' in the economics report.");

    /// <summary>Computes the economics of given outcomes.</summary>
    /// <param name="outcomes">Leads, sales and costs per source; each source once.</param>
    /// <param name="confidenceLevel">The level of the conversion intervals; 0.95 when omitted.</param>
    /// <param name="minimumSample">The leads below which a conversion is flagged as a small sample; 30 when omitted.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="outcomes"/> or an element is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A source occurs twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside (0, 1) or the minimum is negative.</exception>
    public static EconomicsReport Compute(IEnumerable<SourceOutcome> outcomes, double confidenceLevel = 0.95, int minimumSample = 30)
    {
        Guard.Against.Null(outcomes);
        var list = outcomes.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var outcome in list)
        {
            Guard.Against.Null(outcome, nameof(outcomes));
            if (!names.Add(outcome.Source))
            {
                throw new ArgumentException($"Source '{outcome.Source}' occurs twice.", nameof(outcomes));
            }
        }

        var sources = list.Select(o =>
        {
            var spend = o.Costs.SpendFor(o.Leads);
            var potential = o.Leads * o.Costs.MarginPerSale;
            return new SourceEconomics(
                o.Source,
                o.Leads,
                o.Sales,
                spend,
                o.Sales * o.Costs.RevenuePerSale,
                o.Sales * o.Costs.MarginPerSale,
                BreakEven(spend, potential, o.Costs.CostPerLead, o.Costs.MarginPerSale),
                new Proportion(o.Sales, o.Leads, confidenceLevel, minimumSample),
                o.OpenLeads,
                o.SilentLeads);
        }).ToImmutableArray();

        var leads = sources.Sum(s => s.Leads);
        var sales = sources.Sum(s => s.Sales);
        var totalSpend = sources.Sum(s => s.Spend);
        var totalPotential = list.Sum(o => o.Leads * o.Costs.MarginPerSale);
        var overall = new SourceEconomics(
            OverallLabel,
            leads,
            sales,
            totalSpend,
            sources.Sum(s => s.Revenue),
            sources.Sum(s => s.Margin),
            BreakEven(totalSpend, totalPotential, null, 0),
            new Proportion(sales, leads, confidenceLevel, minimumSample),
            sources.Sum(s => s.OpenLeads),
            sources.Sum(s => s.SilentLeads));
        return new EconomicsReport(sources, overall);
    }

    /// <summary>
    /// Computes the economics of a segment breakdown: each segment is a source, its leads and sales taken from its
    /// report (<see cref="FunnelReport.Leads"/>, and <see cref="FunnelReport.Won"/> or <see cref="FunnelReport.EverWon"/>
    /// as <paramref name="sales"/> says).
    /// </summary>
    /// <remarks>
    /// A lead that reached the goal and was lost or moved back afterwards is a sale under <see cref="SalesBasis.EverWon"/>
    /// and none under <see cref="SalesBasis.Won"/> unless the definition's <see cref="FunnelDefinition.Outcome"/> is
    /// <see cref="OutcomeRule.Reached"/> (docs/concepts.md, "Outcome"). Every lead counts for the spend; the open leads
    /// (silent or not, <see cref="SourceEconomics.OpenLeads"/>) count as leads without a sale.
    /// </remarks>
    /// <param name="breakdown">The breakdown by source.</param>
    /// <param name="costs">The costs per segment name; the bucket of small segments is looked up as <see cref="SegmentBreakdown.OtherLabel"/>.</param>
    /// <param name="defaultCosts">The costs of segments missing from <paramref name="costs"/>, or <see langword="null"/> to require every segment.</param>
    /// <param name="sales">Which leads are sales: won at the as-of time (the default) or won at some time.</param>
    /// <returns>The report, with the query's confidence level and minimum sample.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="breakdown"/> or <paramref name="costs"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sales"/> is not a defined value.</exception>
    /// <exception cref="KeyNotFoundException">A segment has no costs and no default is given.</exception>
    public static EconomicsReport FromBreakdown(SegmentBreakdown breakdown, IReadOnlyDictionary<string, SourceCosts> costs, SourceCosts? defaultCosts = null, SalesBasis sales = SalesBasis.Won)
    {
        Guard.Against.Null(breakdown);
        Guard.Against.Null(costs);
        Guard.Against.UndefinedEnum(sales, "Use SalesBasis.Won or SalesBasis.EverWon.");

        var outcomes = breakdown.Segments.Select(s =>
        {
            var sourceCosts = costs.TryGetValue(s.Name, out var c) ? c
                : defaultCosts ?? throw new KeyNotFoundException($"No costs for segment '{s.Name}' and no default costs.");
            var sold = sales == SalesBasis.EverWon ? s.Report.EverWon : s.Report.Won;
            var open = Math.Min(s.Report.Open, s.Report.Leads - sold);
            var silent = Math.Min(s.Report.Stages.Sum(m => m.Dropped), open);
            return new SourceOutcome(s.Name, s.Report.Leads, sold, sourceCosts, open, silent);
        });
        var query = breakdown.Total.Query;
        return Compute(outcomes, query.ConfidenceLevel, query.MinimumSample);
    }

    private static decimal? BreakEven(decimal spend, decimal potentialMargin, decimal? costPerLead, decimal marginPerSale)
    {
        if (costPerLead is { } cpl)
        {
            return cpl == 0 ? 0 : marginPerSale > 0 ? cpl / marginPerSale : null;
        }

        if (spend == 0)
        {
            return 0;
        }

        return potentialMargin > 0 ? spend / potentialMargin : null;
    }
}
