namespace Funnel.Core.DuckDbTests;

/// <summary>
/// What DuckDB computes for one log, as plain arrays (n stages, r loss reasons). Row n of <see cref="Transitions"/>
/// is "after a loss" and column n "to a loss"; <see cref="Stays"/>, <see cref="Totals"/> and <see cref="Medians"/>
/// have rows 0..n, row n being the time after a loss.
/// </summary>
internal sealed record OracleResult(
    long Events,
    long Entities,
    long[] Reached,
    long[,] Transitions,
    long[] Stays,
    Int128[] Totals,
    long[] Medians,
    long[,] Losses,
    long[] LossesAfterLoss,
    long[] LossesAtUnknownStage,
    long Won,
    long Lost,
    long[] OpenAt)
{
    /// <summary>Creates an all-zero result for a funnel of <paramref name="stageCount"/> stages and <paramref name="reasonCount"/> loss reasons.</summary>
    public static OracleResult Zero(int stageCount, int reasonCount) => new(
        0,
        0,
        new long[stageCount],
        new long[stageCount + 1, stageCount + 1],
        new long[stageCount + 1],
        new Int128[stageCount + 1],
        new long[stageCount + 1],
        new long[stageCount, reasonCount],
        new long[reasonCount],
        new long[reasonCount],
        0,
        0,
        new long[stageCount]);
}
