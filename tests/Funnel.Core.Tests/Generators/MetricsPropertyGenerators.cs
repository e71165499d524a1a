using FsCheck;
using FsCheck.Fluent;
using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

/// <summary>Random journeys (built through the journey API) and queries for <see cref="MetricsPropertyTests"/>.</summary>
internal static class MetricsPropertyGenerators
{
    private static readonly string[] Stages = ["a", "b", "c", "d"];
    private static readonly string[] Reasons = ["price", "competitor"];
    private static readonly string[] Sources = ["seo", "ads", "mail", "tv"];

    internal static readonly FunnelQuery[] Queries =
    [
        FunnelQuery.Default,
        FunnelQuery.Default.Ordered(TimeSpan.FromHours(6)),
        FunnelQuery.Default.Ordered(TimeSpan.FromHours(6), AnchorMode.Latest),
        FunnelQuery.Default.Ordered(TimeSpan.FromHours(6), AnchorMode.Best),
        FunnelQuery.Default.AnyOrder(),
        FunnelQuery.Default.AnyOrder(CountMode.Totals),
        FunnelQuery.Default.PassThrough(),
        FunnelQuery.Default.WithTimeInStage(TimeInStageMode.LatestStay),
        FunnelQuery.Default.WithTimeInStage(TimeInStageMode.Cumulative, includeOpenStays: true).WithSilentAfter(TimeSpan.FromHours(3)),
        FunnelQuery.Default.WithAsOf(At(20)).EnteredBetween(At(0), At(48)),
    ];

    private static Gen<(int Kind, int Arg, int Delay)> OpGen =>
        from kind in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(2)), (1, Gen.Constant(3)))
        from arg in Gen.Choose(0, 3)
        from delay in Gen.Choose(0, 5)
        select (kind, arg, delay);

    private static Gen<Journey> JourneyGen(int id) =>
        from start in Gen.Choose(0, 24 * 40)
        from source in Gen.Elements(Sources)
        from ops in Gen.ListOf(OpGen)
        select Build($"j{id}", start, source, ops);

    internal static Gen<(List<Journey> Journeys, int Query, int Seed)> CaseGen =>
        from count in Gen.Choose(0, 25)
        from journeys in Gen.CollectToList(Enumerable.Range(0, count).Select(JourneyGen))
        from query in Gen.Choose(0, Queries.Length - 1)
        from seed in Gen.Choose(0, 1000)
        select (journeys, query, seed);

    private static Journey Build(string id, int startHour, string source, IEnumerable<(int Kind, int Arg, int Delay)> ops)
    {
        var journey = Journey.Start(Abcd, id, At(startHour), attributes: [KeyValuePair.Create("source", source), KeyValuePair.Create("owner", source)]);
        var t = (double)startHour;
        foreach (var (kind, arg, delay) in ops)
        {
            t += delay;
            var result = kind switch
            {
                0 => journey.MoveTo(Stages[arg], At(t)),
                1 => journey.MarkLost(Reasons[arg % 2], At(t)),
                2 => journey.Reopen(At(t)),
                _ => journey.MarkWon(At(t)),
            };
            if (result.Succeeded)
            {
                journey = result.Journey;
            }
        }

        return journey;
    }
}
