using System.Collections.Immutable;

namespace Funnel.Core.Metrics;

/// <summary>
/// The manager view: per owner, the leads handled, won, lost by reason, the open load at the as-of time and the
/// median time to first move (response time).
/// </summary>
/// <remarks>
/// <para>The owner is a journey attribute (<c>owner</c> unless another key is given) or, for an event log, the event
/// segment. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class ManagerView
{
    private ManagerView(SegmentKey key, DateTimeOffset? asOf, ImmutableArray<ManagerMetrics> managers)
    {
        Key = key;
        AsOf = asOf;
        Managers = managers;
    }

    /// <summary>Gets the key that names the owner.</summary>
    public SegmentKey Key { get; }

    /// <summary>Gets the as-of time used for open load and statuses.</summary>
    public DateTimeOffset? AsOf { get; }

    /// <summary>Gets every owner, by owner name (ordinal).</summary>
    public ImmutableArray<ManagerMetrics> Managers { get; }

    /// <summary>Computes the manager view from journeys.</summary>
    /// <param name="definition">The funnel definition.</param>
    /// <param name="journeys">The journeys.</param>
    /// <param name="query">The scope (date range, as-of); <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <param name="owner">The key naming the owner; <see cref="SegmentKey.Owner"/> when <see langword="null"/>.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="journeys"/> is <see langword="null"/>.</exception>
    /// <exception cref="MetricsInputException">See <see cref="FunnelReport.Compute(FunnelDefinition, IEnumerable{Journey}, FunnelQuery?)"/>.</exception>
    public static ManagerView Compute(FunnelDefinition definition, IEnumerable<Journey> journeys, FunnelQuery? query = null, SegmentKey? owner = null) =>
        FromTracks(definition, LeadTracks.FromJourneys(definition, journeys), query ?? FunnelQuery.Default, owner ?? SegmentKey.Owner);

    /// <summary>Computes the manager view from an event log, the owner being the event segment.</summary>
    /// <param name="definition">The funnel definition.</param>
    /// <param name="events">The events.</param>
    /// <param name="query">The scope (date range, as-of); <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="events"/> is <see langword="null"/>.</exception>
    /// <exception cref="MetricsInputException">See <see cref="FunnelReport.Compute(FunnelDefinition, IEnumerable{FunnelEvent}, FunnelQuery?)"/>.</exception>
    public static ManagerView Compute(FunnelDefinition definition, IEnumerable<FunnelEvent> events, FunnelQuery? query = null) =>
        FromTracks(definition, LeadTracks.FromEvents(definition, events), query ?? FunnelQuery.Default, SegmentKey.EventSegment);

    /// <summary>Gets one owner's numbers.</summary>
    /// <param name="owner">The owner's name.</param>
    /// <returns>The numbers.</returns>
    /// <exception cref="KeyNotFoundException">The owner handled no lead in scope.</exception>
    public ManagerMetrics this[string owner] =>
        Managers.FirstOrDefault(m => string.Equals(m.Owner, owner, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"Owner '{owner}' handled no lead in scope.");

    private static ManagerView FromTracks(FunnelDefinition definition, List<LeadTrack> tracks, FunnelQuery query, SegmentKey key)
    {
        var (prepared, asOf) = LeadTracks.Prepare(tracks, query);
        var managers = prepared
            .GroupBy(t => key.ValueOf(t) ?? SegmentBreakdown.NoneLabel, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var reasons = new long[definition.LossReasons.Length];
                long won = 0, open = 0;
                var firstMoves = new List<long>();
                foreach (var t in g)
                {
                    switch (t.Status)
                    {
                        case JourneyStatus.Won:
                            won++;
                            break;
                        case JourneyStatus.Lost:
                            reasons[t.FinalLossReason]++;
                            break;
                        default:
                            open++;
                            break;
                    }

                    if (t.Count > 1)
                    {
                        firstMoves.Add(t.Seconds[1] - t.Seconds[0]);
                    }
                }

                return new ManagerMetrics(g.Key, g.Count(), won, LossBreakdown.FromCounts(definition, reasons), open, DurationSummary.FromOwnedArray([.. firstMoves]));
            })
            .ToImmutableArray();
        return new ManagerView(key, asOf, managers);
    }
}
