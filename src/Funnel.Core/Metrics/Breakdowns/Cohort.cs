namespace Funnel.Core.Metrics;

/// <summary>The leads that entered the funnel in one period, with their report.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class Cohort
{
    internal Cohort(int index, DateTimeOffset start, DateTimeOffset end, string label, FunnelReport report)
    {
        Index = index;
        Start = start;
        End = end;
        Label = label;
        Report = report;
    }

    /// <summary>Gets the number of periods since the first cohort's period (0 for the first; gaps count).</summary>
    public int Index { get; }

    /// <summary>Gets the start of the period (inclusive, UTC).</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Gets the end of the period (exclusive, UTC).</summary>
    public DateTimeOffset End { get; }

    /// <summary>Gets the period's label: <c>2026-01-05</c>, <c>2026-W02</c> or <c>2026-01</c>.</summary>
    public string Label { get; }

    /// <summary>Gets the cohort's report (computed as of the same time as the total).</summary>
    public FunnelReport Report { get; }

    /// <summary>Gets the cohort's overall conversion (won out of its leads).</summary>
    public Proportion Conversion => Report.OverallConversion;

    /// <summary>Returns the label and conversion.</summary>
    /// <returns>A text such as <c>2026-W02: 3/10 = 30.0% [...]</c>.</returns>
    public override string ToString() => $"{Label}: {Conversion}";
}
