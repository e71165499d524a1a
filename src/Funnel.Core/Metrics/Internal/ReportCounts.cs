namespace Funnel.Core.Metrics;

/// <summary>
/// The independent numbers of a <see cref="FunnelReport"/>, from which <see cref="FunnelReport.Assemble"/> derives the
/// rest (leads, proportions, loss breakdowns). Per-stage arrays are in stage order; the matrices are row-major
/// (transitions: (stages + 1) × (stages + 1), the last row and column "lost"; losses: stages × loss reasons); the
/// losses after a loss and at an unknown stage have one count per loss reason. <c>ReachedFromTop</c> holds, per stage,
/// the leads that reached the first stage and this one; <see langword="null"/> under <see cref="CountMode.Totals"/>.
/// </summary>
internal sealed record ReportCounts(
    long Won,
    long EverWon,
    long LastStatusWon,
    long Lost,
    long Open,
    DurationSummary CycleTimeToWon,
    long[] Reached,
    long[] ConvertedToNext,
    long[]? ReachedFromTop,
    long[] Dropped,
    long[] StillOpen,
    DurationSummary[] TimeInStage,
    DurationSummary TimeAfterLoss,
    long[] Transitions,
    long[] LossesByStage,
    long[] LossesAfterLoss,
    long[] LossesAtUnknownStage,
    StepConversionTime[] ConversionTimes,
    long Excluded);
