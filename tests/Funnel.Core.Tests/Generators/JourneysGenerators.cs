using FsCheck;
using FsCheck.Fluent;

namespace Funnel.Core.Tests.Journeys;

/// <summary>Random moves, each taken from a random earlier version (index into the versions made so far).</summary>
public static class BranchArbitraries
{
    public static Arbitrary<(int Parent, int Stage)[]> Branches() =>
        Gen.ArrayOf(Gen.Zip(Gen.Choose(0, 1_000), Gen.Choose(0, 1))).Select(a => a.Select(p => (p.Item1, p.Item2)).ToArray()).ToArbitrary();
}
