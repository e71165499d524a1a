using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Storage;

namespace Funnel.Storage.Internal;

/// <summary>
/// The numbers a push-down collects from the database (SQLite, PostgreSQL, ClickHouse), sized for a definition, and
/// the <see cref="TransitionReport"/> they make. Rows 0..k−1 of the per-row arrays are the stages, row k is "after a
/// loss" (the Lost row of the matrix, TimeAfterLoss).
/// </summary>
internal sealed class PushDownResult
{
    public PushDownResult(FunnelDefinition definition)
    {
        Definition = definition;
        StageCount = definition.Stages.Length;
        ReasonCount = definition.LossReasons.Length;
        var size = StageCount + 1;
        Reached = new long[StageCount];
        Transitions = new long[size * size];
        Counts = new long[size];
        Totals = new Int128[size];
        Medians = new long[size];
        Losses = new long[StageCount * ReasonCount];
        LossesAfterLoss = new long[ReasonCount];
        LossesAtUnknownStage = new long[ReasonCount];
        OpenAt = new long[StageCount];
    }

    public FunnelDefinition Definition { get; }

    public int StageCount { get; }

    public int ReasonCount { get; }

    /// <summary>Gets the number of rows (and columns) of the transition matrix: the stages and the Lost row.</summary>
    public int Size => StageCount + 1;

    public long Events { get; set; }

    public long Entities { get; set; }

    public long Won { get; set; }

    public long Lost { get; set; }

    public long[] Reached { get; }

    public long[] Transitions { get; }

    public long[] Counts { get; }

    public Int128[] Totals { get; }

    public long[] Medians { get; }

    /// <summary>Gets or initialises the upper medians per row, when the push-down computes them; without them the lower median stands in.</summary>
    public long[]? UpperMedians { get; init; }

    public long[] Losses { get; }

    public long[] LossesAfterLoss { get; }

    public long[] LossesAtUnknownStage { get; }

    public long[] OpenAt { get; }

    /// <summary>Builds the report; numbers that contradict each other are a storage failure, not the caller's error.</summary>
    /// <param name="windowSeconds">The window.</param>
    /// <param name="where">Where the numbers came from, for the message (empty, or a phrase such as " on server s").</param>
    public TransitionReport ToReport(long windowSeconds, string where = "")
    {
        try
        {
            var times = new StageTimeStatistics[Size];
            for (var s = 0; s < Size; s++)
            {
                times[s] = new StageTimeStatistics(s, Counts[s], Totals[s], Medians[s], UpperMedians?[s] ?? Medians[s]);
            }

            // Whole seconds as ticks: on net8.0 TimeSpan.FromSeconds has only the double overload, which is off by a
            // second near TimeSpan.MaxValue (the longest window); a whole-second window fits in ticks exactly.
            return TransitionReport.Create(
                FunnelShape.Of(Definition), TimeSpan.FromTicks(windowSeconds * TimeSpan.TicksPerSecond), Events, Entities, Reached, Transitions, times.AsSpan(0, StageCount), times[StageCount],
                Losses, LossesAfterLoss, LossesAtUnknownStage, Won, Lost, OpenAt);
        }
        catch (ArgumentException e)
        {
            // The statements read one snapshot, so numbers that contradict each other (TransitionReport.Create checks
            // them) point at the database or the push-down SQL, not at the caller's arguments.
            throw new FunnelStorageException($"The push-down over the event log of funnel '{Definition.Key}'{where} returned inconsistent numbers: {e.Message}", e);
        }
    }
}
