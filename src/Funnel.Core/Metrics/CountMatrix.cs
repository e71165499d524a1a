using System.Collections.Immutable;
using System.Text;

namespace Funnel.Core.Metrics;

/// <summary>
/// A dense, read-only matrix of counts, such as <see cref="FunnelReport.Transitions"/> (stage × stage-or-lost) and
/// <see cref="FunnelReport.LossesByStage"/> (stage × loss reason). Rows and columns are ordinals (stage order, loss-reason
/// index in the definition).
/// </summary>
/// <remarks>Instances are immutable and thread-safe. Two matrices are equal when their shapes and all counts are equal.</remarks>
public sealed class CountMatrix : IEquatable<CountMatrix>
{
    internal CountMatrix(int rows, int columns, long[] values)
    {
        RowCount = rows;
        ColumnCount = columns;
        Values = ImmutableArray.Create(values);
    }

    /// <summary>Gets the number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Gets the number of columns.</summary>
    public int ColumnCount { get; }

    /// <summary>Gets every count, row by row (row-major).</summary>
    public ImmutableArray<long> Values { get; }

    /// <summary>Gets the sum of all counts.</summary>
    public long Total => Values.Sum();

    /// <summary>Gets one count.</summary>
    /// <param name="row">The row ordinal.</param>
    /// <param name="column">The column ordinal.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An ordinal is outside the matrix.</exception>
    public long this[int row, int column]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(row);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
            ArgumentOutOfRangeException.ThrowIfNegative(column);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, ColumnCount);
            return Values[(row * ColumnCount) + column];
        }
    }

    /// <summary>Gets the sum of one row.</summary>
    /// <param name="row">The row ordinal.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside the matrix.</exception>
    public long RowTotal(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
        var sum = 0L;
        for (var c = 0; c < ColumnCount; c++)
        {
            sum += Values[(row * ColumnCount) + c];
        }

        return sum;
    }

    /// <summary>Gets the sum of one column.</summary>
    /// <param name="column">The column ordinal.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="column"/> is outside the matrix.</exception>
    public long ColumnTotal(int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, ColumnCount);
        var sum = 0L;
        for (var r = 0; r < RowCount; r++)
        {
            sum += Values[(r * ColumnCount) + column];
        }

        return sum;
    }

    /// <inheritdoc />
    public bool Equals(CountMatrix? other) =>
        other is not null && RowCount == other.RowCount && ColumnCount == other.ColumnCount && Values.SequenceEqual(other.Values);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CountMatrix);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(RowCount, ColumnCount, Total);

    /// <summary>Returns the matrix as text, one line per row.</summary>
    /// <returns>Rows of space-separated counts.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        for (var r = 0; r < RowCount; r++)
        {
            text.AppendJoin(' ', Values.Skip(r * ColumnCount).Take(ColumnCount)).AppendLine();
        }

        return text.ToString();
    }
}
