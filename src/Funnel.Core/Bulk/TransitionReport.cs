using System.Collections.Immutable;
using System.Globalization;
using System.Text;

using Funnel.Core.Metrics;

namespace Funnel.Core.Bulk;

/// <summary>
/// The bulk outputs over an event log, exact integers following the canonical semantics (docs/bulk.md):
/// the ordered window funnel, the transition matrix with a lost column, time in stage, losses by stage and
/// reason, and the entities' outcomes (won, lost, open by stage) judged by their last event.
/// </summary>
/// <remarks>
/// <para>The in-process engine (<see cref="TransitionAnalyzer"/>, <see cref="TransitionAggregate.ToReport"/>) and
/// SQL push-down (<see cref="Storage.EventLogStore.ComputeAggregatesAsync"/>) both return this type, so code that
/// reads the numbers does not change when the computation moves between the client and the database. Other engines
/// build it from their numbers with <see cref="Create"/>, which checks that they are consistent.</para>
/// <para>Two reports are equal when their shapes, goal, window, event and entity counts and every output are equal.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class TransitionReport : IEquatable<TransitionReport>
{
    internal TransitionReport(
        int stageCount,
        int goalStage,
        int lossReasonCount,
        long windowSeconds,
        long eventCount,
        long entityCount,
        ImmutableArray<long> reached,
        CountMatrix transitions,
        ImmutableArray<StageTimeStatistics> timeInStage,
        CountMatrix losses,
        long won,
        long lost,
        ImmutableArray<long> openAt)
    {
        StageCount = stageCount;
        GoalStage = goalStage;
        LossReasonCount = lossReasonCount;
        WindowSeconds = windowSeconds;
        EventCount = eventCount;
        EntityCount = entityCount;
        Reached = reached;
        Transitions = transitions;
        TimeInStage = timeInStage;
        Losses = losses;
        Won = won;
        Lost = lost;
        OpenAt = openAt;
    }

    /// <summary>Gets the number of stages.</summary>
    public int StageCount { get; }

    /// <summary>
    /// Gets the ordinal of the goal stage: an entity whose last event is an entry into this stage or a later one counts
    /// as <see cref="Won"/>.
    /// </summary>
    public int GoalStage { get; }

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

    /// <summary>
    /// Gets the number of won entities: those whose last event (in the canonical order: timestamp, ties by log position)
    /// is an entry into the <see cref="GoalStage"/> or a later stage.
    /// </summary>
    /// <remarks><see cref="Won"/> + <see cref="Lost"/> + the sum of <see cref="OpenAt"/> is <see cref="EntityCount"/>.</remarks>
    public long Won { get; }

    /// <summary>
    /// Gets the number of lost entities: those whose last event is a loss event. An entity lost, re-entered and lost
    /// again counts once here (and twice in <see cref="Losses"/>).
    /// </summary>
    public long Lost { get; }

    /// <summary>
    /// Gets the open entities by stage: <c>OpenAt[s]</c> counts the entities whose last event is an entry into stage s
    /// before the <see cref="GoalStage"/>; zero for the goal and later stages. One value per stage ordinal.
    /// </summary>
    public ImmutableArray<long> OpenAt { get; }

    /// <summary>
    /// Builds a report from numbers computed elsewhere — by a database (SQL push-down), another process, or a
    /// reference implementation — after checking that they have the right shape and are consistent with each
    /// other the way every log's outputs are. The spans are copied.
    /// </summary>
    /// <param name="stageCount">The number of stages; 1..32767.</param>
    /// <param name="goalStage">The ordinal of the goal stage; 0..<paramref name="stageCount"/> − 1.</param>
    /// <param name="lossReasonCount">The number of loss reasons; 0..32767.</param>
    /// <param name="windowSeconds">The window of the ordered window funnel in seconds (inclusive); not negative.</param>
    /// <param name="eventCount">The number of events analysed; not negative.</param>
    /// <param name="entityCount">The number of distinct entities analysed; 0..<paramref name="eventCount"/>, and at least 1 when there are events.</param>
    /// <param name="reached">The ordered window funnel, <paramref name="stageCount"/> values: not increasing, the first at most <paramref name="entityCount"/>.</param>
    /// <param name="transitions">
    /// The transition matrix, row-major, <paramref name="stageCount"/> × (<paramref name="stageCount"/> + 1); the last
    /// column counts moves to a loss. The total is <paramref name="eventCount"/> − <paramref name="entityCount"/> (one per
    /// pair of consecutive events), and row s totals <c>timeInStage[s].Count</c> (each pair is a stay in its first stage).
    /// </param>
    /// <param name="timeInStage">Time in stage, <paramref name="stageCount"/> values, value s for stage s; a median is at most its total.</param>
    /// <param name="losses">
    /// Losses, row-major, <paramref name="stageCount"/> × <paramref name="lossReasonCount"/>. The total is the lost
    /// column's total plus the number of entities whose first event is a loss, so it lies between that total and that
    /// total + <paramref name="entityCount"/>.
    /// </param>
    /// <param name="won">The entities whose last event is an entry into the goal or a later stage; not negative.</param>
    /// <param name="lost">The entities whose last event is a loss; not negative and at most the losses' total (each has a loss event).</param>
    /// <param name="openAt">
    /// The other entities by the stage of their last event, <paramref name="stageCount"/> values, zero from
    /// <paramref name="goalStage"/> on; <paramref name="won"/> + <paramref name="lost"/> + their sum is <paramref name="entityCount"/>.
    /// </param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count, the window or a span length is out of range, or a value is negative.</exception>
    /// <exception cref="ArgumentException">The numbers contradict each other (see the parameters).</exception>
    public static TransitionReport Create(
        int stageCount,
        int goalStage,
        int lossReasonCount,
        long windowSeconds,
        long eventCount,
        long entityCount,
        ReadOnlySpan<long> reached,
        ReadOnlySpan<long> transitions,
        ReadOnlySpan<StageTimeStatistics> timeInStage,
        ReadOnlySpan<long> losses,
        long won,
        long lost,
        ReadOnlySpan<long> openAt)
    {
        TransitionAnalyzer.Validate(stageCount, goalStage, lossReasonCount, windowSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(eventCount);
        ArgumentOutOfRangeException.ThrowIfNegative(entityCount);
        ArgumentOutOfRangeException.ThrowIfNegative(won);
        ArgumentOutOfRangeException.ThrowIfNegative(lost);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(entityCount, eventCount);
        if (eventCount > 0 && entityCount == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(entityCount), entityCount, $"{eventCount} events need at least one entity.");
        }

        var columns = stageCount + 1;
        CheckLength(reached.Length, stageCount, nameof(reached));
        CheckLength(transitions.Length, stageCount * columns, nameof(transitions));
        CheckLength(timeInStage.Length, stageCount, nameof(timeInStage));
        CheckLength(losses.Length, stageCount * lossReasonCount, nameof(losses));
        CheckLength(openAt.Length, stageCount, nameof(openAt));
        var transitionTotal = CheckedTotal(transitions, nameof(transitions));
        var lossTotal = CheckedTotal(losses, nameof(losses));
        CheckedTotal(reached, nameof(reached));
        var openTotal = CheckedTotal(openAt, nameof(openAt));

        for (var s = 0; s < stageCount; s++)
        {
            if (reached[s] > (s == 0 ? entityCount : reached[s - 1]))
            {
                throw new ArgumentException(
                    s == 0
                        ? $"reached[0] = {reached[0]} exceeds the {entityCount} entities."
                        : $"reached[{s}] = {reached[s]} exceeds reached[{s - 1}] = {reached[s - 1]}: an entity reaches a stage only after the ones before it.",
                    nameof(reached));
            }

            var time = timeInStage[s];
            if (time.Stage != s)
            {
                throw new ArgumentException($"timeInStage[{s}] describes stage {time.Stage}.", nameof(timeInStage));
            }

            if (time.MedianSeconds > time.TotalSeconds)
            {
                throw new ArgumentException($"timeInStage[{s}] has a median of {time.MedianSeconds} s above its total of {time.TotalSeconds} s.", nameof(timeInStage));
            }

            Int128 row = 0;
            foreach (var count in transitions.Slice(s * columns, columns))
            {
                row += count;
            }

            if (row != time.Count)
            {
                throw new ArgumentException($"Row {s} of the transitions totals {row}, but timeInStage[{s}] counts {time.Count} stays; both count the pairs of consecutive events that start in stage {s}.", nameof(transitions));
            }
        }

        if (transitionTotal != (Int128)eventCount - entityCount)
        {
            throw new ArgumentException($"The transitions total {transitionTotal}, but {eventCount} events of {entityCount} entities form {eventCount - entityCount} pairs of consecutive events.", nameof(transitions));
        }

        Int128 toLost = 0;
        for (var s = 0; s < stageCount; s++)
        {
            toLost += transitions[(s * columns) + stageCount];
        }

        if (lossTotal < toLost || lossTotal > toLost + entityCount)
        {
            throw new ArgumentException(
                $"The losses total {lossTotal}; with {toLost} moves to a loss and {entityCount} entities it must lie between {toLost} and {toLost + entityCount}.",
                nameof(losses));
        }

        CheckOutcomes(goalStage, entityCount, lossTotal, won, lost, openAt, openTotal);

        return new TransitionReport(
            stageCount,
            goalStage,
            lossReasonCount,
            windowSeconds,
            eventCount,
            entityCount,
            [.. reached],
            new CountMatrix(stageCount, columns, transitions.ToArray()),
            [.. timeInStage],
            new CountMatrix(stageCount, lossReasonCount, losses.ToArray()),
            won,
            lost,
            [.. openAt]);
    }

    /// <inheritdoc />
    public bool Equals(TransitionReport? other) =>
        other is not null
        && StageCount == other.StageCount
        && GoalStage == other.GoalStage
        && LossReasonCount == other.LossReasonCount
        && WindowSeconds == other.WindowSeconds
        && EventCount == other.EventCount
        && EntityCount == other.EntityCount
        && Reached.AsSpan().SequenceEqual(other.Reached.AsSpan())
        && Transitions.Equals(other.Transitions)
        && TimeInStage.AsSpan().SequenceEqual(other.TimeInStage.AsSpan())
        && Losses.Equals(other.Losses)
        && Won == other.Won
        && Lost == other.Lost
        && OpenAt.AsSpan().SequenceEqual(other.OpenAt.AsSpan());

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TransitionReport);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(StageCount);
        hash.Add(GoalStage);
        hash.Add(LossReasonCount);
        hash.Add(WindowSeconds);
        hash.Add(EventCount);
        hash.Add(EntityCount);
        hash.Add(Transitions);
        hash.Add(Won);
        hash.Add(Lost);
        return hash.ToHashCode();
    }

    /// <summary>Returns every number of the report as text, one stage per line; meant for logs and test failure messages.</summary>
    /// <returns>A multi-line text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"window {WindowSeconds} s, goal {GoalStage}, {EventCount} events, {EntityCount} entities, reached [{string.Join(", ", Reached)}], won {Won}, lost {Lost}");
        for (var s = 0; s < StageCount; s++)
        {
            text.AppendLine()
                .Append(CultureInfo.InvariantCulture, $"{TimeInStage[s]}; to [{string.Join(", ", Transitions.GetRow(s).ToArray())}]; losses [{string.Join(", ", Losses.GetRow(s).ToArray())}]; open {OpenAt[s]}");
        }

        return text.ToString();
    }

    private static void CheckOutcomes(int goalStage, long entityCount, Int128 lossTotal, long won, long lost, ReadOnlySpan<long> openAt, Int128 openTotal)
    {
        for (var s = goalStage; s < openAt.Length; s++)
        {
            if (openAt[s] != 0)
            {
                throw new ArgumentException($"openAt[{s}] = {openAt[s]}, but stage {s} is the goal stage {goalStage} or later: an entity whose last event enters it is won, not open.", nameof(openAt));
            }
        }

        if (lost > lossTotal)
        {
            throw new ArgumentException($"{lost} entities are lost, but there are only {lossTotal} loss events; a lost entity's last event is a loss.", nameof(lost));
        }

        if ((Int128)won + lost + openTotal != entityCount)
        {
            throw new ArgumentException($"{won} won + {lost} lost + {openTotal} open = {(Int128)won + lost + openTotal}, but there are {entityCount} entities; each has exactly one outcome.", nameof(openAt));
        }
    }

    private static void CheckLength(int length, int expected, string name)
    {
        if (length != expected)
        {
            throw new ArgumentOutOfRangeException(name, length, $"Expected {expected} values.");
        }
    }

    private static Int128 CheckedTotal(ReadOnlySpan<long> counts, string name)
    {
        Int128 total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] < 0)
            {
                throw new ArgumentOutOfRangeException(name, counts[i], $"Value {i} is negative; counts cannot be.");
            }

            total += counts[i];
        }

        return total;
    }
}
