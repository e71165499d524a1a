namespace Funnel.Formats;

/// <summary>What a mapped column holds, as <see cref="RowDecoder"/> reads it.</summary>
internal enum ColumnKind
{
    /// <summary>Integers (any width); for the timestamp column, whole Unix seconds already converted from the file's unit.</summary>
    Integer,

    /// <summary>UTF-8 or UTF-16 text.</summary>
    Text,
}

/// <summary>
/// One mapped column of one batch (a Parquet row group, an Arrow record batch) as the shared row decoder sees it.
/// Each format adapter wraps its library's column in one of these; the decoder never sees a library type.
/// </summary>
internal abstract class ColumnView
{
    /// <summary>The state <see cref="ReadIntegers"/> gives a null row.</summary>
    public const byte IntegerNull = 1;

    /// <summary>The state <see cref="ReadIntegers"/> gives a row whose value does not fit a <see cref="long"/>.</summary>
    public const byte IntegerTooLarge = 2;

    /// <summary>Gets what the column holds.</summary>
    public abstract ColumnKind Kind { get; }

    /// <summary>Returns whether the value of a row is null.</summary>
    public abstract bool IsNull(int row);

    /// <summary>Reads an integer value; false when it does not fit an <see cref="long"/> (an unsigned 64-bit value above <see cref="long.MaxValue"/>).</summary>
    public virtual bool TryGetInteger(int row, out long value) => throw new InvalidOperationException("Not an integer column.");

    /// <summary>
    /// Reads the integers of the first <c>values.Length</c> rows in one pass: each row's state is 0 with its value,
    /// <see cref="IntegerNull"/> or <see cref="IntegerTooLarge"/>. Views that hold arrays override it with a tight loop.
    /// </summary>
    public virtual void ReadIntegers(Span<long> values, Span<byte> states)
    {
        for (var row = 0; row < values.Length; row++)
        {
            if (IsNull(row))
            {
                states[row] = IntegerNull;
                values[row] = 0;
            }
            else
            {
                states[row] = TryGetInteger(row, out values[row]) ? (byte)0 : IntegerTooLarge;
            }
        }
    }

    /// <summary>Reads a text value; the span is valid until the next call on this view.</summary>
    public virtual ReadOnlySpan<char> GetText(int row) => throw new InvalidOperationException("Not a text column.");
}
