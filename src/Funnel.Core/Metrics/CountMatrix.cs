using System.Collections.Immutable;

namespace Funnel.Core.Metrics;

/// <summary>
/// A dense, read-only matrix of counts (rows × columns, row-major), such as <see cref="FunnelReport.Transitions"/>
/// (stage-or-lost × stage-or-lost) and <see cref="FunnelReport.LossesByStage"/> (stage × loss reason). Rows and columns
/// are ordinals (stage order, loss-reason index in the definition; "lost" is the ordinal after the last stage).
/// </summary>
/// <remarks>
/// <para>The bulk engine (<see cref="Bulk.TransitionReport"/>) returns the same type, so both reports compare directly.</para>
/// <para>Instances are immutable and thread-safe. Two matrices are equal when their shapes and all counts are equal.</para>
/// </remarks>
public sealed class CountMatrix : IEquatable<CountMatrix>
{
    private readonly ImmutableArray<long> _counts;

    internal CountMatrix(int rows, int columns, ImmutableArray<long> counts)
    {
        Rows = rows;
        Columns = columns;
        _counts = counts;
    }

    internal CountMatrix(int rows, int columns, long[] counts)
        : this(rows, columns, ImmutableArray.Create(counts))
    {
    }

    /// <summary>Gets the number of rows.</summary>
    public int Rows { get; }

    /// <summary>Gets the number of columns.</summary>
    public int Columns { get; }

    /// <summary>Gets every count, row by row (row-major).</summary>
    public ImmutableArray<long> Counts => _counts;

    /// <summary>Gets the sum of all counts.</summary>
    public long Total
    {
        get
        {
            var total = 0L;
            foreach (var c in _counts)
            {
                total += c;
            }

            return total;
        }
    }

    /// <summary>Gets one count.</summary>
    /// <param name="row">The row ordinal, 0..<see cref="Rows"/>−1.</param>
    /// <param name="column">The column ordinal, 0..<see cref="Columns"/>−1.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An ordinal is outside the matrix.</exception>
    public long this[int row, int column]
    {
        get
        {
            CheckRow(row);
            Guard.Against.IndexOutOfRange(column, Columns);
            return _counts[(row * Columns) + column];
        }
    }

    /// <summary>Gets one row.</summary>
    /// <param name="row">The row ordinal, 0..<see cref="Rows"/>−1.</param>
    /// <returns>The counts of the row.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside the matrix.</exception>
    public ReadOnlySpan<long> GetRow(int row)
    {
        CheckRow(row);
        return _counts.AsSpan().Slice(row * Columns, Columns);
    }

    /// <summary>Gets the sum of one row.</summary>
    /// <param name="row">The row ordinal.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside the matrix.</exception>
    public long RowTotal(int row)
    {
        var sum = 0L;
        foreach (var c in GetRow(row))
        {
            sum += c;
        }

        return sum;
    }

    /// <summary>Gets the sum of one column.</summary>
    /// <param name="column">The column ordinal.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="column"/> is outside the matrix.</exception>
    public long ColumnTotal(int column)
    {
        Guard.Against.IndexOutOfRange(column, Columns);
        var sum = 0L;
        for (var r = 0; r < Rows; r++)
        {
            sum += _counts[(r * Columns) + column];
        }

        return sum;
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

    private void CheckRow(int row)
    {
        Guard.Against.IndexOutOfRange(row, Rows);
    }
}
