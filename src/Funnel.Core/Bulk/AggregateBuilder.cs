using System.Collections.Immutable;
using System.Numerics;

namespace Funnel.Core.Bulk;

/// <summary>Mutable totals used while merging workers into an immutable <see cref="TransitionAggregate"/>.</summary>
internal sealed class AggregateBuilder
{
    public AggregateBuilder(int stages, int reasons)
    {
        Reached = new long[stages];
        Transitions = new long[(stages + 1) * (stages + 1)];
        Losses = new long[stages * reasons];
        LossesAfterLoss = new long[reasons];
        LossesAtUnknownStage = new long[reasons];
        Stays = new long[stages + 1];
        Totals = new Int128[stages + 1];
        LastEvents = new long[stages + 2];
        Small = new List<ReadOnlyMemory<uint>>[stages + 1];
        Large = new List<ReadOnlyMemory<long>>[stages + 1];
        for (var row = 0; row <= stages; row++)
        {
            Small[row] = [];
            Large[row] = [];
        }

        OptionalReached = new long[stages];
        FromAnchor = new List<long[]>[stages];
        FromPrevious = new List<long[]>[stages];
        for (var s = 0; s < stages; s++)
        {
            FromAnchor[s] = [];
            FromPrevious[s] = [];
        }
    }

    /// <summary>Leads dropped by exclusions (<see cref="LeadPass"/>).</summary>
    public long Excluded { get; set; }

    /// <summary>Per stage: leads whose counted attempt matched it (optional steps).</summary>
    public long[] OptionalReached { get; }

    /// <summary>Per step: time to convert from the anchor, in pieces.</summary>
    public List<long[]>[] FromAnchor { get; }

    /// <summary>Per step: time to convert from the previous step, in pieces.</summary>
    public List<long[]>[] FromPrevious { get; }

    public long[] Reached { get; }

    /// <summary>(stages + 1) x (stages + 1): rows the stages and "after a loss", columns the stages and "a loss".</summary>
    public long[] Transitions { get; }

    public long[] Losses { get; }

    public long[] LossesAfterLoss { get; }

    public long[] LossesAtUnknownStage { get; }

    /// <summary>Stays per row: the stages, then "after a loss".</summary>
    public long[] Stays { get; }

    public Int128[] Totals { get; }

    /// <summary>Entities by their last event, laid out as <see cref="EntityState.CountOutcomes"/> counts them.</summary>
    public long[] LastEvents { get; }

    public List<ReadOnlyMemory<uint>>[] Small { get; }

    public List<ReadOnlyMemory<long>>[] Large { get; }

    public long Events { get; set; }

    public long Entities { get; set; }

    /// <summary>Adds entities counted by last event and by window-funnel level (<see cref="EntityState.CountOutcomes"/>).</summary>
    public void AddOutcomes(long[] lastEvents, long[] levels)
    {
        for (var s = 0; s < LastEvents.Length; s++)
        {
            LastEvents[s] = checked(LastEvents[s] + lastEvents[s]);
        }

        // An entity at level L reached stages 0..L-1.
        var atOrAbove = 0L;
        for (var level = Reached.Length; level >= 1; level--)
        {
            atOrAbove = checked(atOrAbove + levels[level]);
            Reached[level - 1] = checked(Reached[level - 1] + atOrAbove);
        }
    }

    public ImmutableArray<DurationSet> BuildDurations()
    {
        var result = ImmutableArray.CreateBuilder<DurationSet>(Small.Length);
        for (var s = 0; s < Small.Length; s++)
        {
            result.Add(DurationSet.Create([.. Small[s]], [.. Large[s]]));
        }

        return result.MoveToImmutable();
    }
}
