namespace Funnel.Core;

/// <summary>Groups loss reasons by why the lead was lost.</summary>
public enum LossCategory
{
    /// <summary>Any other reason. The <see langword="default"/>.</summary>
    Other = 0,

    /// <summary>The target action was not done or was too slow: no call back, proposal never sent.</summary>
    NoTargetAction = 1,

    /// <summary>The journey was incomplete: nobody worked with the drop-out, abandoned cart.</summary>
    IncompleteJourney = 2,

    /// <summary>No sales standards or scripts.</summary>
    NoSalesStandards = 3,

    /// <summary>Reputation: bad reviews.</summary>
    Reputation = 4,

    /// <summary>The price was too high.</summary>
    Price = 5,

    /// <summary>The lead chose a competitor.</summary>
    Competitor = 6,

    /// <summary>The lead had no budget.</summary>
    NoBudget = 7,

    /// <summary>The lead was not qualified (not the target audience).</summary>
    NotQualified = 8,

    /// <summary>The lead could not be reached.</summary>
    Unreachable = 9,
}
