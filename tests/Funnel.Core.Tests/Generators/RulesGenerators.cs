using FsCheck;
using FsCheck.Fluent;

namespace Funnel.Core.Tests.Rules;

/// <summary>
/// A random automation graph over the free-form five-stage funnel (an optional next stage per stage, so chains,
/// rejections and cycles all occur), a stage to start from, and a prior history length.
/// </summary>
public sealed record CascadeCase(int?[] Next, int Start, int PriorMoves);

public static class CascadeArbitraries
{
    public static Arbitrary<CascadeCase> Cases() =>
        (from next in Gen.ArrayOf(Gen.Choose(-1, 4).Select(n => n < 0 ? (int?)null : n), 5)
         from start in Gen.Choose(0, 4)
         from prior in Gen.Choose(0, 400)
         select new CascadeCase(next, start, prior)).ToArbitrary();
}
