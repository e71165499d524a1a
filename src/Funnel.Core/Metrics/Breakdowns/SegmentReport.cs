using System.Collections.Immutable;

namespace Funnel.Core.Metrics;

/// <summary>The report of one segment in a <see cref="SegmentBreakdown"/>.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class SegmentReport
{
    internal SegmentReport(string name, bool isOther, ImmutableArray<string> members, FunnelReport report)
    {
        Name = name;
        IsOther = isOther;
        Members = members;
        Report = report;
    }

    /// <summary>Gets the segment's name: its value, <see cref="SegmentBreakdown.NoneLabel"/> or <see cref="SegmentBreakdown.OtherLabel"/>.</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether this is the bucket of small segments.</summary>
    public bool IsOther { get; }

    /// <summary>Gets the segment values in this segment: one for a plain segment, every merged one for the other bucket.</summary>
    public ImmutableArray<string> Members { get; }

    /// <summary>Gets the segment's report (computed as of the same time as the total).</summary>
    public FunnelReport Report { get; }

    /// <summary>Returns the name and the number of leads.</summary>
    /// <returns>A text such as <c>google: 40 leads</c>.</returns>
    public override string ToString() => $"{Name}: {Report.Leads} leads";
}
