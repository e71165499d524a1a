namespace Funnel.Core.Metrics;

/// <summary>Computes a <see cref="FunnelReport"/> from prepared tracks (already cut at the as-of time and filtered by entry date).</summary>
internal static class ReportCalculator
{
    public static FunnelReport Compute(FunnelDefinition definition, FunnelQuery query, IEnumerable<LeadTrack> tracks, DateTimeOffset? asOf)
    {
        var accumulator = new ReportAccumulator(definition, query, asOf);
        foreach (var track in tracks)
        {
            accumulator.Add(track);
        }

        return accumulator.ToReport();
    }
}
