using System.Collections.Immutable;
using System.Globalization;

namespace Funnel.Core.Metrics;

/// <summary>
/// A forecast learned from observed stage-to-stage moves: an absorbing Markov chain whose transient states are the
/// stages before the goal and whose absorbing states are won, lost and went silent. Gives, for a lead at each stage, the
/// probability of being won, lost or going silent, the expected number of moves and the expected time to close, next to
/// the configured stage probabilities, and says when the data cannot support a probability.
/// </summary>
/// <remarks>
/// <para>Learning: every two consecutive events (a, b) of a lead with a an entry into a stage before the goal is one move
/// out of a.stage: to "lost" when b is a loss event, to "won" when b enters the goal stage or a later one, otherwise to
/// b.stage. Moves after a loss (a reopened lead's loss) are not counted, since lost is absorbing; under
/// <see cref="OutcomeRule.Reached"/> nothing after a lead's first win is counted either. The move probabilities are the
/// observed frequencies; a stay's length is b − a.</para>
/// <para>Unfinished leads (right-censoring): a lead that is still open at the as-of time and has been idle (no event or
/// status change) for longer than the silence threshold of its stage — the stage's <see cref="Stage.IdleLimit"/>, or
/// the query's <see cref="FunnelQuery.SilentAfter"/> when the stage has none — is absorbed as "went silent" (counted as
/// not won), with a stay of exactly the threshold (the moment it is judged silent). A lead still inside the threshold is
/// censored: its last, unfinished stay is not used at all (neither as a move nor as a stay length). Without this, an
/// export that records no losses would teach the chain that every path ends in won. The treatment assumes that a lead
/// idle past the threshold will not come back; leads that do come back later make the silent probability an
/// overestimate.</para>
/// <para>Insufficient data: a stage's probabilities are reported as insufficient (<see cref="StageForecast.IsSufficient"/>,
/// with <see cref="StageForecast.InsufficientDataReason"/>) when no move out of it was observed, or when fewer than
/// the minimum of the leads that were at the stage have a known outcome (won, lost or went silent).</para>
/// <para>Expected time to close is the expected time until won, lost or judged silent, from the stays of the leads
/// that moved on, closed or went silent (<see cref="StageForecast.ObservedMoves"/>); censored leads are left out.</para>
/// <para>The chain assumes the next move depends only on the current stage (the Markov property).</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class MarkovForecast
{
    /// <summary>The default minimum number of leads with a known outcome (won, lost or went silent) among those that were at a stage, below which the stage's forecast is insufficient: 10.</summary>
    public const int DefaultMinimumOutcomes = 10;

    private MarkovForecast(FunnelDefinition definition, ImmutableArray<StageForecast> stages, int minimumOutcomes)
    {
        Definition = definition;
        Stages = stages;
        MinimumOutcomes = minimumOutcomes;
    }

    /// <summary>Gets the funnel definition.</summary>
    public FunnelDefinition Definition { get; }

    /// <summary>Gets the forecast of every stage before the goal, in stage order.</summary>
    public ImmutableArray<StageForecast> Stages { get; }

    /// <summary>Gets the minimum number of leads with a known outcome a stage needs for a sufficient forecast.</summary>
    public int MinimumOutcomes { get; }

    /// <summary>Gets the forecast of one stage.</summary>
    /// <param name="stage">A stage before the goal.</param>
    /// <returns>The stage's forecast.</returns>
    /// <exception cref="ArgumentException">The definition has no such stage, or it is the goal or after it.</exception>
    public StageForecast this[StageKey stage]
    {
        get
        {
            var order = Definition.GetStage(stage).Order;
            return order < Stages.Length
                ? Stages[order]
                : throw new ArgumentException($"Stage '{stage}' is at or after the goal '{Definition.GoalStage.Key}'; a lead there is won.", nameof(stage));
        }
    }

    /// <summary>Learns the chain from journeys.</summary>
    /// <param name="definition">The funnel definition.</param>
    /// <param name="journeys">The journeys.</param>
    /// <param name="query">The scope (date range, as-of, <see cref="FunnelQuery.SilentAfter"/>); <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <param name="minimumOutcomes">The minimum number of leads with a known outcome a stage needs (see <see cref="DefaultMinimumOutcomes"/>); at least 1.</param>
    /// <returns>The forecast.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="journeys"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumOutcomes"/> is less than 1.</exception>
    /// <exception cref="MetricsInputException">See <see cref="FunnelReport.Compute(FunnelDefinition, IEnumerable{Journey}, FunnelQuery?)"/>.</exception>
    public static MarkovForecast Learn(FunnelDefinition definition, IEnumerable<Journey> journeys, FunnelQuery? query = null, int minimumOutcomes = DefaultMinimumOutcomes)
    {
        Guard.Against.LessThan(minimumOutcomes, 1);
        return FromTracks(definition, LeadTracks.FromJourneys(definition, journeys), query ?? FunnelQuery.Default, minimumOutcomes);
    }

    /// <summary>Learns the chain from an event log.</summary>
    /// <param name="definition">The funnel definition.</param>
    /// <param name="events">The events.</param>
    /// <param name="query">The scope (date range, as-of, <see cref="FunnelQuery.SilentAfter"/>); <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <param name="minimumOutcomes">The minimum number of leads with a known outcome a stage needs (see <see cref="DefaultMinimumOutcomes"/>); at least 1.</param>
    /// <returns>The forecast.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="events"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumOutcomes"/> is less than 1.</exception>
    /// <exception cref="MetricsInputException">See <see cref="FunnelReport.Compute(FunnelDefinition, IEnumerable{FunnelEvent}, FunnelQuery?)"/>.</exception>
    public static MarkovForecast Learn(FunnelDefinition definition, IEnumerable<FunnelEvent> events, FunnelQuery? query = null, int minimumOutcomes = DefaultMinimumOutcomes)
    {
        Guard.Against.LessThan(minimumOutcomes, 1);
        return FromTracks(definition, LeadTracks.FromEvents(definition, events), query ?? FunnelQuery.Default, minimumOutcomes);
    }

    /// <summary>Gets the learned win probability per stage before the goal, for <see cref="WeightedPipeline"/> (went silent counts as not won).</summary>
    /// <returns>The probabilities by stage key.</returns>
    public ImmutableDictionary<StageKey, double> ToProbabilities() =>
        Stages.ToImmutableDictionary(s => s.Stage.Key, s => s.WinProbability);

    private static MarkovForecast FromTracks(FunnelDefinition definition, List<LeadTrack> tracks, FunnelQuery query, int minimumOutcomes)
    {
        var (prepared, asOf) = LeadTracks.Prepare(tracks, query);
        return FromPrepared(definition, prepared, asOf, query, minimumOutcomes);
    }

    /// <summary>Gets the silence threshold of a stage: its idle limit, or the query's <see cref="FunnelQuery.SilentAfter"/>.</summary>
    internal static TimeSpan SilenceThreshold(Stage stage, FunnelQuery query) => stage.IdleLimit ?? query.SilentAfter;

    /// <summary>Learns the forecast from prepared tracks (cut at the as-of time, in the entry date range), read once in order.</summary>
    internal static MarkovForecast FromPrepared(FunnelDefinition definition, IEnumerable<LeadTrack> prepared, DateTimeOffset? asOf, FunnelQuery query, int minimumOutcomes)
    {
        var t = definition.GoalStage.Order;
        const int won = 0, lost = 1, silent = 2;
        var toTransient = new long[t, t];
        var toAbsorbing = new long[t, 3];
        var outCount = new long[t];
        var staySeconds = new double[t];
        var censored = new long[t];
        var withOutcome = new long[t];
        var withoutOutcome = new long[t];
        var visited = new bool[t];
        foreach (var track in prepared)
        {
            Array.Clear(visited);
            for (var i = 0; i < track.Count; i++)
            {
                if (!track.IsLoss(i) && track.Stages[i] < t)
                {
                    visited[track.Stages[i]] = true;
                }

                if (i + 1 == track.Count)
                {
                    break;
                }

                var from = track.Stages[i];
                if (track.IsLoss(i) || from >= t)
                {
                    if (from >= t && !track.IsLoss(i) && definition.Outcome == OutcomeRule.Reached)
                    {
                        break; // won for good: nothing after the first win is a move of an open lead
                    }

                    continue;
                }

                outCount[from]++;
                staySeconds[from] += track.Seconds[i + 1] - track.Seconds[i];
                if (track.IsLoss(i + 1))
                {
                    toAbsorbing[from, lost]++;
                }
                else if (track.Stages[i + 1] >= t)
                {
                    toAbsorbing[from, won]++;
                }
                else
                {
                    toTransient[from, track.Stages[i + 1]]++;
                }
            }

            // The unfinished last stay of an open lead: went silent past the threshold, otherwise censored.
            var known = track.Status != JourneyStatus.Open;
            var last = track.Count - 1;
            if (!known && !track.IsLoss(last) && track.Stages[last] < t && asOf is { } cut)
            {
                var stage = track.Stages[last];
                var threshold = SilenceThreshold(definition.Stages[stage], query);
                if (cut - track.LastActivity > threshold)
                {
                    known = true;
                    outCount[stage]++;
                    toAbsorbing[stage, silent]++;
                    staySeconds[stage] += Math.Floor(threshold.TotalSeconds);
                }
                else
                {
                    censored[stage]++;
                }
            }

            for (var s = 0; s < t; s++)
            {
                if (visited[s])
                {
                    (known ? withOutcome : withoutOutcome)[s]++;
                }
            }
        }

        var q = new double[t, t];
        var r = new double[t, 3];
        var hold = new double[t];
        for (var s = 0; s < t; s++)
        {
            if (outCount[s] == 0)
            {
                continue;
            }

            for (var j = 0; j < t; j++)
            {
                q[s, j] = (double)toTransient[s, j] / outCount[s];
            }

            for (var k = 0; k < 3; k++)
            {
                r[s, k] = (double)toAbsorbing[s, k] / outCount[s];
            }

            hold[s] = staySeconds[s] / outCount[s];
        }

        LeaveOnlyExitingStates(q, r);
        var chain = new AbsorbingMarkovChain(q, r);
        var times = chain.ExpectedTimes(hold);
        var stages = ImmutableArray.CreateBuilder<StageForecast>(t);
        for (var s = 0; s < t; s++)
        {
            var stage = definition.Stages[s];
            stages.Add(new StageForecast(
                stage,
                outCount[s],
                chain.AbsorptionProbability(s, won),
                chain.AbsorptionProbability(s, lost),
                chain.AbsorptionProbability(s, silent),
                chain.ExpectedMoves[s],
                TimeSpan.FromSeconds(times[s]),
                new StageForecast.Evidence(censored[s], withOutcome[s], withoutOutcome[s], SilenceThreshold(stage, query)),
                Insufficiency(outCount[s], withOutcome[s], withoutOutcome[s], minimumOutcomes)));
        }

        return new MarkovForecast(definition, stages.MoveToImmutable(), minimumOutcomes);
    }

    private static string? Insufficiency(long moves, long withOutcome, long withoutOutcome, int minimum) =>
        moves == 0 ? "no move out of this stage was observed"
        : withOutcome == 0 ? string.Create(CultureInfo.InvariantCulture, $"none of the {withoutOutcome} leads that were at this stage has an outcome yet (won, lost or went silent); they are still open within the silence threshold")
        : withOutcome < minimum ? string.Create(CultureInfo.InvariantCulture, $"only {withOutcome} of the {withOutcome + withoutOutcome} leads that were at this stage have an outcome (won, lost or went silent); at least {minimum} are needed")
        : null;

    /// <summary>
    /// Clears the rows of states that can reach neither an absorbing state nor an unknown outcome (a closed class of
    /// stages, such as a stage only ever re-entered), so that I − Q is invertible; their outcome becomes unknown.
    /// </summary>
    private static void LeaveOnlyExitingStates(double[,] q, double[,] r)
    {
        var t = q.GetLength(0);
        var exits = new bool[t];
        for (var s = 0; s < t; s++)
        {
            var rowSum = 0.0;
            var absorbs = false;
            for (var k = 0; k < r.GetLength(1); k++)
            {
                rowSum += r[s, k];
                absorbs |= r[s, k] > 0;
            }

            for (var j = 0; j < t; j++)
            {
                rowSum += q[s, j];
            }

            exits[s] = absorbs || rowSum < 1 - 1e-12;
        }

        bool changed;
        do
        {
            changed = false;
            for (var s = 0; s < t; s++)
            {
                if (exits[s])
                {
                    continue;
                }

                for (var j = 0; j < t; j++)
                {
                    if (q[s, j] > 0 && exits[j])
                    {
                        exits[s] = true;
                        changed = true;
                        break;
                    }
                }
            }
        }
        while (changed);

        for (var s = 0; s < t; s++)
        {
            if (!exits[s])
            {
                for (var j = 0; j < t; j++)
                {
                    q[s, j] = 0;
                }
            }
        }
    }
}
