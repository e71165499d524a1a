using System.Collections.Immutable;

namespace Funnel.Core.Bulk;

/// <summary>
/// The four bulk outputs over an event log, exact integers following the canonical semantics (docs/bulk.md):
/// the ordered window funnel, the transition matrix with a lost column, time in stage, and losses by stage and
/// reason.
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class TransitionReport
{
    internal TransitionReport(
        int stageCount,
        int lossReasonCount,
        long windowSeconds,
        long eventCount,
        long entityCount,
        ImmutableArray<long> reached,
        CountMatrix transitions,
        ImmutableArray<StageTimeStatistics> timeInStage,
        CountMatrix losses)
    {
        StageCount = stageCount;
        LossReasonCount = lossReasonCount;
        WindowSeconds = windowSeconds;
        EventCount = eventCount;
        EntityCount = entityCount;
        Reached = reached;
        Transitions = transitions;
        TimeInStage = timeInStage;
        Losses = losses;
    }

    /// <summary>Gets the number of stages.</summary>
    public int StageCount { get; }

    /// <summary>Gets the number of loss reasons.</summary>
    public int LossReasonCount { get; }

    /// <summary>Gets the window of the ordered window funnel, in seconds (inclusive).</summary>
    public long WindowSeconds { get; }

    /// <summary>Gets the number of events analysed.</summary>
    public long EventCount { get; }

    /// <summary>Gets the number of distinct entities analysed.</summary>
    public long EntityCount { get; }

    /// <summary>
    /// Gets the ordered window funnel: <c>Reached[k]</c> is the number of entities that entered stage 0 and then
    /// stages 1..k in order within the window of that first entry (<c>Reached[0]</c>: entities that entered stage 0).
    /// </summary>
    public ImmutableArray<long> Reached { get; }

    /// <summary>
    /// Gets the transition matrix: <c>Transitions[a, b]</c> counts consecutive events of an entity from stage a to
    /// an entry into stage b; column <see cref="LostColumn"/> counts moves from stage a to a loss.
    /// </summary>
    public CountMatrix Transitions { get; }

    /// <summary>Gets the column of <see cref="Transitions"/> that counts losses (equal to <see cref="StageCount"/>).</summary>
    public int LostColumn => StageCount;

    /// <summary>Gets time in stage, one entry per stage ordinal.</summary>
    public ImmutableArray<StageTimeStatistics> TimeInStage { get; }

    /// <summary>
    /// Gets the losses: <c>Losses[stage, reason]</c> counts loss events by the stage of the entity's previous event
    /// (or the loss event's own stage when it is the entity's first event) and loss reason.
    /// </summary>
    public CountMatrix Losses { get; }
}
