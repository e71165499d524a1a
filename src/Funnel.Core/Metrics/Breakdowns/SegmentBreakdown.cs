using System.Collections.Immutable;

namespace Funnel.Core.Metrics;

/// <summary>
/// The same <see cref="FunnelReport"/> per segment (traffic source, channel, owner, any attribute), with the small
/// segments merged into <see cref="OtherLabel"/>, the total, and significance tests between the segments.
/// </summary>
/// <remarks>
/// <para>Every segment report uses the total's as-of time and date range, so segment numbers add up to the total's
/// (leads, won, lost, open, reached, transitions, losses, stays).</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
/// <example>
/// <code>
/// var bySource = SegmentBreakdown.Compute(definition, journeys, SegmentKey.Attribute("source"), minimumLeads: 30);
/// var test = bySource.CompareOverallConversion();   // chi-square over all segments
/// if (test.IsSignificant()) { ... }
/// </code>
/// </example>
public sealed class SegmentBreakdown
{
    /// <summary>The name of the segment of leads without a value.</summary>
    public const string NoneLabel = "(none)";

    /// <summary>The name of the bucket that collects segments with fewer leads than the minimum.</summary>
    public const string OtherLabel = "(other)";

    private SegmentBreakdown(SegmentKey key, int minimumLeads, FunnelReport total, ImmutableArray<SegmentReport> segments)
    {
        Key = key;
        MinimumLeads = minimumLeads;
        Total = total;
        Segments = segments;
    }

    /// <summary>Gets the key the leads were split by.</summary>
    public SegmentKey Key { get; }

    /// <summary>Gets the number of leads a segment needs to be shown on its own; smaller ones go to <see cref="OtherLabel"/>.</summary>
    public int MinimumLeads { get; }

    /// <summary>Gets the names of the segments merged into <see cref="OtherLabel"/> because they had fewer than <see cref="MinimumLeads"/> leads, in ordinal order; empty when none was.</summary>
    public ImmutableArray<string> MergedSegments => Segments.FirstOrDefault(s => s.IsOther)?.Members ?? [];

    /// <summary>Gets the report over all leads.</summary>
    public FunnelReport Total { get; }

    /// <summary>Gets the segments, largest first (ties by name, ordinal), with <see cref="OtherLabel"/> last when present.</summary>
    public ImmutableArray<SegmentReport> Segments { get; }

    /// <summary>Gets one segment by name.</summary>
    /// <param name="name">The segment name (a value, <see cref="NoneLabel"/> or <see cref="OtherLabel"/>).</param>
    /// <returns>The segment.</returns>
    /// <exception cref="KeyNotFoundException">No segment has that name (it may have been merged into <see cref="OtherLabel"/>).</exception>
    public SegmentReport this[string name] =>
        Segments.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"No segment '{name}' in the breakdown by '{Key}'; segments with fewer than {MinimumLeads} leads are in '{OtherLabel}'.");

    /// <summary>Splits journeys by a segment key and computes a report per segment.</summary>
    /// <param name="definition">The funnel definition.</param>
    /// <param name="journeys">The journeys.</param>
    /// <param name="key">The segment key.</param>
    /// <param name="query">The semantics; <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <param name="minimumLeads">Segments with fewer leads are merged into <see cref="OtherLabel"/>; 0 (the default) keeps all.</param>
    /// <returns>The breakdown.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumLeads"/> is negative.</exception>
    /// <exception cref="MetricsInputException">See <see cref="FunnelReport.Compute(FunnelDefinition, IEnumerable{Journey}, FunnelQuery?)"/>; also when a lead's value is <see cref="NoneLabel"/> or <see cref="OtherLabel"/>.</exception>
    public static SegmentBreakdown Compute(FunnelDefinition definition, IEnumerable<Journey> journeys, SegmentKey key, FunnelQuery? query = null, int minimumLeads = 0)
    {
        Guard.Against.Null(key);
        Guard.Against.NegativeNumber(minimumLeads);
        return FromTracks(definition, LeadTracks.FromJourneys(definition, journeys), key, query ?? FunnelQuery.Default, minimumLeads);
    }

    /// <summary>Splits an event log's entities by a segment key and computes a report per segment.</summary>
    /// <param name="definition">The funnel definition.</param>
    /// <param name="events">The events.</param>
    /// <param name="key">The segment key; usually <see cref="SegmentKey.EventSegment"/>.</param>
    /// <param name="query">The semantics; <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <param name="minimumLeads">Segments with fewer leads are merged into <see cref="OtherLabel"/>; 0 (the default) keeps all.</param>
    /// <returns>The breakdown.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumLeads"/> is negative.</exception>
    /// <exception cref="MetricsInputException">See <see cref="FunnelReport.Compute(FunnelDefinition, IEnumerable{FunnelEvent}, FunnelQuery?)"/>; also when a lead's value is <see cref="NoneLabel"/> or <see cref="OtherLabel"/>.</exception>
    public static SegmentBreakdown Compute(FunnelDefinition definition, IEnumerable<FunnelEvent> events, SegmentKey key, FunnelQuery? query = null, int minimumLeads = 0)
    {
        Guard.Against.Null(key);
        Guard.Against.NegativeNumber(minimumLeads);
        return FromTracks(definition, LeadTracks.FromEvents(definition, events), key, query ?? FunnelQuery.Default, minimumLeads);
    }

    /// <summary>
    /// Tests whether the overall conversion (won out of leads) differs between the segments, over all segments with
    /// <see cref="Statistics.HomogeneityTest"/>: Pearson's chi-square test where Cochran's rule allows it (at least 80%
    /// of the expected counts 5 or more, none below 1), otherwise Fisher's exact test for two segments and a Monte-Carlo
    /// permutation test (seed <see cref="Statistics.DefaultSeed"/>) for more, flagged <see cref="TestResult.IsSmallSample"/>.
    /// Merging small segments (<see cref="MinimumLeads"/>) keeps the chi-square test usable.
    /// </summary>
    /// <returns>The test result; statistic 0 and p-value 1 when fewer than two segments have leads.</returns>
    public TestResult CompareOverallConversion() =>
        Homogeneity(Segments.Select(s => s.Report.OverallConversion));

    /// <summary>Tests whether the conversion into a stage from the previous stage differs between the segments (as <see cref="CompareOverallConversion"/>: chi-square, or an exact or permutation test for small samples).</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>The test result; statistic 0 and p-value 1 when fewer than two segments have trials.</returns>
    /// <exception cref="ArgumentException">The definition has no such stage.</exception>
    public TestResult CompareConversion(StageKey stage)
    {
        var order = Total.Definition.GetStage(stage).Order;
        return Homogeneity(Segments.Select(s => s.Report.Stages[order].ConversionFromPrevious));
    }

    /// <summary>Compares the overall conversion of two segments (<see cref="Statistics.CompareProportions"/>: the two-proportion z-test, or Fisher's exact p-value for small samples).</summary>
    /// <param name="first">The first segment's name.</param>
    /// <param name="second">The second segment's name.</param>
    /// <returns>z (positive when the first converts better) and the two-sided p-value.</returns>
    /// <exception cref="KeyNotFoundException">A segment is not in the breakdown.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A segment has no leads.</exception>
    public TestResult Compare(string first, string second)
    {
        var a = this[first].Report.OverallConversion;
        var b = this[second].Report.OverallConversion;
        return Statistics.CompareProportions(a.Successes, a.Trials, b.Successes, b.Trials);
    }

    private static TestResult Homogeneity(IEnumerable<Proportion> proportions)
    {
        var withData = proportions.Where(p => p.Trials > 0).ToArray();
        return withData.Length < 2
            ? new TestResult(0, 0, 1)
            : Statistics.HomogeneityTest([.. withData.Select(p => p.Successes)], [.. withData.Select(p => p.Trials)]);
    }

    internal static string LabelOf(SegmentKey key, LeadTrack track)
    {
        var value = key.ValueOf(track);
        if (value is NoneLabel or OtherLabel)
        {
            throw new MetricsInputException(
                $"Lead '{track.Id}' has the {key} value '{value}', which is reserved for the breakdown's own buckets.", track.Id, -1);
        }

        return value ?? NoneLabel;
    }

    /// <summary>Builds the breakdown from the accumulated numbers of every lead and of each segment (by label).</summary>
    internal static SegmentBreakdown FromAccumulators(SegmentKey key, int minimumLeads, ReportAccumulator total, Dictionary<string, ReportAccumulator> groups)
    {
        var kept = groups.Where(g => g.Value.Leads >= minimumLeads || g.Key == NoneLabel).ToList();
        var small = groups.Where(g => g.Value.Leads < minimumLeads && g.Key != NoneLabel).ToList();
        var segments = kept
            .OrderByDescending(g => g.Value.Leads)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SegmentReport(g.Key, false, [g.Key], g.Value.ToReport()))
            .ToList();
        if (small.Count > 0)
        {
            var members = small.Select(g => g.Key).Order(StringComparer.Ordinal).ToImmutableArray();
            var other = small[0].Value;
            foreach (var g in small.Skip(1))
            {
                other.Merge(g.Value);
            }

            segments.Add(new SegmentReport(OtherLabel, true, members, other.ToReport()));
        }

        return new SegmentBreakdown(key, minimumLeads, total.ToReport(), [.. segments]);
    }

    private static SegmentBreakdown FromTracks(FunnelDefinition definition, List<LeadTrack> tracks, SegmentKey key, FunnelQuery query, int minimumLeads)
    {
        var (prepared, asOf) = LeadTracks.Prepare(tracks, query);
        ReportAccumulator Create() => new(definition, query, asOf);
        var total = Create();
        var groups = new Dictionary<string, ReportAccumulator>(StringComparer.Ordinal);
        foreach (var track in prepared)
        {
            ReportAccumulator.AddGrouped(track, LabelOf(key, track), total, groups, Create);
        }

        return FromAccumulators(key, minimumLeads, total, groups);
    }
}
