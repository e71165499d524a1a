using System.Collections.Immutable;

namespace Funnel.Core.Bulk;

/// <summary>
/// The part of a <see cref="TransitionAggregate"/> that only the funnel modes need: leads dropped by exclusions,
/// leads that matched each optional step, and the time-to-convert durations per step (kept whole so that merged
/// medians stay exact). Immutable; merges by addition and concatenation.
/// </summary>
internal sealed class ModeTotals
{
    public ModeTotals(FunnelModes modes, long excluded, ImmutableArray<long> optionalReached, ImmutableArray<ImmutableArray<long[]>> fromAnchor, ImmutableArray<ImmutableArray<long[]>> fromPrevious)
    {
        Modes = modes;
        Excluded = excluded;
        OptionalReached = optionalReached;
        FromAnchor = fromAnchor;
        FromPrevious = fromPrevious;
    }

    public FunnelModes Modes { get; }

    public long Excluded { get; }

    /// <summary>Per stage: the leads whose counted attempt matched it (used for optional steps only).</summary>
    public ImmutableArray<long> OptionalReached { get; }

    /// <summary>Per step k (index k; 0 stays empty): T_k − T_0 of the converted leads, in pieces.</summary>
    public ImmutableArray<ImmutableArray<long[]>> FromAnchor { get; }

    /// <summary>Per step k: T_k − T_p, p the previous step the lead has a reach time for.</summary>
    public ImmutableArray<ImmutableArray<long[]>> FromPrevious { get; }

    public static ModeTotals Empty(int stages, FunnelModes modes) =>
        new(modes, 0, [.. new long[stages]], [.. Enumerable.Repeat(ImmutableArray<long[]>.Empty, stages)], [.. Enumerable.Repeat(ImmutableArray<long[]>.Empty, stages)]);

    public static ModeTotals From(AggregateBuilder builder, FunnelModes modes) =>
        new(modes, builder.Excluded, [.. builder.OptionalReached], [.. builder.FromAnchor.Select(l => l.ToImmutableArray())], [.. builder.FromPrevious.Select(l => l.ToImmutableArray())]);

    public ModeTotals Merge(ModeTotals other)
    {
        var reached = new long[OptionalReached.Length];
        for (var s = 0; s < reached.Length; s++)
        {
            reached[s] = checked(OptionalReached[s] + other.OptionalReached[s]);
        }

        return new(
            Modes,
            checked(Excluded + other.Excluded),
            [.. reached],
            [.. FromAnchor.Select((pieces, k) => pieces.AddRange(other.FromAnchor[k]))],
            [.. FromPrevious.Select((pieces, k) => pieces.AddRange(other.FromPrevious[k]))]);
    }

    /// <summary>The durations of step k from the anchor (or from the previous step), in one new array, unsorted.</summary>
    public long[] Samples(int step, bool fromAnchor)
    {
        var pieces = (fromAnchor ? FromAnchor : FromPrevious)[step];
        var all = new long[pieces.Sum(p => p.Length)];
        var at = 0;
        foreach (var piece in pieces)
        {
            piece.CopyTo(all, at);
            at += piece.Length;
        }

        return all;
    }
}
