using FsCheck;
using FsCheck.Fluent;
using Funnel.Core;
using Funnel.Core.Metrics;

namespace Funnel.Serialization.Json.Tests;

/// <summary>Generated event logs, played journeys and queries for the <see cref="FunnelJsonReportTests"/> properties.</summary>
internal static class ReportGenerators
{
    internal static readonly DateTimeOffset T0 = JsonGenerators.T0;

    internal static readonly FunnelQuery[] Queries =
    [
        FunnelQuery.Default,
        FunnelQuery.Default.Ordered(TimeSpan.FromHours(3).Add(TimeSpan.FromTicks(7)), AnchorMode.Best),
        FunnelQuery.Default.Ordered(TimeSpan.FromHours(2), AnchorMode.Latest).AnyOrder(CountMode.Totals),
        FunnelQuery.Default.PassThrough().WithTimeInStage(TimeInStageMode.Cumulative, includeOpenStays: true).WithSilentAfter(TimeSpan.FromHours(5)),
        FunnelQuery.Default.WithAsOf(T0.AddHours(10).ToOffset(TimeSpan.FromHours(2)))
            .EnteredBetween(T0.ToOffset(TimeSpan.FromHours(-5)), T0.AddDays(3)).WithConfidenceLevel(0.9).WithMinimumSample(3),
        FunnelQuery.Default.AnyOrder().WithTimeInStage(TimeInStageMode.LatestStay).WithMinimumSample(0),
    ];

    internal static Gen<FunnelEvent[]> EventLogs =>
        from entities in Gen.Choose(0, 40)
        from paths in Gen.ArrayOf(
            from length in Gen.Choose(1, 4)
            from lost in Gen.Elements(true, false)
            from reason in Gen.Elements("price", "competitor", "slow-response")
            from minutes in Gen.Choose(1, 5000)
            from odd in Gen.Frequency((6, Gen.Constant(OddLoss.None)), (1, Gen.Constant(OddLoss.First)), (1, Gen.Constant(OddLoss.Twice)))
            select (length, lost, reason, minutes, odd), entities)
        select paths.SelectMany((p, i) => Path(i, p.length, p.lost, p.reason, p.minutes, p.odd)).ToArray();

    /// <summary>Losses that count at no stage: a lead's first event, or a loss right after a loss.</summary>
    internal enum OddLoss
    {
        None,
        First,
        Twice,
    }

    internal static IEnumerable<FunnelEvent> Path(int entity, int length, bool lost, string reason, int minutes, OddLoss odd = OddLoss.None)
    {
        var at = JsonGenerators.T0.AddMinutes(entity * 7);
        var stages = FunnelTemplates.Aida.Stages;
        if (odd == OddLoss.First)
        {
            yield return new FunnelEvent($"e{entity}", stages[0].Key, at.AddMinutes(-1), reason);
        }

        for (var s = 0; s < length; s++)
        {
            yield return new FunnelEvent($"e{entity}", stages[s].Key, at, segment: entity % 2 == 0 ? "ads" : "seo");
            at = at.AddMinutes(minutes);
        }

        if (lost && length < stages.Length)
        {
            yield return new FunnelEvent($"e{entity}", stages[length - 1].Key, at, reason);
            if (odd == OddLoss.Twice)
            {
                yield return new FunnelEvent($"e{entity}", stages[length - 1].Key, at.AddMinutes(minutes), "competitor");
            }
        }
    }

    /// <summary>A template, up to 12 played journeys, an optional actor and a query index.</summary>
    internal static Gen<(FunnelDefinition definition, (int Kind, int Index, int Minutes)[][] plays, string? actor, int query)> JourneyCases =>
        from definition in Gen.Elements(FunnelTemplates.All.ToArray())
        from count in Gen.Choose(0, 12)
        from plays in Gen.ArrayOf(JourneyPlayGenerators.Operations, count)
        from actor in JsonGenerators.OptionalText
        from query in Gen.Choose(0, Queries.Length - 1)
        select (definition, plays, actor, query);
}
