namespace Funnel.Core.Metrics;

/// <summary>
/// What splits leads into segments for a <see cref="SegmentBreakdown"/>: the segment column of an event log (traffic
/// source, channel), or a journey attribute (owner, source, any other).
/// </summary>
/// <remarks>
/// <para>Leads without a value fall into the <see cref="SegmentBreakdown.NoneLabel"/> segment. Journeys have no event segment,
/// and event-log entities have no attributes.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class SegmentKey
{
    private SegmentKey(string name, string? attribute)
    {
        Name = name;
        AttributeName = attribute;
    }

    /// <summary>Gets the event log's segment: for each entity, the first non-null <see cref="FunnelEvent.Segment"/> in log order.</summary>
    public static SegmentKey EventSegment { get; } = new("segment", null);

    /// <summary>
    /// Gets a key that reads the event log's segment, like <see cref="EventSegment"/>, under the name of the column it
    /// came from (such as <c>source</c> or <c>channel</c>), so that reports say "by source" instead of "by segment".
    /// </summary>
    /// <param name="name">The name shown for the segment column; not blank.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank.</exception>
    public static SegmentKey EventSegmentNamed(string name)
    {
        Guard.Against.NullOrBlank(name);
        return new SegmentKey(name, null);
    }

    /// <summary>Gets the journey attribute <c>owner</c> (the manager responsible for the lead).</summary>
    public static SegmentKey Owner { get; } = new("owner", "owner");

    /// <summary>Gets the name of the key (the attribute name; for the event segment <c>segment</c> or the name given to <see cref="EventSegmentNamed(string)"/>).</summary>
    public string Name { get; }

    /// <summary>Gets the journey attribute read, or <see langword="null"/> for the event segment.</summary>
    public string? AttributeName { get; }

    /// <summary>Gets a key that reads a journey attribute.</summary>
    /// <param name="name">The attribute name; not blank.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank.</exception>
    public static SegmentKey Attribute(string name)
    {
        Guard.Against.NullOrBlank(name);
        return new SegmentKey(name, name);
    }

    /// <summary>Returns the key's name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;

    internal string? ValueOf(LeadTrack track) =>
        AttributeName is null ? track.Segment : track.Attributes.TryGetValue(AttributeName, out var value) ? value : null;
}
