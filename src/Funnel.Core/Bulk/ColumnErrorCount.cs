namespace Funnel.Core.Bulk;

/// <summary>How many rows of a read were rejected for a fault in one column (<see cref="TransitionLogCsvResult.ErrorCountsByColumn"/>, <see cref="TransitionLogReadResult.ErrorCountsByColumn"/>).</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class ColumnErrorCount
{
    /// <summary>Creates a count.</summary>
    /// <param name="column">The column's name as the file writes it, or <see langword="null"/> for the rows bad as a whole (and the CSV fields beyond the header).</param>
    /// <param name="rows">The number of rows rejected for this column.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is below 1.</exception>
    public ColumnErrorCount(string? column, long rows)
    {
        Guard.Against.NegativeOrZero(rows);
        Column = column;
        Rows = rows;
    }

    /// <summary>Gets the column's name as the file writes it, or <see langword="null"/> for the rows bad as a whole (a wrong field count, an empty line, a quote never closed, a row too long) and the CSV fields beyond the header.</summary>
    public string? Column { get; }

    /// <summary>Gets the number of rows rejected for this column.</summary>
    public long Rows { get; }

    /// <summary>Returns the count as text.</summary>
    /// <returns>A text such as <c>stage: 12 rows</c> or <c>(whole row): 1 row</c>.</returns>
    public override string ToString() => $"{Column ?? "(whole row)"}: {Rows} {(Rows == 1 ? "row" : "rows")}";
}
