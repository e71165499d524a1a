using Funnel.Core.Metrics;

namespace Funnel.Samples.MarketingJourney;

/// <summary>Turns a source's economics into one plain sentence a marketing team can act on.</summary>
internal static class Verdicts
{
    public static string Describe(SourceEconomics s)
    {
        var perLead = s.Leads == 0 ? 0m : s.Profit / s.Leads;
        var evidence = $"converts {Text.Rate(s.Conversion)}";
        if (s.BreakEvenConversion is { } b)
        {
            // Conclusive: the break-even point lies outside the Wilson interval, so the verdict is not noise.
            var certainty = !s.IsConclusive ? "not conclusive yet, the interval holds the break-even point"
                : (double)b > s.Conversion.Interval.Upper ? "clearly below it" : "clearly above it";
            evidence = $"needs {Text.Percent((double)b)} to break even, {evidence}: {certainty}";
        }

        return s.Verdict switch
        {
            EconomicsVerdict.LossMaking => $"{s.Source}: loses {Text.Money(-perLead)} per lead — stop or fix ({evidence})",
            EconomicsVerdict.CannotBreakEven => $"{s.Source}: cannot break even even if every lead bought — stop",
            EconomicsVerdict.Profitable => $"{s.Source}: earns {Text.Money(perLead)} per lead — keep ({evidence})",
            EconomicsVerdict.BreakEven => $"{s.Source}: breaks exactly even — watch it ({evidence})",
            _ => $"{s.Source}: no leads and no spend — nothing to judge",
        };
    }
}
