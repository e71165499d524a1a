using FsCheck;
using FsCheck.Fluent;

namespace Funnel.Core.Tests.Model;

/// <summary>A small random definition: stage count, options, explicit edges (by order, duplicates allowed).</summary>
public sealed record GraphCase(int Stages, TransitionOptions Options, (int From, int To)[] Edges);

public static class GraphArbitraries
{
    public static Arbitrary<GraphCase> Cases() =>
        (from stages in Gen.Choose(1, 9)
         from options in Gen.Choose(0, 15)
         from edges in Gen.ArrayOf(Gen.Zip(Gen.Choose(0, stages - 1), Gen.Choose(0, stages - 1)))
         select new GraphCase(stages, (TransitionOptions)options, edges.Select(e => (e.Item1, e.Item2)).ToArray())).ToArbitrary();
}
