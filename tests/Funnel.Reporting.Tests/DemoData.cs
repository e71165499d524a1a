using Funnel.Core;
using Funnel.Core.Metrics;

namespace Funnel.Reporting.Tests;

/// <summary>A deterministic, realistic set of customer-journey leads from three sources over eight weeks.</summary>
internal static class DemoData
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static readonly (string Source, double Advance)[] Sources = [("ads", 0.55), ("seo", 0.68), ("email", 0.75)];

    public static FunnelDefinition Definition => FunnelTemplates.CustomerJourney;

    public static List<Journey> Journeys(int count = 600, int seed = 7)
    {
        var random = new Random(seed);
        var reasons = new[] { "price", "competitor", "slow-response", "abandoned-cart", "not-qualified" };
        var journeys = new List<Journey>(count);
        for (var i = 0; i < count; i++)
        {
            var (source, advance) = Sources[i % Sources.Length];
            var at = Start.AddHours(random.Next(0, 24 * 56));
            var journey = Journey.Start(Definition, $"lead-{i:D4}", at, attributes: [KeyValuePair.Create("source", source)]);
            foreach (var stage in Definition.Stages.Skip(1))
            {
                at = at.AddHours(random.Next(2, 96));
                if (random.NextDouble() > advance)
                {
                    if (journey.Status == JourneyStatus.Open && random.NextDouble() < 0.7)
                    {
                        journey = journey.MarkLost(reasons[random.Next(reasons.Length)], at).GetJourneyOrThrow();
                    }

                    break;
                }

                journey = journey.MoveTo(stage.Key, at).GetJourneyOrThrow();
            }

            journeys.Add(journey);
        }

        return journeys;
    }

    public static FunnelReport Report(List<Journey> journeys) => FunnelReport.Compute(Definition, journeys, FunnelQuery.Default.WithAsOf(Start.AddDays(90)));
}
