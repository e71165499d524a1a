using System.Collections.Immutable;

namespace Funnel.Core.Metrics;

/// <summary>
/// A forecast learned from observed stage-to-stage moves: an absorbing Markov chain whose transient states are the
/// stages before the goal and whose absorbing states are won and lost. Gives, for a lead at each stage, the probability
/// of being won, the expected number of moves and the expected time to close, next to the configured stage probabilities.
/// </summary>
/// <remarks>
/// <para>Learning: every two consecutive events (a, b) of a lead with a an entry into a stage before the goal is one move
/// out of a.stage: to "lost" when b is a loss event, to "won" when b enters the goal stage or a later one, otherwise to
/// b.stage. The move probabilities are the observed frequencies; a stay's length is b − a. Moves after a loss (a
/// reopened lead) are not counted, since lost is absorbing. A stage with no observed moves out keeps an unknown outcome
/// (see <see cref="StageForecast.UnknownProbability"/>); stages from which the chain could never leave are treated the same way.</para>
/// <para>The chain assumes the next move depends only on the current stage (the Markov property); leads that are still
/// open contribute the moves they made so far.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class MarkovForecast
{
    private MarkovForecast(FunnelDefinition definition, ImmutableArray<StageForecast> stages)
    {
        Definition = definition;
        Stages = stages;
    }

    /// <summary>Gets the funnel definition.</summary>
    public FunnelDefinition Definition { get; }

    /// <summary>Gets the forecast of every stage before the goal, in stage order.</summary>
    public ImmutableArray<StageForecast> Stages { get; }

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
    /// <param name="query">The scope (date range, as-of); <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <returns>The forecast.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="journeys"/> is <see langword="null"/>.</exception>
    /// <exception cref="MetricsInputException">See <see cref="FunnelReport.Compute(FunnelDefinition, IEnumerable{Journey}, FunnelQuery?)"/>.</exception>
    public static MarkovForecast Learn(FunnelDefinition definition, IEnumerable<Journey> journeys, FunnelQuery? query = null) =>
        FromTracks(definition, LeadTracks.FromJourneys(definition, journeys), query ?? FunnelQuery.Default);

    /// <summary>Learns the chain from an event log.</summary>
    /// <param name="definition">The funnel definition.</param>
    /// <param name="events">The events.</param>
    /// <param name="query">The scope (date range, as-of); <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <returns>The forecast.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="events"/> is <see langword="null"/>.</exception>
    /// <exception cref="MetricsInputException">See <see cref="FunnelReport.Compute(FunnelDefinition, IEnumerable{FunnelEvent}, FunnelQuery?)"/>.</exception>
    public static MarkovForecast Learn(FunnelDefinition definition, IEnumerable<FunnelEvent> events, FunnelQuery? query = null) =>
        FromTracks(definition, LeadTracks.FromEvents(definition, events), query ?? FunnelQuery.Default);

    /// <summary>Gets the learned win probability per stage before the goal, for <see cref="WeightedPipeline"/>.</summary>
    /// <returns>The probabilities by stage key.</returns>
    public ImmutableDictionary<StageKey, double> ToProbabilities() =>
        Stages.ToImmutableDictionary(s => s.Stage.Key, s => s.WinProbability);

    private static MarkovForecast FromTracks(FunnelDefinition definition, List<LeadTrack> tracks, FunnelQuery query) =>
        FromPrepared(definition, LeadTracks.Prepare(tracks, query).Tracks);

    /// <summary>Learns the forecast from prepared tracks (cut at the as-of time, in the entry date range), read once in order.</summary>
    internal static MarkovForecast FromPrepared(FunnelDefinition definition, IEnumerable<LeadTrack> prepared)
    {
        var t = definition.GoalStage.Order;
        const int won = 0, lost = 1;
        var toTransient = new long[t, t];
        var toAbsorbing = new long[t, 2];
        var outCount = new long[t];
        var staySeconds = new double[t];
        foreach (var track in prepared)
        {
            for (var i = 0; i + 1 < track.Count; i++)
            {
                var from = track.Stages[i];
                if (track.IsLoss(i) || from >= t)
                {
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
        }

        var q = new double[t, t];
        var r = new double[t, 2];
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

            r[s, won] = (double)toAbsorbing[s, won] / outCount[s];
            r[s, lost] = (double)toAbsorbing[s, lost] / outCount[s];
            hold[s] = staySeconds[s] / outCount[s];
        }

        LeaveOnlyExitingStates(q, r);
        var chain = new AbsorbingMarkovChain(q, r);
        var times = chain.ExpectedTimes(hold);
        var stages = ImmutableArray.CreateBuilder<StageForecast>(t);
        for (var s = 0; s < t; s++)
        {
            stages.Add(new StageForecast(
                definition.Stages[s],
                outCount[s],
                chain.AbsorptionProbability(s, won),
                chain.AbsorptionProbability(s, lost),
                chain.ExpectedMoves[s],
                TimeSpan.FromSeconds(times[s])));
        }

        return new MarkovForecast(definition, stages.MoveToImmutable());
    }

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
            var rowSum = r[s, 0] + r[s, 1];
            for (var j = 0; j < t; j++)
            {
                rowSum += q[s, j];
            }

            exits[s] = r[s, 0] > 0 || r[s, 1] > 0 || rowSum < 1 - 1e-12;
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
