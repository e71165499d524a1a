using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Funnel.Core.Storage;

/// <summary>
/// The four canonical outputs over one funnel's event log, as computed by a store on the database server (SQL
/// push-down): the ordered window funnel, the transition matrix with a LOST column, time in stage, and losses by
/// stage and reason. Stage and reason indexes are <see cref="Stage.Order"/> and the index into
/// <see cref="FunnelDefinition.LossReasons"/>.
/// </summary>
/// <remarks>
/// <para>Semantics (shared with the in-memory engines): per entity, events are ordered by timestamp, ties keeping log
/// order. Funnel: anchored at the entity's first entry into stage 0 at t0; walking the later events, an entry into
/// stage <c>level</c> at t with t - t0 &lt;= window raises the level; <see cref="Reached"/>[k] counts entities
/// whose level exceeds k. Transitions and stays come from consecutive event pairs (a, b); losses count each loss
/// event at the stage of the entity's previous event (its own stage when it is the first).</para>
/// <para>Instances are immutable and thread-safe. Two instances are equal when every count is equal.</para>
/// </remarks>
public sealed class EventLogAggregates : IEquatable<EventLogAggregates>
{
    /// <summary>Creates the aggregates; used by store adapters and reference implementations.</summary>
    /// <param name="stageCount">The number of stages; at least 1.</param>
    /// <param name="reasonCount">The number of loss reasons; not negative.</param>
    /// <param name="window">The funnel window in seconds; not negative.</param>
    /// <param name="reached">Entities reaching each stage; <paramref name="stageCount"/> values.</param>
    /// <param name="transitions">Row-major <c>stageCount × (stageCount + 1)</c> counts; the last column is LOST.</param>
    /// <param name="stageTimes">Time in each stage; <paramref name="stageCount"/> values.</param>
    /// <param name="losses">Row-major <c>stageCount × reasonCount</c> counts.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count or length does not match.</exception>
    public EventLogAggregates(int stageCount, int reasonCount, long window, ImmutableArray<long> reached, ImmutableArray<long> transitions, ImmutableArray<StageTime> stageTimes, ImmutableArray<long> losses)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stageCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(reasonCount);
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        CheckLength(reached, stageCount, nameof(reached));
        CheckLength(transitions, stageCount * (stageCount + 1), nameof(transitions));
        CheckLength(stageTimes, stageCount, nameof(stageTimes));
        CheckLength(losses, stageCount * reasonCount, nameof(losses));
        StageCount = stageCount;
        ReasonCount = reasonCount;
        WindowSeconds = window;
        Reached = reached;
        Transitions = transitions;
        StageTimes = stageTimes;
        Losses = losses;
    }

    /// <summary>Gets the number of stages.</summary>
    public int StageCount { get; }

    /// <summary>Gets the number of loss reasons.</summary>
    public int ReasonCount { get; }

    /// <summary>Gets the funnel window in seconds (inclusive).</summary>
    public long WindowSeconds { get; }

    /// <summary>Gets the number of entities that reached each stage in the ordered window funnel.</summary>
    public ImmutableArray<long> Reached { get; }

    /// <summary>Gets the transition counts, row-major <c>StageCount × (StageCount + 1)</c>; column <see cref="LostColumn"/> counts moves into a loss.</summary>
    public ImmutableArray<long> Transitions { get; }

    /// <summary>Gets the column index of LOST in <see cref="Transitions"/>: <see cref="StageCount"/>.</summary>
    public int LostColumn => StageCount;

    /// <summary>Gets the time in each stage.</summary>
    public ImmutableArray<StageTime> StageTimes { get; }

    /// <summary>Gets the loss counts, row-major <c>StageCount × ReasonCount</c>.</summary>
    public ImmutableArray<long> Losses { get; }

    /// <summary>Gets the number of moves from one stage to another stage or to LOST.</summary>
    /// <param name="from">The stage ordinal.</param>
    /// <param name="to">The stage ordinal, or <see cref="LostColumn"/>.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public long GetTransitionCount(int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(from, StageCount);
        ArgumentOutOfRangeException.ThrowIfNegative(to);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, StageCount);
        return Transitions[(from * (StageCount + 1)) + to];
    }

    /// <summary>Gets the number of losses at a stage with a reason.</summary>
    /// <param name="stage">The stage ordinal.</param>
    /// <param name="reason">The reason ordinal.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public long GetLossCount(int stage, int reason)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stage);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(stage, StageCount);
        ArgumentOutOfRangeException.ThrowIfNegative(reason);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(reason, ReasonCount);
        return Losses[(stage * ReasonCount) + reason];
    }

    /// <inheritdoc />
    public bool Equals(EventLogAggregates? other) =>
        other is not null
        && StageCount == other.StageCount
        && ReasonCount == other.ReasonCount
        && WindowSeconds == other.WindowSeconds
        && Reached.SequenceEqual(other.Reached)
        && Transitions.SequenceEqual(other.Transitions)
        && StageTimes.SequenceEqual(other.StageTimes)
        && Losses.SequenceEqual(other.Losses);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EventLogAggregates);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StageCount, ReasonCount, WindowSeconds, Reached.Length > 0 ? Reached[0] : 0);

    /// <summary>Returns every count as text, for test failure messages and logs.</summary>
    /// <returns>A multi-line text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"window={WindowSeconds}s reached=[{string.Join(", ", Reached)}]").AppendLine();
        for (var s = 0; s < StageCount; s++)
        {
            text.Append(CultureInfo.InvariantCulture, $"stage {s}: to=[{string.Join(", ", Transitions.Skip(s * (StageCount + 1)).Take(StageCount + 1))}] time={StageTimes[s]} losses=[{string.Join(", ", Losses.Skip(s * ReasonCount).Take(ReasonCount))}]").AppendLine();
        }

        return text.ToString();
    }

    private static void CheckLength<T>(ImmutableArray<T> values, int length, string name)
    {
        if (values.IsDefault || values.Length != length)
        {
            throw new ArgumentOutOfRangeException(name, values.IsDefault ? 0 : values.Length, $"Expected {length} values.");
        }
    }
}
