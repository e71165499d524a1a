using System.Collections.Immutable;
using Funnel.Core.Bulk;

namespace Funnel.Core.Metrics;

/// <summary>
/// What a reader of a report must know about the event log it was computed from: the moves between stages that the
/// definition does not allow, and the events dated before their lead entered the funnel.
/// </summary>
/// <remarks>
/// <para>A log may break its own definition (an export with back moves that the funnel declares forward-only) and the
/// metrics still count every move: the report is right about the data, but the data are not what the definition says.
/// This report names the difference instead of hiding it.</para>
/// <para>An event dated before the lead's first entry into the first stage is a negative time since the lead entered
/// the funnel, usually a wrong date in the export. The metrics order a lead's events by time, so such an event comes
/// first: when it is the lead's goal event, the lead ends at an earlier stage and counts as open (or lost), not won;
/// it shows in the report as a back move from the goal and as a lead "won at some time" only.
/// <see cref="LeadsWonOnlyBeforeEntry"/> counts those leads.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class DataQualityReport
{
    private DataQualityReport(
        FunnelDefinition definition,
        ImmutableArray<MoveCount> disallowedMoves,
        long eventsBeforeEntry,
        long leadsWithEventsBeforeEntry,
        long leadsWonOnlyBeforeEntry)
    {
        Definition = definition;
        DisallowedMoves = disallowedMoves;
        DisallowedMoveCount = disallowedMoves.Sum(m => m.Count);
        EventsBeforeEntry = eventsBeforeEntry;
        LeadsWithEventsBeforeEntry = leadsWithEventsBeforeEntry;
        LeadsWonOnlyBeforeEntry = leadsWonOnlyBeforeEntry;
    }

    /// <summary>Gets the definition the log was checked against.</summary>
    public FunnelDefinition Definition { get; }

    /// <summary>
    /// Gets every move between two stages that the definition does not allow
    /// (<see cref="FunnelDefinition.IsTransitionAllowed(int, int)"/>) and the log made at least once, the most frequent
    /// first (ties by stage order). Moves to and from a loss are not moves between stages and are not listed.
    /// </summary>
    public ImmutableArray<MoveCount> DisallowedMoves { get; }

    /// <summary>Gets the number of moves the definition does not allow: the sum of <see cref="DisallowedMoves"/>.</summary>
    public long DisallowedMoveCount { get; }

    /// <summary>
    /// Gets the number of events (entries and losses) dated strictly before their lead's first entry into the first
    /// stage. Leads that never enter the first stage have no entry date and are not checked.
    /// </summary>
    public long EventsBeforeEntry { get; }

    /// <summary>Gets the number of leads with at least one event in <see cref="EventsBeforeEntry"/>.</summary>
    public long LeadsWithEventsBeforeEntry { get; }

    /// <summary>
    /// Gets the number of leads that have an entry into the goal stage or a later stage dated before their first entry
    /// into the first stage and that are not won after their last event: ordered by time, their goal event comes first,
    /// so a deal won in the source system counts as open or lost in the report.
    /// </summary>
    public long LeadsWonOnlyBeforeEntry { get; }

    /// <summary>Gets a value indicating whether nothing was found: every move is allowed and no event precedes its lead's entry.</summary>
    public bool IsClean => DisallowedMoveCount == 0 && EventsBeforeEntry == 0;

    /// <summary>Gets the number of disallowed moves of one shape (for example every <see cref="TransitionKind.Back"/> move).</summary>
    /// <param name="kind">The shape.</param>
    /// <returns>The sum of the counts of <see cref="DisallowedMoves"/> of that shape.</returns>
    public long CountDisallowed(TransitionKind kind) => DisallowedMoves.Where(m => m.Kind == kind).Sum(m => m.Count);

    /// <summary>
    /// Checks an event log against its definition, given the transition matrix a report computed from the same log
    /// (<see cref="FunnelReport.Transitions"/> or <see cref="TransitionReport.Transitions"/>). Time is linear in the
    /// events plus the cells of the matrix; memory is linear in <see cref="TransitionLog.EntityIdLimit"/>.
    /// </summary>
    /// <param name="definition">The funnel the log was analysed with.</param>
    /// <param name="transitions">The transition matrix of the log: (stages + 1) × (stages + 1), the last row and column for losses.</param>
    /// <param name="log">The event log.</param>
    /// <returns>The findings.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The matrix is not (stages + 1) × (stages + 1), or the log has a stage ordinal the definition lacks.</exception>
    public static DataQualityReport Compute(FunnelDefinition definition, CountMatrix transitions, TransitionLog log)
    {
        Guard.Against.Null(definition);
        Guard.Against.Null(transitions);
        Guard.Against.Null(log);
        var n = definition.Stages.Length;
        if (transitions.Rows != n + 1 || transitions.Columns != n + 1)
        {
            throw new ArgumentException(
                $"The transition matrix is {transitions.Rows} × {transitions.Columns}, but funnel '{definition.Key}' has {n} stages, so it must be {n + 1} × {n + 1} (the last row and column for losses).",
                nameof(transitions));
        }

        if (log.StageLimit > n)
        {
            throw new ArgumentException($"The log has stage ordinals up to {log.StageLimit - 1}, but funnel '{definition.Key}' has {n} stages (0..{n - 1}).", nameof(log));
        }

        var moves = ImmutableArray.CreateBuilder<MoveCount>();
        for (var from = 0; from < n; from++)
        {
            for (var to = 0; to < n; to++)
            {
                var count = transitions[from, to];
                if (count > 0 && !definition.IsTransitionAllowed(from, to))
                {
                    moves.Add(new MoveCount(definition.Stages[from], definition.Stages[to], count));
                }
            }
        }

        // Stable sort: the most frequent first, ties in stage order as listed above.
        var sorted = moves.OrderByDescending(m => m.Count).ToImmutableArray();
        var (events, leads, wonBefore) = CheckEntryDates(definition, log);
        return new DataQualityReport(definition, sorted, events, leads, wonBefore);
    }

    /// <summary>Returns a summary of the findings.</summary>
    /// <returns>A text such as <c>customer-journey: 5604 disallowed moves, 0 events before entry (0 leads, 0 won only before entry)</c>.</returns>
    public override string ToString() =>
        $"{Definition.Key}: {DisallowedMoveCount} disallowed moves, {EventsBeforeEntry} events before entry ({LeadsWithEventsBeforeEntry} leads, {LeadsWonOnlyBeforeEntry} won only before entry)";

    private static (long Events, long Leads, long WonOnlyBefore) CheckEntryDates(FunnelDefinition definition, TransitionLog log)
    {
        var limit = log.EntityIdLimit;
        if (log.Count == 0 || limit == 0)
        {
            return (0, 0, 0);
        }

        var ids = log.EntityIds;
        var stages = log.Stages;
        var times = log.Timestamps;
        var reasons = log.LossReasons;
        var goal = definition.GoalStage.Order;

        // Pass 1, per lead: its first entry into the first stage, and its last event in the canonical order
        // (timestamp, then position in the log).
        var entry = new long[limit];
        Array.Fill(entry, long.MaxValue);
        var lastTime = new long[limit];
        Array.Fill(lastTime, long.MinValue);
        var lastWon = new bool[limit];
        for (var i = 0; i < log.Count; i++)
        {
            var id = ids[i];
            var isEntry = reasons[i] == TransitionLog.NoLossReason;
            if (isEntry && stages[i] == 0 && times[i] < entry[id])
            {
                entry[id] = times[i];
            }

            if (times[i] >= lastTime[id])
            {
                lastTime[id] = times[i];
                lastWon[id] = isEntry && stages[i] >= goal;
            }
        }

        // Pass 2: the events dated before their lead's entry (leads without an entry have no date to compare with).
        var flags = new byte[limit];
        const byte Early = 1, EarlyGoal = 2;
        long events = 0;
        for (var i = 0; i < log.Count; i++)
        {
            var id = ids[i];
            if (entry[id] != long.MaxValue && times[i] < entry[id])
            {
                events++;
                flags[id] |= reasons[i] == TransitionLog.NoLossReason && stages[i] >= goal ? (byte)(Early | EarlyGoal) : Early;
            }
        }

        long leads = 0, wonOnlyBefore = 0;
        for (var id = 0; id < limit; id++)
        {
            leads += flags[id] & Early;
            wonOnlyBefore += (flags[id] & EarlyGoal) != 0 && !lastWon[id] ? 1 : 0;
        }

        return (events, leads, wonOnlyBefore);
    }
}
