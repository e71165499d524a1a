using Funnel.Core;

namespace Funnel.Samples.ShopAbandonedCart;

/// <summary>One thing a shopper does some time after landing: a storefront event, or an answer to the exit survey.</summary>
/// <remarks>Immutable.</remarks>
public sealed class ShopperStep
{
    private readonly string? _signal;
    private readonly LossReason? _reason;
    private readonly string? _answer;

    private ShopperStep(TimeSpan after, string? signal, LossReason? reason, string? answer)
    {
        After = after;
        _signal = signal;
        _reason = reason;
        _answer = answer;
    }

    /// <summary>Gets how long after landing the step happens.</summary>
    public TimeSpan After { get; }

    /// <summary>A storefront event, such as <c>cart.added</c>.</summary>
    public static ShopperStep Does(TimeSpan after, string signal) => new(after, signal, null, null);

    /// <summary>An answer to the exit survey: the shopper is lost for <paramref name="reason"/>.</summary>
    public static ShopperStep Quits(TimeSpan after, LossReason reason, string answer) => new(after, null, reason, answer);

    /// <summary>Carries the step out in the shop.</summary>
    public Journey Apply(Storefront shop, Journey shopper, DateTimeOffset at) =>
        _signal is not null ? shop.Signal(shopper, _signal, at) : shop.Quit(shopper, _reason!, at, _answer!);
}
