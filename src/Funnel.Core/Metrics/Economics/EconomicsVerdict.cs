namespace Funnel.Core.Metrics;

/// <summary>Whether a source (or the whole funnel) earns back what its leads cost.</summary>
public enum EconomicsVerdict
{
    /// <summary>No leads and no spend: nothing to judge. The <see langword="default"/>.</summary>
    NoData = 0,

    /// <summary>The margin of the won deals exceeds the spend.</summary>
    Profitable = 1,

    /// <summary>The margin of the won deals equals the spend.</summary>
    BreakEven = 2,

    /// <summary>The spend exceeds the margin of the won deals: the source works at a loss at its current conversion.</summary>
    LossMaking = 3,

    /// <summary>The source would work at a loss even if every lead bought (break-even conversion above 100%, or no positive margin).</summary>
    CannotBreakEven = 4,
}
