using System.Collections.Immutable;
using Funnel.Core;

namespace Funnel.Samples.ShopAbandonedCart;

/// <summary>
/// How one kind of shopper behaves: steps at fixed times after landing, played in time order with the shop's
/// nightly idle sweep at 02:00 UTC. The same scripts drive the walkthrough and the simulation.
/// </summary>
/// <remarks>Immutable.</remarks>
public sealed class ShopperScript
{
    public ShopperScript(string name, params ShopperStep[] steps)
    {
        Name = name;
        Steps = [.. steps.OrderBy(s => s.After)];
    }

    /// <summary>Gets a short description, such as "buys at once".</summary>
    public string Name { get; }

    /// <summary>Gets the steps, in time order.</summary>
    public ImmutableArray<ShopperStep> Steps { get; }

    /// <summary>Plays the script for a shopper who has just landed, up to <paramref name="until"/>.</summary>
    /// <returns>The shopper's journey at the end.</returns>
    public Journey Play(Storefront shop, Journey shopper, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(shopper);
        var night = new DateTimeOffset(shopper.StartedAt.UtcDateTime.Date.AddDays(1).AddHours(2), TimeSpan.Zero);
        foreach (var step in Steps)
        {
            var at = shopper.StartedAt + step.After;
            if (at > until)
            {
                break;
            }

            for (; night <= at; night = night.AddDays(1))
            {
                shopper = shop.Sweep(shopper, night);
            }

            shopper = step.Apply(shop, shopper, at);
        }

        for (; night <= until && shopper.Status == JourneyStatus.Open; night = night.AddDays(1))
        {
            shopper = shop.Sweep(shopper, night);
        }

        return shopper;
    }
}
