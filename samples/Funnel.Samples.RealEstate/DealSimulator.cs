using System.Collections.Immutable;
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Rules;

namespace Funnel.Samples.RealEstate;

/// <summary>
/// Simulates an agency's buyers through the real-estate pipeline, every change going through the agency's rule set.
/// Deterministic: a seeded <see cref="Random"/> and timestamps derived from a fixed start, never the clock.
/// </summary>
/// <remarks>
/// A small share of buyers is closed straight from the plans by a manager (a forced, audited skip); about half of those
/// deals collapse later, when the buyer finally sees the flat. Buyers whose next step would fall after the as-of time
/// stay open. A change the rules reject is a bug in the simulation and throws.
/// </remarks>
public static class DealSimulator
{
    /// <summary>The manager who may force a move past the rules.</summary>
    public const string Manager = "head-of-agency";

    private static readonly string[] Agents = ["anna", "boris", "carla"];
    private static readonly string[] Streets = ["Elm Street", "Harbour Road", "Mill Lane", "Park Avenue", "Station Square"];

    /// <summary>Simulates <paramref name="buyers"/> buyers, one arriving every 30 hours or so from <paramref name="start"/>.</summary>
    /// <param name="pipeline">The real-estate definition.</param>
    /// <param name="rules">The agency's rules; every change goes through them.</param>
    /// <param name="start">When the first buyer arrives.</param>
    /// <param name="asOf">The end of the simulation: later steps do not happen, such buyers stay open.</param>
    /// <param name="buyers">How many buyers.</param>
    /// <param name="seed">The random seed.</param>
    /// <returns>The journeys, in arrival order.</returns>
    public static ImmutableArray<Journey> Simulate(FunnelDefinition pipeline, RuleSet rules, DateTimeOffset start, DateTimeOffset asOf, int buyers, int seed)
    {
        var random = new Random(seed);
        var result = ImmutableArray.CreateBuilder<Journey>(buyers);
        for (var i = 0; i < buyers; i++)
        {
            var at = start.AddHours((i * 30) + random.Next(0, 8));
            var owner = Agents[i % Agents.Length];
            var journey = Journey.Start(pipeline, string.Create(CultureInfo.InvariantCulture, $"buyer-{i + 1:00}"), at, "website",
            [
                new("owner", owner),
                new("property", Address(random)),
            ]);
            result.Add(Follow(journey, rules, random, asOf, owner));
        }

        return result.MoveToImmutable();
    }

    private static Journey Follow(Journey journey, RuleSet rules, Random random, DateTimeOffset asOf, string owner)
    {
        var loopedBack = false;
        while (journey.Status == JourneyStatus.Open)
        {
            var stage = journey.CurrentStage.Key.Value;
            var at = journey.LastChangedAt.AddHours(stage switch
            {
                "processing" => random.Next(2, 48),
                "plans-sent" => random.Next(24, 6 * 24),
                "showing" => random.Next(48, 8 * 24),
                "second-showing" => random.Next(48, 10 * 24),
                _ => random.Next(72, 12 * 24),
            });
            if (at > asOf)
            {
                return journey; // still open at the as-of time
            }

            var roll = random.NextDouble();
            journey = stage switch
            {
                "processing" when roll < 0.10 => Unreachable(journey, rules, at, owner),
                "processing" when roll < 0.16 => Do(journey, rules, MoveRequest.Lost("not-qualified", at, owner, "Wants to rent, not to buy.")),
                "processing" => Do(journey, rules, MoveRequest.MoveTo("plans-sent", at, owner)),

                "plans-sent" when roll < 0.12 => ForcedDeal(journey, rules, random, at, asOf),
                "plans-sent" when roll < 0.24 => Do(journey, rules, MoveRequest.Lost("no-budget", at, owner, "Mortgage not approved.")),
                "plans-sent" => Do(Set(journey, "viewing-at", at), rules, MoveRequest.MoveTo("showing", at, owner)),

                "showing" when roll < 0.12 => Do(journey, rules, MoveRequest.Lost("price", at, owner, "Too expensive for the floor.")),
                "showing" when roll < 0.22 => Do(journey, rules, MoveRequest.Lost("competitor", at, owner, "Bought through another agency.")),
                "showing" when roll < 0.30 => Do(journey, rules, MoveRequest.Lost("slow-response", at, owner, "Stopped answering after the visit.")),
                "showing" => Do(Set(journey, "second-viewing-at", at), rules, MoveRequest.MoveTo("second-showing", at, owner)),

                "second-showing" when roll < 0.40 => Do(Set(journey, "agreed-price", Price(random)), rules, MoveRequest.MoveTo("deal", at, owner)),
                "second-showing" when roll < 0.70 => Do(journey.SetAttribute("alternative-property", Address(random)).Journey, rules, MoveRequest.MoveTo("alternative-offer", at, owner)),
                "second-showing" when roll < 0.85 => Do(journey, rules, MoveRequest.Lost("price", at, owner, "Seller would not come down.")),
                "second-showing" => Do(journey, rules, MoveRequest.Lost("competitor", at, owner, "Chose a new-build from the developer.")),

                "alternative-offer" when roll < 0.40 && !loopedBack => ShowAlternative(journey, rules, at, owner, ref loopedBack),
                "alternative-offer" when roll < 0.70 => Do(Set(journey, "agreed-price", Price(random)), rules, MoveRequest.MoveTo("deal", at, owner)),
                _ => Do(journey, rules, MoveRequest.Lost("price", at, owner, "The alternative is no better value.")),
            };
        }

        return journey;
    }

    // Three unanswered calls a few hours apart: the max-attempts rule marks the buyer lost as unreachable.
    private static Journey Unreachable(Journey journey, RuleSet rules, DateTimeOffset at, string owner)
    {
        for (var call = 0; call < 3 && journey.Status == JourneyStatus.Open; call++)
        {
            journey = Do(journey, rules, MoveRequest.Attempt(at.AddHours(call * 4), owner));
        }

        return journey;
    }

    // The buyer insists on signing from the plans; the manager forces the skip. Half of these deals collapse at the
    // first real visit, two to three weeks later (if that happens before the as-of time).
    private static Journey ForcedDeal(Journey journey, RuleSet rules, Random random, DateTimeOffset at, DateTimeOffset asOf)
    {
        journey = Do(
            Set(journey, "agreed-price", Price(random)),
            rules,
            MoveRequest.MoveTo("deal", at, Manager).ForcedBy(Manager, "Buyer insists on signing from the plans"));
        var collapseAt = at.AddDays(random.Next(14, 22));
        if (random.NextDouble() >= 0.5 || collapseAt > asOf)
        {
            return journey;
        }

        journey = Do(journey, rules, MoveRequest.Reopen(collapseAt, Manager, "Buyer withdrew after the first visit."));
        return Do(journey, rules, MoveRequest.Lost("incomplete-journey", collapseAt, Manager, "Saw the flat only after signing and withdrew."));
    }

    // The flat was sold meanwhile: the buyer is shown the alternative (a move back to showing, which the template allows once here).
    private static Journey ShowAlternative(Journey journey, RuleSet rules, DateTimeOffset at, string owner, ref bool loopedBack)
    {
        loopedBack = true;
        var alternative = journey.Attributes["alternative-property"];
        journey = journey.SetAttribute("property", alternative).Journey;
        return Do(Set(journey, "viewing-at", at), rules, MoveRequest.MoveTo("showing", at, owner));
    }

    private static Journey Do(Journey journey, RuleSet rules, MoveRequest request)
    {
        var run = rules.Run(journey, request);
        return run.Succeeded
            ? run.Journey
            : throw new InvalidOperationException($"The simulation broke a rule on {journey.Id}: {string.Join(" ", run.Violations)}");
    }

    private static Journey Set(Journey journey, string name, DateTimeOffset at) =>
        journey.SetAttribute(name, at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Journey;

    private static Journey Set(Journey journey, string name, string value) => journey.SetAttribute(name, value).Journey;

    private static string Address(Random random) =>
        string.Create(CultureInfo.InvariantCulture, $"{random.Next(1, 90)} {Streets[random.Next(Streets.Length)]}, flat {random.Next(1, 40)}");

    private static string Price(Random random) => (random.Next(180, 640) * 1000).ToString(CultureInfo.InvariantCulture);
}
