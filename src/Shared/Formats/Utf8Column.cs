using System.Buffers;
using System.Text;

namespace Funnel.Formats;

/// <summary>
/// A text column held as UTF-8 bytes: each row's value is a slice of one byte buffer (its start and length, length -1
/// for null), and a row whose value came from a dictionary also has the index of its entry, so that a decoder can
/// resolve each distinct entry once. The buffers are rented from <see cref="ArrayPool{T}.Shared"/> and returned by
/// <see cref="Dispose"/>. Text is decoded from UTF-8 as <see cref="Encoding.UTF8"/> does (an invalid sequence becomes
/// U+FFFD), the same as the readers this column replaces.
/// </summary>
internal sealed class Utf8Column : ColumnView, IDisposable
{
    private char[] _chars = new char[64];

    /// <summary>Creates a column over rented buffers, taken over by the column.</summary>
    public Utf8Column(byte[] bytes, int[] starts, int[] lengths, int[]? entries, int dictionarySize, int rows)
    {
        Bytes = bytes;
        Starts = starts;
        Lengths = lengths;
        Entries = entries;
        DictionarySize = dictionarySize;
        Rows = rows;
    }

    /// <summary>Gets the buffer that holds every value.</summary>
    public byte[] Bytes { get; }

    /// <summary>Gets the start of each row's value in <see cref="Bytes"/>.</summary>
    public int[] Starts { get; }

    /// <summary>Gets the length of each row's value in bytes, -1 for null.</summary>
    public int[] Lengths { get; }

    /// <summary>Gets each row's dictionary entry (0 to <see cref="DictionarySize"/> - 1), -1 for a value that is not from the dictionary; null when no row is.</summary>
    public int[]? Entries { get; }

    /// <summary>Gets the number of dictionary entries.</summary>
    public int DictionarySize { get; }

    /// <summary>Gets the number of rows.</summary>
    public int Rows { get; }

    public override ColumnKind Kind => ColumnKind.Text;

    public override bool IsNull(int row) => Lengths[row] < 0;

    /// <summary>The UTF-8 bytes of a row that is not null.</summary>
    public ReadOnlySpan<byte> GetBytes(int row) => Bytes.AsSpan(Starts[row], Lengths[row]);

    public override ReadOnlySpan<char> GetText(int row) => Decode(GetBytes(row));

    /// <summary>Decodes UTF-8 bytes into this column's reusable buffer; valid until the next call.</summary>
    public ReadOnlySpan<char> Decode(ReadOnlySpan<byte> bytes)
    {
        var count = Encoding.UTF8.GetMaxCharCount(bytes.Length);
        if (_chars.Length < count)
        {
            _chars = new char[Math.Max(count, _chars.Length * 2)];
        }

        return _chars.AsSpan(0, Encoding.UTF8.GetChars(bytes, _chars));
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(Bytes);
        ArrayPool<int>.Shared.Return(Starts);
        ArrayPool<int>.Shared.Return(Lengths);
        if (Entries is not null)
        {
            ArrayPool<int>.Shared.Return(Entries);
        }
    }
}
