using System.Collections.Immutable;

namespace Funnel.Core;

/// <summary>
/// A standard catalog of loss reasons, ready to add to a definition with
/// <see cref="FunnelDefinitionBuilder.AddLossReasons(IEnumerable{LossReason})"/>.
/// </summary>
public static class LossReasonCatalog
{
    /// <summary>Gets the reason "Slow response": the target action was not done or was too slow (no call back, proposal never sent). Recoverable.</summary>
    public static LossReason SlowResponse { get; } = new("slow-response", "Slow response / no target action", LossCategory.NoTargetAction, isRecoverable: true);

    /// <summary>Gets the reason "Incomplete journey": nobody worked with the drop-out. Recoverable.</summary>
    public static LossReason IncompleteJourney { get; } = new("incomplete-journey", "Incomplete journey / drop-out not worked", LossCategory.IncompleteJourney, isRecoverable: true);

    /// <summary>Gets the reason "Abandoned cart": the lead left at checkout. Recoverable (an abandoned-cart e-mail, a discount).</summary>
    public static LossReason AbandonedCart { get; } = new("abandoned-cart", "Abandoned cart", LossCategory.IncompleteJourney, isRecoverable: true);

    /// <summary>Gets the reason "No sales standards": no scripts or standards were followed. Recoverable.</summary>
    public static LossReason NoSalesStandards { get; } = new("no-sales-standards", "No sales standards or scripts", LossCategory.NoSalesStandards, isRecoverable: true);

    /// <summary>Gets the reason "Reputation": bad reviews put the lead off. Not recoverable.</summary>
    public static LossReason Reputation { get; } = new("reputation", "Reputation / bad reviews", LossCategory.Reputation, isRecoverable: false);

    /// <summary>Gets the reason "Price": the price was too high. Recoverable (an offer, a discount).</summary>
    public static LossReason Price { get; } = new("price", "Price too high", LossCategory.Price, isRecoverable: true);

    /// <summary>Gets the reason "Competitor": the lead chose a competitor. Not recoverable.</summary>
    public static LossReason Competitor { get; } = new("competitor", "Chose a competitor", LossCategory.Competitor, isRecoverable: false);

    /// <summary>Gets the reason "No budget". Recoverable (later).</summary>
    public static LossReason NoBudget { get; } = new("no-budget", "No budget", LossCategory.NoBudget, isRecoverable: true);

    /// <summary>Gets the reason "Not qualified": not the target audience. Not recoverable.</summary>
    public static LossReason NotQualified { get; } = new("not-qualified", "Not qualified", LossCategory.NotQualified, isRecoverable: false);

    /// <summary>Gets the reason "Unreachable": the lead could not be contacted. Not recoverable.</summary>
    public static LossReason Unreachable { get; } = new("unreachable", "Unreachable", LossCategory.Unreachable, isRecoverable: false);

    /// <summary>Gets every reason of the standard catalog, in the order above.</summary>
    public static ImmutableArray<LossReason> Standard { get; } =
    [
        SlowResponse,
        IncompleteJourney,
        AbandonedCart,
        NoSalesStandards,
        Reputation,
        Price,
        Competitor,
        NoBudget,
        NotQualified,
        Unreachable,
    ];
}
