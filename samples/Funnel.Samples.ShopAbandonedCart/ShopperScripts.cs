using Funnel.Core;

namespace Funnel.Samples.ShopAbandonedCart;

/// <summary>
/// The kinds of shoppers in the simulation, and how common each one is. The times assume a shopper lands between
/// 09:00 and 21:00 UTC: a cart filled then is idle for a whole day at the second nightly sweep (reminder e-mail) and
/// again at the third (lost as abandoned).
/// </summary>
public static class ShopperScripts
{
    private static readonly ShopperStep Looks = ShopperStep.Does(TimeSpan.FromMinutes(4), "product.viewed");
    private static readonly ShopperStep FillsCart = ShopperStep.Does(TimeSpan.FromMinutes(15), "cart.added");

    public static ShopperScript BuysAtOnce { get; } = new("buys at once", Looks, FillsCart, ShopperStep.Does(TimeSpan.FromMinutes(25), "order.paid"));

    public static ShopperScript BuysAfterReminder { get; } = new("buys after the reminder", Looks, FillsCart, ShopperStep.Does(TimeSpan.FromHours(45), "order.paid"));

    public static ShopperScript AbandonsCart { get; } = new("abandons the cart", Looks, FillsCart);

    public static ShopperScript ComesBackAfterWinBack { get; } = new(
        "comes back after the win-back e-mail",
        Looks,
        FillsCart,
        ShopperStep.Does(TimeSpan.FromDays(4), "email.opened"),
        ShopperStep.Does(TimeSpan.FromDays(4) + TimeSpan.FromMinutes(20), Storefront.CartRecovered),
        ShopperStep.Does(TimeSpan.FromDays(4) + TimeSpan.FromMinutes(30), "order.paid"));

    public static ShopperScript BuysElsewhere { get; } = new(
        "buys elsewhere", Looks, FillsCart, ShopperStep.Quits(TimeSpan.FromHours(46), LossReasonCatalog.Competitor, "Bought it in another shop"));

    public static ShopperScript PutOffByReviews { get; } = new(
        "put off by reviews", Looks, ShopperStep.Quits(TimeSpan.FromMinutes(30), LossReasonCatalog.Reputation, "The reviews put me off"));

    public static ShopperScript WindowShops { get; } = new("window-shops", Looks);

    public static ShopperScript Bounces { get; } = new("bounces");

    /// <summary>Picks a kind of shopper; out of every 20 shoppers, about as many as the weights below.</summary>
    public static ShopperScript Pick(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        (ShopperScript Script, int Weight)[] mix =
        [
            (BuysAtOnce, 4), (BuysAfterReminder, 3), (AbandonsCart, 3), (ComesBackAfterWinBack, 2),
            (BuysElsewhere, 2), (PutOffByReviews, 1), (WindowShops, 3), (Bounces, 2),
        ];
        var roll = random.Next(mix.Sum(m => m.Weight));
        foreach (var (script, weight) in mix)
        {
            if (roll < weight)
            {
                return script;
            }

            roll -= weight;
        }

        throw new InvalidOperationException("Unreachable: the roll is below the total weight.");
    }
}
