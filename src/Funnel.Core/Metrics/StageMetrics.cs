namespace Funnel.Core.Metrics;

/// <summary>The numbers of one stage in a <see cref="FunnelReport"/>.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class StageMetrics
{
    internal StageMetrics(
        Stage stage,
        long reached,
        long convertedToNext,
        Proportion conversionFromPrevious,
        Proportion? conversionFromTop,
        long dropped,
        long stillOpen,
        LossBreakdown losses,
        DurationSummary timeInStage)
    {
        Stage = stage;
        Reached = reached;
        ConvertedToNext = convertedToNext;
        ConversionFromPrevious = conversionFromPrevious;
        ConversionFromTop = conversionFromTop;
        Dropped = dropped;
        StillOpen = stillOpen;
        Losses = losses;
        TimeInStage = timeInStage;
    }

    /// <summary>Gets the stage.</summary>
    public Stage Stage { get; }

    /// <summary>Gets the leads that reached the stage under the query's <see cref="ReachMode"/> (entries under <see cref="CountMode.Totals"/>).</summary>
    public long Reached { get; }

    /// <summary>
    /// Gets the leads that reached this stage and the next one (under <see cref="CountMode.Totals"/>: the direct moves from
    /// this stage to the next). 0 for the last stage.
    /// </summary>
    public long ConvertedToNext { get; }

    /// <summary>
    /// Gets the conversion into this stage from the previous one: the previous stage's <see cref="ConvertedToNext"/> out of
    /// its <see cref="Reached"/>. For the first stage: the leads that reached it out of all leads in scope (0 of 0 under <see cref="CountMode.Totals"/>).
    /// </summary>
    public Proportion ConversionFromPrevious { get; }

    /// <summary>
    /// Gets the conversion from the top: the leads that reached the first stage and this one, out of those that reached
    /// the first stage. <see langword="null"/> under <see cref="CountMode.Totals"/>, where it is not a proportion.
    /// </summary>
    public Proportion? ConversionFromTop { get; }

    /// <summary>Gets the open leads now at this stage that went silent (no event for longer than <see cref="FunnelQuery.SilentAfter"/> at the as-of time).</summary>
    public long Dropped { get; }

    /// <summary>Gets the open leads now at this stage that are still active (not silent).</summary>
    public long StillOpen { get; }

    /// <summary>
    /// Gets the losses at this stage, by reason: the loss events whose previous event (of the same lead, in canonical
    /// order) is an entry into this stage. A loss after a loss and a loss that is a lead's first event count at no stage
    /// (<see cref="FunnelReport.LossesAfterLoss"/>, <see cref="FunnelReport.LossesAtUnknownStage"/>). A lead lost,
    /// reopened, moved and lost again counts twice.
    /// </summary>
    public LossBreakdown Losses { get; }

    /// <summary>
    /// Gets the time spent in the stage, sampled as the query's <see cref="TimeInStageMode"/> says: a stay lasts from an
    /// entry into the stage to the lead's next event of any kind. The time after a loss is in no stage
    /// (<see cref="FunnelReport.TimeAfterLoss"/>).
    /// </summary>
    public DurationSummary TimeInStage { get; }

    /// <summary>Returns the stage and its main numbers as text.</summary>
    /// <returns>A text such as <c>interest: reached 40, converted 12, lost 5</c>.</returns>
    public override string ToString() => $"{Stage.Key}: reached {Reached}, converted {ConvertedToNext}, lost {Losses.Total}";
}
