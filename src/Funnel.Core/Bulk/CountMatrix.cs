using System.Collections.Immutable;

namespace Funnel.Core.Bulk;

/// <summary>An immutable dense matrix of counts (rows × columns, row-major), such as transitions or losses.</summary>
/// <remarks>Instances are immutable and thread-safe. Two matrices are equal when their shapes and every count are equal.</remarks>
public sealed class CountMatrix : IEquatable<CountMatrix>
{
    private readonly ImmutableArray<long> _counts;

    internal CountMatrix(int rows, int columns, ImmutableArray<long> counts)
    {
        Rows = rows;
        Columns = columns;
        _counts = counts;
    }

    /// <summary>Gets the number of rows.</summary>
    public int Rows { get; }

    /// <summary>Gets the number of columns.</summary>
    public int Columns { get; }

    /// <summary>Gets every count, row by row.</summary>
    public ImmutableArray<long> Counts => _counts;

    /// <summary>Gets the count at a row and column.</summary>
    /// <param name="row">The row, 0..<see cref="Rows"/>-1.</param>
    /// <param name="column">The column, 0..<see cref="Columns"/>-1.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The row or column is out of range.</exception>
    public long this[int row, int column]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(row);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
            ArgumentOutOfRangeException.ThrowIfNegative(column);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Columns);
            return _counts[(row * Columns) + column];
        }
    }

    /// <summary>Gets one row.</summary>
    /// <param name="row">The row, 0..<see cref="Rows"/>-1.</param>
    /// <returns>The counts of the row.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The row is out of range.</exception>
    public ReadOnlySpan<long> GetRow(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        return _counts.AsSpan().Slice(row * Columns, Columns);
    }

    /// <summary>Gets the sum of every count.</summary>
    public long Total
    {
        get
        {
            long total = 0;
            foreach (var c in _counts)
            {
                total += c;
            }

            return total;
        }
    }

    /// <inheritdoc />
    public bool Equals(CountMatrix? other) =>
        other is not null && Rows == other.Rows && Columns == other.Columns && _counts.AsSpan().SequenceEqual(other._counts.AsSpan());

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CountMatrix);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Rows, Columns, Total);

    /// <summary>Returns the matrix as text, one row per line.</summary>
    /// <returns>The counts separated by spaces.</returns>
    public override string ToString() =>
        string.Join(Environment.NewLine, Enumerable.Range(0, Rows).Select(r => string.Join(' ', GetRow(r).ToArray())));
}
