using System.Collections.Immutable;

namespace Funnel.Core.Metrics;

/// <summary>
/// The conversion report of a funnel: per stage, how many leads reached it, converted to the next stage, dropped
/// (went silent), were lost (by reason) or are still open there, with conversion rates (Wilson intervals) and time in
/// stage; in total, won, lost, open, overall conversion, win rate and cycle time to won; and the raw transition and
/// loss matrices. Computed from journeys or from an event log under the semantics of a <see cref="FunnelQuery"/>.
/// </summary>
/// <remarks>
/// <para>With <see cref="FunnelQuery.Default"/> (optionally with a window) the report follows the canonical semantics
/// shared with the bulk engine (<c>Funnel.Core.Bulk</c>): <see cref="Reached"/>, <see cref="Transitions"/>,
/// <see cref="LossesByStage"/> and the count, total and median of every <see cref="StageMetrics.TimeInStage"/> are the
/// same numbers. docs/metrics.md defines every number with a worked example.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
/// <example>
/// <code>
/// var report = FunnelReport.Compute(definition, journeys, FunnelQuery.Default.Ordered(TimeSpan.FromDays(30)));
/// foreach (var stage in report.Stages)
///     Console.WriteLine($"{stage.Stage.Key}: {stage.Reached} ({stage.ConversionFromTop})");
/// </code>
/// </example>
public sealed class FunnelReport
{
    internal FunnelReport(
        FunnelDefinition definition,
        FunnelQuery query,
        DateTimeOffset? asOf,
        long leads,
        ImmutableArray<StageMetrics> stages,
        long won,
        long lost,
        long open,
        Proportion overallConversion,
        Proportion winRate,
        DurationSummary cycleTimeToWon,
        LossBreakdown losses,
        CountMatrix transitions,
        CountMatrix lossesByStage)
    {
        Definition = definition;
        Query = query;
        AsOf = asOf;
        Leads = leads;
        Stages = stages;
        Won = won;
        Lost = lost;
        Open = open;
        OverallConversion = overallConversion;
        WinRate = winRate;
        CycleTimeToWon = cycleTimeToWon;
        Losses = losses;
        Transitions = transitions;
        LossesByStage = lossesByStage;
        Reached = [.. stages.Select(s => s.Reached)];
    }

    /// <summary>Gets the funnel definition.</summary>
    public FunnelDefinition Definition { get; }

    /// <summary>Gets the query the report was computed with.</summary>
    public FunnelQuery Query { get; }

    /// <summary>Gets the as-of time used: the query's, or the latest event or status change of the input; <see langword="null"/> for empty input.</summary>
    public DateTimeOffset? AsOf { get; }

    /// <summary>Gets the number of leads in scope (with at least one event by the as-of time, entered in the date range).</summary>
    public long Leads { get; }

    /// <summary>Gets the numbers of every stage, in stage order.</summary>
    public ImmutableArray<StageMetrics> Stages { get; }

    /// <summary>Gets the reached count of every stage, in stage order (the same as <see cref="StageMetrics.Reached"/>).</summary>
    public ImmutableArray<long> Reached { get; }

    /// <summary>Gets the leads won at the as-of time (reached the goal stage or were marked won, and not lost or reopened since).</summary>
    public long Won { get; }

    /// <summary>Gets the leads lost at the as-of time.</summary>
    public long Lost { get; }

    /// <summary>Gets the leads still open at the as-of time.</summary>
    public long Open { get; }

    /// <summary>Gets the overall conversion: won out of all leads in scope.</summary>
    public Proportion OverallConversion { get; }

    /// <summary>Gets the win rate: won out of closed (won + lost) leads.</summary>
    public Proportion WinRate { get; }

    /// <summary>Gets the cycle time of won leads, from their first event to the moment they were won.</summary>
    public DurationSummary CycleTimeToWon { get; }

    /// <summary>Gets the losses by reason over all stages (every loss event counts, see <see cref="StageMetrics.Losses"/>).</summary>
    public LossBreakdown Losses { get; }

    /// <summary>
    /// Gets the transition matrix: for every two consecutive events (a, b) of a lead, the count at row a.stage and
    /// column b.stage, or column <see cref="FunnelDefinition.Stages"/>.Length ("lost") when b is a loss event.
    /// </summary>
    public CountMatrix Transitions { get; }

    /// <summary>
    /// Gets the losses matrix: for every loss event, the count at row = the stage of the lead's previous event (or the
    /// loss event's own stage when it is the lead's first event) and column = the loss reason's index in the definition.
    /// </summary>
    public CountMatrix LossesByStage { get; }

    /// <summary>Gets the numbers of one stage.</summary>
    /// <param name="stage">The stage key.</param>
    /// <returns>The stage's numbers.</returns>
    /// <exception cref="ArgumentException">The definition has no such stage.</exception>
    public StageMetrics this[StageKey stage] => Stages[Definition.GetStage(stage).Order];

    /// <summary>Computes the report from journeys.</summary>
    /// <param name="definition">The funnel definition every journey follows.</param>
    /// <param name="journeys">The journeys; each id once.</param>
    /// <param name="query">The semantics; <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="journeys"/> is <see langword="null"/>.</exception>
    /// <exception cref="MetricsInputException">A journey is null, follows another definition, or its id occurs twice.</exception>
    public static FunnelReport Compute(FunnelDefinition definition, IEnumerable<Journey> journeys, FunnelQuery? query = null)
    {
        var tracks = LeadTracks.FromJourneys(definition, journeys);
        return FromTracks(definition, tracks, query ?? FunnelQuery.Default);
    }

    /// <summary>
    /// Computes the report from an event log. Each entity's events are taken in timestamp order (whole seconds), ties
    /// keeping their position in the log; a loss event names the stage lost at and is not an entry.
    /// </summary>
    /// <param name="definition">The funnel definition the events refer to.</param>
    /// <param name="events">The events, in any order.</param>
    /// <param name="query">The semantics; <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="events"/> is <see langword="null"/>.</exception>
    /// <exception cref="MetricsInputException">An event is the default value or names a stage or loss reason the definition lacks.</exception>
    public static FunnelReport Compute(FunnelDefinition definition, IEnumerable<FunnelEvent> events, FunnelQuery? query = null)
    {
        var tracks = LeadTracks.FromEvents(definition, events);
        return FromTracks(definition, tracks, query ?? FunnelQuery.Default);
    }

    /// <summary>
    /// Compares this report's overall conversion (won out of leads) with another's — two periods, two segments, two
    /// funnels variants — with the two-proportion z-test.
    /// </summary>
    /// <param name="other">The other report.</param>
    /// <returns>z (positive when this report converts better) and the two-sided p-value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A report has no leads.</exception>
    public TestResult CompareOverallConversion(FunnelReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Statistics.TwoProportionZTest(OverallConversion.Successes, OverallConversion.Trials, other.OverallConversion.Successes, other.OverallConversion.Trials);
    }

    /// <summary>Compares the conversion into a stage from the previous one with another report's, with the two-proportion z-test.</summary>
    /// <param name="other">The other report, of a funnel with the same stage key.</param>
    /// <param name="stage">The stage.</param>
    /// <returns>z (positive when this report converts better) and the two-sided p-value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A definition has no such stage.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A report has no trials for that conversion.</exception>
    public TestResult CompareConversion(FunnelReport other, StageKey stage)
    {
        ArgumentNullException.ThrowIfNull(other);
        var mine = this[stage].ConversionFromPrevious;
        var theirs = other[stage].ConversionFromPrevious;
        return Statistics.TwoProportionZTest(mine.Successes, mine.Trials, theirs.Successes, theirs.Trials);
    }

    /// <summary>Returns a short summary.</summary>
    /// <returns>A text such as <c>aida: 100 leads, won 12, lost 30, open 58</c>.</returns>
    public override string ToString() => $"{Definition.Key}: {Leads} leads, won {Won}, lost {Lost}, open {Open}";

    internal static FunnelReport FromTracks(FunnelDefinition definition, List<LeadTrack> tracks, FunnelQuery query)
    {
        var (prepared, asOf) = LeadTracks.Prepare(tracks, query);
        return ReportCalculator.Compute(definition, query, prepared, asOf);
    }
}
