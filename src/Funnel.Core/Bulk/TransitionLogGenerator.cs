namespace Funnel.Core.Bulk;

/// <summary>
/// A deterministic synthetic event log for benchmarks, tests and <c>funnel generate</c>: a six-stage funnel with
/// four loss reasons, entities wandering forward, back, stopping or getting lost. The same arguments always give
/// the same log, on every platform.
/// </summary>
/// <remarks>
/// <para>The model (docs/bulk.md has the full specification): a splitmix64 generator seeded with the seed draws,
/// in this order: a Fisher–Yates shuffle of the ids 0..M-1 (for i = M-1 down to 1, j = next() mod (i+1)); then per
/// entity in generation order a start second uniform in 90 days from 2026-01-01T00:00:00Z (stage 0 entry), then
/// per step from stage k (0..4) an exponential delay with mean <see cref="MeanDelayHours"/>[k] rounded down to
/// whole seconds, and one uniform u for the outcome: u &lt; <see cref="AdvanceProbability"/>[k] advances to k+1,
/// the next 0.10 goes back one stage (from stage 0: re-enters stage 0), the next 0.15 stops silently, the rest is
/// a loss at stage k whose reason is picked by where u falls in the loss interval with weights
/// <see cref="LossReasonWeights"/>. Stage 5 ends. Events are sorted by time, ties by generation order.</para>
/// <para>Uniforms are (next() &gt;&gt; 11) × 2^-53. One million entities give about 3.3 million events.</para>
/// <para>This type is stateless and thread-safe.</para>
/// </remarks>
public static class TransitionLogGenerator
{
    /// <summary>The number of stages of the generated funnel.</summary>
    public const int StageCount = 6;

    /// <summary>The number of loss reasons of the generated funnel.</summary>
    public const int LossReasonCount = 4;

    /// <summary>The default seed.</summary>
    public const ulong DefaultSeed = 42;

    /// <summary>The first second of the start interval, 2026-01-01T00:00:00Z, in Unix seconds.</summary>
    public const long StartEpoch = 1_767_225_600L;

    /// <summary>The length of the start interval in seconds (90 days).</summary>
    public const long StartSpanSeconds = 90L * 86_400;

    /// <summary>Gets the mean delay in hours before the step out of stage k (0..4).</summary>
    public static ReadOnlySpan<double> MeanDelayHours => [6, 24, 48, 72, 240];

    /// <summary>Gets the probability of advancing from stage k (0..4) to k+1.</summary>
    public static ReadOnlySpan<double> AdvanceProbability => [0.60, 0.55, 0.45, 0.70, 0.35];

    /// <summary>Gets the probability of going back one stage.</summary>
    public const double BackProbability = 0.10;

    /// <summary>Gets the probability of stopping silently.</summary>
    public const double StopProbability = 0.15;

    /// <summary>Gets the weights of the loss reasons 0..3.</summary>
    public static ReadOnlySpan<double> LossReasonWeights => [0.4, 0.3, 0.2, 0.1];

    /// <summary>Generates a log.</summary>
    /// <param name="entityCount">The number of entities M; not negative.</param>
    /// <param name="seed">The splitmix64 seed; default <see cref="DefaultSeed"/> (42).</param>
    /// <returns>The time-ordered log, with stage ordinals 0..5 and loss-reason ordinals 0..3.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="entityCount"/> is negative.</exception>
    public static TransitionLog Generate(int entityCount, ulong seed = DefaultSeed)
    {
        Guard.Against.NegativeNumber(entityCount);
        var state = seed;
        var ids = new int[entityCount];
        for (var i = 0; i < entityCount; i++)
        {
            ids[i] = i;
        }

        for (var i = entityCount - 1; i >= 1; i--)
        {
            var j = (int)(Next(ref state) % (ulong)(i + 1));
            (ids[i], ids[j]) = (ids[j], ids[i]);
        }

        var capacity = Math.Max(16, (int)Math.Min(Array.MaxLength, entityCount * 4L));
        var entities = new List<int>(capacity);
        var stages = new List<short>(capacity);
        var times = new List<long>(capacity);
        var reasons = new List<short>(capacity);
        var advance = AdvanceProbability;
        var means = MeanDelayHours;
        for (var e = 0; e < entityCount; e++)
        {
            var id = ids[e];
            var time = StartEpoch + (long)(Uniform(ref state) * StartSpanSeconds);
            var stage = 0;
            Append(id, 0, time, TransitionLog.NoLossReason);
            while (stage < StageCount - 1)
            {
                time += (long)Math.Floor(-means[stage] * 3600 * Math.Log(1 - Uniform(ref state)));
                var u = Uniform(ref state);
                var advanceAt = advance[stage];
                if (u < advanceAt)
                {
                    stage++;
                    Append(id, stage, time, TransitionLog.NoLossReason);
                }
                else if (u < advanceAt + BackProbability)
                {
                    stage = Math.Max(0, stage - 1);
                    Append(id, stage, time, TransitionLog.NoLossReason);
                }
                else if (u < advanceAt + BackProbability + StopProbability)
                {
                    break;
                }
                else
                {
                    var lossStart = advanceAt + BackProbability + StopProbability;
                    var r = (u - lossStart) / (1 - lossStart);
                    Append(id, stage, time, PickReason(r));
                    break;
                }
            }
        }

        // Sort by time, ties by generation order: sort (time, generation index) pairs.
        var n = entities.Count;
        var order = new int[n];
        var keys = new long[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
            keys[i] = times[i];
        }

        Array.Sort(keys, order);

        // Array.Sort is not stable: restore generation order within runs of equal time.
        var start = 0;
        while (start < n)
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(order, start, end - start);
            }

            start = end;
        }

        var outEntities = new int[n];
        var outStages = new short[n];
        var outTimes = new long[n];
        var outReasons = new short[n];
        for (var i = 0; i < n; i++)
        {
            var g = order[i];
            outEntities[i] = entities[g];
            outStages[i] = stages[g];
            outTimes[i] = times[g];
            outReasons[i] = reasons[g];
        }

        return TransitionLog.Wrap(outEntities, outStages, outTimes, outReasons, null, n);

        void Append(int id, int stage, long time, short reason)
        {
            entities.Add(id);
            stages.Add((short)stage);
            times.Add(time);
            reasons.Add(reason);
        }
    }

    private static short PickReason(double r)
    {
        var weights = LossReasonWeights;
        double cumulative = 0;
        for (short k = 0; k < weights.Length - 1; k++)
        {
            cumulative += weights[k];
            if (r < cumulative)
            {
                return k;
            }
        }

        return (short)(weights.Length - 1);
    }

    private static ulong Next(ref ulong state)
    {
        unchecked
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    private static double Uniform(ref ulong state) => (Next(ref state) >> 11) * (1.0 / (1UL << 53));
}
