using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Core.DuckDbTests;

/// <summary>Puts the engine's <see cref="TransitionReport"/> into the oracle's plain shape, so the two compare number by number.</summary>
internal static class EngineReport
{
    /// <summary>Runs the engine on a case.</summary>
    public static OracleResult Analyze(OracleCase c, int maxDegreeOfParallelism = -1) => ToResult(Analyzer(c, maxDegreeOfParallelism).Analyze(c.Log));

    /// <summary>Makes the engine's analyzer for a case, with the case's funnel modes (the defaults when it has none) and the given median.</summary>
    public static TransitionAnalyzer Analyzer(OracleCase c, int maxDegreeOfParallelism = -1, MedianKind median = MedianKind.Lower)
    {
        ArgumentNullException.ThrowIfNull(c);
        // A window past TimeSpan's range is longer than the whole timestamp range: TimeSpan.MaxValue means the same.
        var window = c.WindowSeconds >= (long)TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromSeconds(c.WindowSeconds);
        var modes = c.Modes ?? new OracleModes();
        var analyzer = new TransitionAnalyzer(new FunnelShape(c.StageCount, c.Goal, c.ReasonCount), window, maxDegreeOfParallelism)
        {
            // Order first: the analyzer checks the other options against it as they are set.
            Order = modes.Order,
            StepWindows = c.StepWindows is null
                ? []
                : [.. c.StepWindows.Select(w => w == long.MaxValue ? (TimeSpan?)null : TimeSpan.FromSeconds(w))],
            Anchor = modes.Anchor,
            Exclusions = [.. modes.Excluding],
            OptionalSteps = [.. modes.Optional],
            ConversionTimes = c.Modes is not null,
            ConversionTimeBins = modes.BinsOrAutomatic,
            Median = median,
        };
        return analyzer;
    }

    /// <summary>Converts a report; every array takes the report's own length, so a wrong shape shows as a difference.</summary>
    public static OracleResult ToResult(TransitionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = report.TimeInStage.Length + 1;
        var stays = new long[rows];
        var totals = new Int128[rows];
        var medians = new long[rows];
        for (var s = 0; s < rows; s++)
        {
            var statistics = s < report.TimeInStage.Length ? report.TimeInStage[s] : report.TimeAfterLoss;
            if (statistics.Stage != s)
            {
                throw new InvalidOperationException($"Time in stage row {s} says it is stage {statistics.Stage}.");
            }

            stays[s] = statistics.Count;
            totals[s] = statistics.TotalSeconds;
            medians[s] = statistics.MedianSeconds;
        }

        if (report.LostRow != report.StageCount || report.LostColumn != report.StageCount)
        {
            throw new InvalidOperationException($"LostRow {report.LostRow} and LostColumn {report.LostColumn} should be the stage count {report.StageCount}.");
        }

        return new OracleResult(
            report.EventCount,
            report.EntityCount,
            [.. report.Reached],
            ToArray(report.Transitions),
            stays,
            totals,
            medians,
            ToArray(report.Losses),
            [.. report.LossesAfterLoss],
            [.. report.LossesAtUnknownStage],
            report.Won,
            report.Lost,
            [.. report.OpenAt]);
    }

    private static long[,] ToArray(CountMatrix matrix)
    {
        var array = new long[matrix.Rows, matrix.Columns];
        for (var i = 0; i < matrix.Rows; i++)
        {
            for (var j = 0; j < matrix.Columns; j++)
            {
                array[i, j] = matrix[i, j];
            }
        }

        return array;
    }
}
