namespace Funnel.Core.DuckDbTests;

/// <summary>Compares two <see cref="OracleResult"/>s number by number and names the first difference.</summary>
internal static class ResultDiff
{
    /// <summary>Returns the first difference as text (<c>Reached[2]: expected 3, actual 2</c>), or <see langword="null"/> when equal.</summary>
    public static string? First(OracleResult expected, OracleResult actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        return Scalar("Events", expected.Events, actual.Events)
            ?? Scalar("Entities", expected.Entities, actual.Entities)
            ?? Vector("Reached", expected.Reached, actual.Reached)
            ?? Matrix("Transitions", expected.Transitions, actual.Transitions)
            ?? Vector("Stays", expected.Stays, actual.Stays)
            ?? Vector("Totals", expected.Totals, actual.Totals)
            ?? Vector("Medians", expected.Medians, actual.Medians)
            ?? Matrix("Losses", expected.Losses, actual.Losses)
            ?? Vector("LossesAfterLoss", expected.LossesAfterLoss, actual.LossesAfterLoss)
            ?? Vector("LossesAtUnknownStage", expected.LossesAtUnknownStage, actual.LossesAtUnknownStage)
            ?? Scalar("Won", expected.Won, actual.Won)
            ?? Scalar("Lost", expected.Lost, actual.Lost)
            ?? Vector("OpenAt", expected.OpenAt, actual.OpenAt);
    }

    private static string? Scalar<T>(string name, T expected, T actual)
        where T : IEquatable<T> =>
        expected.Equals(actual) ? null : $"{name}: expected {expected}, actual {actual}";

    private static string? Vector<T>(string name, T[] expected, T[] actual)
        where T : IEquatable<T>
    {
        if (expected.Length != actual.Length)
        {
            return $"{name}: expected length {expected.Length}, actual {actual.Length}";
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if (!expected[i].Equals(actual[i]))
            {
                return $"{name}[{i}]: expected {expected[i]}, actual {actual[i]}";
            }
        }

        return null;
    }

    private static string? Matrix(string name, long[,] expected, long[,] actual)
    {
        if (expected.GetLength(0) != actual.GetLength(0) || expected.GetLength(1) != actual.GetLength(1))
        {
            return $"{name}: expected {expected.GetLength(0)}x{expected.GetLength(1)}, actual {actual.GetLength(0)}x{actual.GetLength(1)}";
        }

        for (var i = 0; i < expected.GetLength(0); i++)
        {
            for (var j = 0; j < expected.GetLength(1); j++)
            {
                if (expected[i, j] != actual[i, j])
                {
                    return $"{name}[{i}, {j}]: expected {expected[i, j]}, actual {actual[i, j]}";
                }
            }
        }

        return null;
    }
}
