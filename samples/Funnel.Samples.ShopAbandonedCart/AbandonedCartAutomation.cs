using System.Collections.Immutable;
using Funnel.Core;
using Funnel.Core.Rules;

namespace Funnel.Samples.ShopAbandonedCart;

/// <summary>
/// A custom automation for abandoned carts, on idle sweeps. A shopper idle in the cart stage past its idle limit
/// first gets a reminder e-mail (a notification addressed to the shopper). The shop records every e-mail it sends
/// as an attempt, which restarts the idle clock; a shopper still idle past the limit after the reminder is lost as
/// an abandoned cart. That second half is the built-in <see cref="IdleLimitRule"/>, used here as a building block.
/// Register it with <c>builder.AddAutomation("abandoned-cart", new AbandonedCartAutomation(shop.GetStage("desire")), SignalKinds.Idle)</c>.
/// </summary>
/// <remarks>Immutable: the only memory is the journey itself (its attempts), so one instance serves every shopper and thread.</remarks>
public sealed class AbandonedCartAutomation : IAutomation
{
    private readonly StageKey _cart;
    private readonly TimeSpan _limit;
    private readonly IdleLimitRule _giveUp;

    /// <param name="cart">The cart stage, taken from the definition so that a typo fails at start-up.</param>
    /// <param name="limit">How long a cart may sit idle; <see langword="null"/> for the stage's own idle limit.</param>
    public AbandonedCartAutomation(Stage cart, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(cart);
        _cart = cart.Key;
        _giveUp = new IdleLimitRule(new IdleLimitOptions
        {
            Action = IdleAction.MarkLost,
            LossReason = LossReasonCatalog.AbandonedCart.Key, // recoverable, so the retargeting rule will follow up
            Stages = [cart.Key],
            Limits = limit is null
                ? ImmutableDictionary<StageKey, TimeSpan>.Empty
                : ImmutableDictionary<StageKey, TimeSpan>.Empty.Add(cart.Key, limit.Value),
        });
        _limit = _giveUp.GetLimit(cart)
            ?? throw new ArgumentException($"Stage '{cart.Key}' has no idle limit of its own: pass one.", nameof(limit));
    }

    public ImmutableArray<RuleCommand> React(in AutomationArguments arguments)
    {
        var shopper = arguments.Journey;
        if (shopper.GetAttempts(_cart) > 0)
        {
            return _giveUp.React(arguments); // reminded already: idle past the limit again means abandoned
        }

        if (arguments.Signal.Kind != SignalKinds.Idle
            || shopper.Status != JourneyStatus.Open
            || shopper.CurrentStage.Key != _cart
            || arguments.At - shopper.LastChangedAt < _limit)
        {
            return [];
        }

        var email = shopper.Attributes.GetValueOrDefault("email", shopper.Id);
        var items = shopper.Attributes.GetValueOrDefault("cart", "something");
        return [arguments.Notify(email, $"You left {items} in your cart. It is saved for you.")];
    }
}
