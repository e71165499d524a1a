namespace Funnel.Core.Metrics;

/// <summary>One owner's (manager's) numbers in a <see cref="ManagerView"/>.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class ManagerMetrics
{
    internal ManagerMetrics(string owner, long handled, long won, LossBreakdown lost, long openNow, DurationSummary timeToFirstMove)
    {
        Owner = owner;
        Handled = handled;
        Won = won;
        LostByReason = lost;
        OpenNow = openNow;
        TimeToFirstMove = timeToFirstMove;
    }

    /// <summary>Gets the owner, or <see cref="SegmentBreakdown.NoneLabel"/> for leads without one.</summary>
    public string Owner { get; }

    /// <summary>Gets the leads the owner handled (in scope of the query).</summary>
    public long Handled { get; }

    /// <summary>Gets the owner's leads that are won at the as-of time.</summary>
    public long Won { get; }

    /// <summary>Gets the owner's leads that are lost at the as-of time.</summary>
    public long Lost => LostByReason.Total;

    /// <summary>Gets the owner's lost leads by their (final) loss reason.</summary>
    public LossBreakdown LostByReason { get; }

    /// <summary>Gets the owner's leads that are open at the as-of time (the current load).</summary>
    public long OpenNow { get; }

    /// <summary>Gets the time from a lead's first event to its next one ("response time"), over the owner's leads that moved at all.</summary>
    public DurationSummary TimeToFirstMove { get; }

    /// <summary>Gets the median response time, or <see langword="null"/> when no lead of the owner has moved.</summary>
    public TimeSpan? MedianTimeToFirstMove => TimeToFirstMove.Count == 0 ? null : TimeToFirstMove.Median;

    /// <summary>Returns the owner and main numbers.</summary>
    /// <returns>A text such as <c>anna: handled 20, won 5, lost 7, open 8</c>.</returns>
    public override string ToString() => $"{Owner}: handled {Handled}, won {Won}, lost {Lost}, open {OpenNow}";
}
