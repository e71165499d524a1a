using System.Collections.Immutable;

namespace Funnel.Core.Metrics;

/// <summary>
/// An absorbing Markov chain in canonical form: transient states with moves Q among themselves and R into absorbing
/// states. Computes the fundamental matrix N = (I − Q)⁻¹ (expected visits), the absorption probabilities B = N R,
/// the expected number of moves before absorption t = N·1, and expected times N·h for given holding times h
/// (Kemeny &amp; Snell, <i>Finite Markov Chains</i>, 1960, ch. III; Grinstead &amp; Snell, <i>Introduction to Probability</i>, §11.2).
/// </summary>
/// <remarks>
/// <para>A row of Q and R may sum to less than 1: the missing mass is an unknown outcome (for a learned chain, a stage
/// with no observed moves out), and it lowers every absorption probability that passes through that state.</para>
/// <para>The inverse is computed by Gauss–Jordan elimination with partial pivoting. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class AbsorbingMarkovChain
{
    private readonly double[,] _fundamental;
    private readonly double[,] _absorption;

    /// <summary>Creates the chain and solves it.</summary>
    /// <param name="transient">Q: the probabilities of moving from transient state i to transient state j (t × t).</param>
    /// <param name="absorbing">R: the probabilities of moving from transient state i into absorbing state k (t × r).</param>
    /// <exception cref="ArgumentNullException">A matrix is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The shapes disagree, a probability is negative or not a number, a row sums to more than 1, or some transient states
    /// can never be left (I − Q is singular).
    /// </exception>
    public AbsorbingMarkovChain(double[,] transient, double[,] absorbing)
    {
        Guard.Against.Null(transient);
        Guard.Against.Null(absorbing);
        var t = transient.GetLength(0);
        if (transient.GetLength(1) != t || absorbing.GetLength(0) != t)
        {
            throw new ArgumentException("Q must be t × t and R must have t rows.", nameof(absorbing));
        }

        var r = absorbing.GetLength(1);
        for (var i = 0; i < t; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < t; j++)
            {
                sum += Check(transient[i, j], i, j, "Q");
            }

            for (var k = 0; k < r; k++)
            {
                sum += Check(absorbing[i, k], i, k, "R");
            }

            if (sum > 1 + 1e-9)
            {
                throw new ArgumentException($"Row {i} of [Q R] sums to {sum}, more than 1.", nameof(transient));
            }
        }

        var identityMinusQ = new double[t, t];
        for (var i = 0; i < t; i++)
        {
            for (var j = 0; j < t; j++)
            {
                identityMinusQ[i, j] = (i == j ? 1 : 0) - transient[i, j];
            }
        }

        _fundamental = LinearAlgebra.Invert(identityMinusQ)
            ?? throw new ArgumentException("I − Q is singular: some transient states can never be left, so the chain is not absorbing.", nameof(transient));
        _absorption = LinearAlgebra.Multiply(_fundamental, absorbing);
        TransientCount = t;
        AbsorbingCount = r;
        ExpectedMoves = [.. LinearAlgebra.Multiply(_fundamental, Enumerable.Repeat(1.0, t).ToArray())];
    }

    /// <summary>Gets the number of transient states.</summary>
    public int TransientCount { get; }

    /// <summary>Gets the number of absorbing states.</summary>
    public int AbsorbingCount { get; }

    /// <summary>Gets t = N·1: from each transient state, the expected number of moves before absorption.</summary>
    public ImmutableArray<double> ExpectedMoves { get; }

    /// <summary>Gets N[i, j]: starting in transient state i, the expected number of visits to transient state j (the start counts).</summary>
    /// <param name="from">The transient state i.</param>
    /// <param name="to">The transient state j.</param>
    /// <returns>The expected number of visits.</returns>
    /// <exception cref="IndexOutOfRangeException">An index is outside the chain.</exception>
    public double ExpectedVisits(int from, int to) => _fundamental[from, to];

    /// <summary>Gets B[i, k]: starting in transient state i, the probability of ending in absorbing state k.</summary>
    /// <param name="from">The transient state i.</param>
    /// <param name="absorbing">The absorbing state k.</param>
    /// <returns>The absorption probability.</returns>
    /// <exception cref="IndexOutOfRangeException">An index is outside the chain.</exception>
    public double AbsorptionProbability(int from, int absorbing) => _absorption[from, absorbing];

    /// <summary>Computes N·h: from each transient state, the expected time until absorption when a stay in state j lasts h[j] on average.</summary>
    /// <param name="holdingTimes">The mean holding time of each transient state, in any unit.</param>
    /// <returns>The expected times, in the same unit.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="holdingTimes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The length is not <see cref="TransientCount"/>.</exception>
    public ImmutableArray<double> ExpectedTimes(IReadOnlyList<double> holdingTimes)
    {
        Guard.Against.Null(holdingTimes);
        if (holdingTimes.Count != TransientCount)
        {
            throw new ArgumentException($"Give one holding time per transient state ({TransientCount}).", nameof(holdingTimes));
        }

        return [.. LinearAlgebra.Multiply(_fundamental, holdingTimes.ToArray())];
    }

    private static double Check(double p, int row, int column, string name)
    {
        if (double.IsNaN(p) || p < 0)
        {
            throw new ArgumentException($"{name}[{row}, {column}] = {p} is not a probability.", name == "Q" ? "transient" : "absorbing");
        }

        return p;
    }
}
