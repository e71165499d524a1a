namespace Funnel.Core.Metrics;

// Computing a report from journeys or an event log, and deriving the rates, per-stage losses and totals from the
// independent counts (shared with Restore).
public sealed partial class FunnelReport
{
    /// <summary>Computes the report from journeys.</summary>
    /// <param name="definition">The funnel definition every journey follows.</param>
    /// <param name="journeys">The journeys; each id once.</param>
    /// <param name="query">The semantics; <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="journeys"/> is <see langword="null"/>.</exception>
    /// <exception cref="MetricsInputException">A journey is null, follows another definition, or its id occurs twice.</exception>
    /// <exception cref="ArgumentException">The query's <see cref="FunnelQuery.StepWindows"/> do not match the definition's number of steps.</exception>
    public static FunnelReport Compute(FunnelDefinition definition, IEnumerable<Journey> journeys, FunnelQuery? query = null)
    {
        var tracks = LeadTracks.FromJourneys(definition, journeys);
        return FromTracks(definition, tracks, query ?? FunnelQuery.Default);
    }

    /// <summary>
    /// Computes the report from an event log. Each entity's events are taken in timestamp order (whole seconds), ties
    /// keeping their position in the log. A loss event is not an entry: the loss counts where the lead was, at the stage
    /// of its previous event (see <see cref="LossesByStage"/>), not at the stage the loss event names.
    /// </summary>
    /// <param name="definition">The funnel definition the events refer to.</param>
    /// <param name="events">The events, in any order.</param>
    /// <param name="query">The semantics; <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="events"/> is <see langword="null"/>.</exception>
    /// <exception cref="MetricsInputException">An event is the default value or names a stage or loss reason the definition lacks.</exception>
    /// <exception cref="ArgumentException">The query's <see cref="FunnelQuery.StepWindows"/> do not match the definition's number of steps.</exception>
    public static FunnelReport Compute(FunnelDefinition definition, IEnumerable<FunnelEvent> events, FunnelQuery? query = null)
    {
        var tracks = LeadTracks.FromEvents(definition, events);
        return FromTracks(definition, tracks, query ?? FunnelQuery.Default);
    }

    /// <summary>Builds the report from its independent numbers, deriving the rest; shared by the calculator and <see cref="Restore"/>.</summary>
    internal static FunnelReport Assemble(FunnelDefinition definition, FunnelQuery query, DateTimeOffset? asOf, ReportCounts counts)
    {
        var n = definition.Stages.Length;
        var reasons = definition.LossReasons.Length;
        var level = query.ConfidenceLevel;
        var minimum = query.MinimumSample;
        var leads = counts.Won + counts.Lost + counts.Open;
        var reached = counts.Reached;
        var stages = new StageMetrics[n];
        var optional = query.OptionalMask(definition);
        for (var k = 0; k < n; k++)
        {
            // Optional steps are skipped: the rate into step k is out of the previous required step (R6).
            var previous = PreviousRequired(optional, k);
            var fromPrevious = k == 0
                ? (counts.ReachedFromTop is null ? new Proportion(0, 0, level, minimum) : new Proportion(reached[0], leads, level, minimum))
                : new Proportion(optional[k] ? reached[k] : counts.ConvertedToNext[previous], reached[previous], level, minimum);
            Proportion? fromTop = counts.ReachedFromTop is { } top ? new Proportion(top[k], reached[0], level, minimum) : null;
            stages[k] = new StageMetrics(
                definition.Stages[k],
                reached[k],
                k + 1 < n ? counts.ConvertedToNext[k] : 0,
                fromPrevious,
                fromTop,
                counts.Dropped[k],
                counts.StillOpen[k],
                LossBreakdown.FromRow(definition, counts.LossesByStage, k, reasons),
                counts.TimeInStage[k]);
        }

        var lossTotals = new long[reasons];
        for (var c = 0; c < reasons; c++)
        {
            lossTotals[c] = counts.LossesAfterLoss[c] + counts.LossesAtUnknownStage[c];
            for (var k = 0; k < n; k++)
            {
                lossTotals[c] += counts.LossesByStage[(k * reasons) + c];
            }
        }

        return new FunnelReport(
            definition,
            query,
            asOf,
            leads,
            [.. stages],
            counts.Won,
            counts.EverWon,
            counts.LastStatusWon,
            counts.Lost,
            counts.Open,
            new Proportion(counts.Won, leads, level, minimum),
            new Proportion(counts.Won, counts.Won + counts.Lost, level, minimum),
            counts.CycleTimeToWon,
            LossBreakdown.FromCounts(definition, lossTotals),
            new CountMatrix(n + 1, n + 1, counts.Transitions),
            new CountMatrix(n, reasons, counts.LossesByStage),
            LossBreakdown.FromCounts(definition, counts.LossesAfterLoss),
            LossBreakdown.FromCounts(definition, counts.LossesAtUnknownStage),
            counts.TimeAfterLoss,
            [.. counts.ConversionTimes],
            counts.Excluded);
    }

    /// <summary>The time to convert of every step with no samples.</summary>
    internal static StepConversionTime[] EmptyConversionTimes(int stageCount)
    {
        var times = new StepConversionTime[Math.Max(0, stageCount - 1)];
        for (var k = 0; k < times.Length; k++)
        {
            times[k] = new StepConversionTime(k + 1, default, default, DurationHistogram.Empty, DurationHistogram.Empty);
        }

        return times;
    }

    internal static FunnelReport FromTracks(FunnelDefinition definition, List<LeadTrack> tracks, FunnelQuery query)
    {
        var (prepared, asOf) = LeadTracks.Prepare(tracks, query);
        return ReportCalculator.Compute(definition, query, prepared, asOf);
    }

    private static int PreviousRequired(bool[] optional, int k)
    {
        var previous = k - 1;
        while (previous > 0 && optional[previous])
        {
            previous--;
        }

        return previous;
    }
}
