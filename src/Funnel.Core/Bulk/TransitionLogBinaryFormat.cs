using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Funnel.Core.Bulk;

/// <summary>
/// Reads and writes the little-endian binary columnar file format of a <see cref="TransitionLog"/> (the fast path:
/// a file is read with a few bulk copies per column). The format is specified in docs/bulk.md:
/// a 24-byte header (magic <c>FUNNELTL</c>, version 1 as uint16, flags as uint16 with bit 0 = segment column,
/// 4 reserved zero bytes, event count as int64), then the columns one after the other: entity ids (int32),
/// stages (int16), timestamps (int64 Unix seconds), loss reasons (int16, -1 = none) and, with flag bit 0,
/// segments (int32, -1 = none). Nothing follows the last column.
/// </summary>
/// <remarks>This type is stateless and thread-safe.</remarks>
public static class TransitionLogBinaryFormat
{
    /// <summary>The current (and only) format version.</summary>
    public const ushort Version = 1;

    /// <summary>The size of the header in bytes.</summary>
    public const int HeaderSize = 24;

    private const ushort SegmentFlag = 1;

    // The columns in file order, their names in messages and their value sizes.
    private const int EntityColumn = 0;
    private const int StageColumn = 1;
    private const int TimestampColumn = 2;
    private const int LossReasonColumn = 3;
    private const int SegmentColumn = 4;

    /// <summary>The most values copied at once: 16 Mi values, at most 128 MiB, so that a byte span never overflows.</summary>
    private const int ValuesPerCopy = 1 << 24;

    /// <summary>The first allocation of a column whose count the stream's length could not confirm.</summary>
    private const int ValuesBeforeGrowing = 1 << 16;

    private static readonly string[] Names = ["entity id", "stage", "timestamp", "loss reason", "segment"];

    /// <summary>Gets the 8 magic bytes that start every file: ASCII <c>FUNNELTL</c>.</summary>
    public static ReadOnlySpan<byte> Magic => "FUNNELTL"u8;

    /// <summary>Writes a log to a stream.</summary>
    /// <param name="log">The log.</param>
    /// <param name="stream">A writable stream; left open.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static void Write(TransitionLog log, Stream stream)
    {
        Guard.Against.Null(log);
        Guard.Against.Null(stream);
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], log.HasSegments ? SegmentFlag : (ushort)0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], log.Count);
        stream.Write(header);
        WriteColumn(stream, log.EntityIds);
        WriteColumn(stream, log.Stages);
        WriteColumn(stream, log.Timestamps);
        WriteColumn(stream, log.LossReasons);
        if (log.HasSegments)
        {
            WriteColumn(stream, log.Segments);
        }
    }

    /// <summary>Writes a log to a file, replacing it.</summary>
    /// <param name="log">The log.</param>
    /// <param name="path">The file path.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static void WriteFile(TransitionLog log, string path)
    {
        Guard.Against.Null(path);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(log, stream);
    }

    /// <summary>Reads a log from a stream.</summary>
    /// <param name="stream">A readable stream positioned at the header; read to its end.</param>
    /// <returns>The log.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="TransitionLogFormatException">The data is not a valid transition log file (the message names the byte offset or row).</exception>
    public static TransitionLog Read(Stream stream)
    {
        Guard.Against.Null(stream);
        Span<byte> header = stackalloc byte[HeaderSize];
        var got = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        if (got < Magic.Length || !header[..Magic.Length].SequenceEqual(Magic))
        {
            throw new TransitionLogFormatException(
                $"Not a transition log file: it does not start with the magic bytes 'FUNNELTL' (found '{Encoding.ASCII.GetString(header[..Math.Min(got, Magic.Length)])}').", 0);
        }

        if (got < HeaderSize)
        {
            throw new TransitionLogFormatException($"The file ends inside the {HeaderSize}-byte header, after {got} bytes.", got);
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (version != Version)
        {
            throw new TransitionLogFormatException($"Unsupported transition log file version {version}; this library reads version {Version}.", 8);
        }

        var flags = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        if ((flags & ~SegmentFlag) != 0)
        {
            throw new TransitionLogFormatException($"Unknown flags 0x{flags:X4} in the header; only bit 0 (segment column) is defined.", 10);
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != 0)
        {
            throw new TransitionLogFormatException("The reserved header bytes 12..15 must be zero.", 12);
        }

        var count = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        if (count < 0 || count > Array.MaxLength)
        {
            throw new TransitionLogFormatException(
                $"The event count {count} is out of range 0..{Array.MaxLength} (Array.MaxLength, the most events a TransitionLog holds).", 16);
        }

        var n = (int)count;
        var layout = new ColumnLayout(n, (flags & SegmentFlag) != 0);

        // Before allocating anything: a stream that knows its length must hold exactly the columns the header
        // announces, so a header that claims more rows than the file has fails at once instead of allocating for them.
        var sized = TryGetRemaining(stream, out var remaining);
        if (sized && remaining != layout.ColumnBytes)
        {
            throw remaining < layout.ColumnBytes
                ? layout.EndsAt(HeaderSize + remaining)
                : Trailing(layout.End, n);
        }

        long offset = HeaderSize;
        var entities = ReadColumn<int>(stream, layout, EntityColumn, sized, ref offset);
        var stages = ReadColumn<short>(stream, layout, StageColumn, sized, ref offset);
        var times = ReadColumn<long>(stream, layout, TimestampColumn, sized, ref offset);
        var reasons = ReadColumn<short>(stream, layout, LossReasonColumn, sized, ref offset);
        var segments = layout.HasSegments ? ReadColumn<int>(stream, layout, SegmentColumn, sized, ref offset) : null;
        Span<byte> extra = stackalloc byte[1];
        if (stream.Read(extra) != 0)
        {
            throw Trailing(offset, n);
        }

        try
        {
            return TransitionLog.Wrap(entities, stages, times, reasons, segments, n);
        }
        catch (ArgumentException ex) when (ex.Data[TransitionLog.InvalidRowKey] is int row)
        {
            var column = ex.ParamName switch
            {
                "entityIds" => EntityColumn,
                "stages" => StageColumn,
                "timestamps" => TimestampColumn,
                "lossReasons" => LossReasonColumn,
                _ => SegmentColumn,
            };
            var at = layout.Start(column) + ((long)row * ColumnLayout.Size(column));
            throw new TransitionLogFormatException($"Invalid value in the {Names[column]} column at byte {at}: {ex.Message}", at, innerException: ex);
        }
    }

    /// <summary>Reads a log from a file.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The log.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="TransitionLogFormatException">The file is not a valid transition log file.</exception>
    public static TransitionLog ReadFile(string path)
    {
        Guard.Against.Null(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream);
    }

    private static void WriteColumn<T>(Stream stream, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        // In slices: the bytes of a whole column can exceed int.MaxValue (268,435,456 timestamps are 2 GiB).
        for (var start = 0; start < values.Length; start += ValuesPerCopy)
        {
            var slice = values.Slice(start, Math.Min(ValuesPerCopy, values.Length - start));
            if (BitConverter.IsLittleEndian)
            {
                stream.Write(MemoryMarshal.AsBytes(slice));
                continue;
            }

            var copy = slice.ToArray();
            ReverseEndianness(copy.AsSpan());
            stream.Write(MemoryMarshal.AsBytes(copy.AsSpan()));
        }
    }

    /// <summary>The bytes left in a stream that knows its length; <see langword="false"/> for a stream that does not.</summary>
    private static bool TryGetRemaining(Stream stream, out long remaining)
    {
        remaining = 0;
        if (!stream.CanSeek)
        {
            return false;
        }

        try
        {
            remaining = Math.Max(0, stream.Length - stream.Position);
            return true;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    private static TransitionLogFormatException Trailing(long offset, int count) =>
        new($"Unexpected data after the last column at byte {offset}; the header announces {count} events.", offset);

    /// <summary>
    /// Reads one column. Its array is sized by the header's count only when the stream's length confirmed that count
    /// (<paramref name="sized"/>); otherwise it grows with the data read, so that a header that lies costs no more
    /// memory than the bytes that are really there. Reads go in slices whose byte length fits an <see cref="int"/>.
    /// </summary>
    private static T[] ReadColumn<T>(Stream stream, ColumnLayout layout, int column, bool sized, ref long offset)
        where T : unmanaged
    {
        var count = layout.Count;
        var values = GC.AllocateUninitializedArray<T>(sized ? count : Math.Min(count, ValuesBeforeGrowing));
        var read = 0;
        while (read < count)
        {
            if (read == values.Length)
            {
                Array.Resize(ref values, (int)Math.Min(count, 2L * values.Length));
            }

            var take = Math.Min(values.Length - read, ValuesPerCopy);
            var bytes = MemoryMarshal.AsBytes(values.AsSpan(read, take));
            var got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (got < bytes.Length)
            {
                throw layout.EndsAt(offset + ((long)read * ColumnLayout.Size(column)) + got);
            }

            read += take;
        }

        offset += (long)count * ColumnLayout.Size(column);
        if (!BitConverter.IsLittleEndian)
        {
            ReverseEndianness(values.AsSpan());
        }

        return values;
    }

    private static void ReverseEndianness<T>(Span<T> values)
        where T : unmanaged
    {
        if (typeof(T) == typeof(int))
        {
            var ints = MemoryMarshal.Cast<T, int>(values);
            BinaryPrimitives.ReverseEndianness(ints, ints);
        }
        else if (typeof(T) == typeof(short))
        {
            var shorts = MemoryMarshal.Cast<T, short>(values);
            BinaryPrimitives.ReverseEndianness(shorts, shorts);
        }
        else
        {
            var longs = MemoryMarshal.Cast<T, long>(values);
            BinaryPrimitives.ReverseEndianness(longs, longs);
        }
    }

    /// <summary>Where each column starts and ends for a count, in 64-bit arithmetic (the file can exceed 4 GiB).</summary>
    private readonly record struct ColumnLayout(int Count, bool HasSegments)
    {
        private static readonly int[] Sizes = [sizeof(int), sizeof(short), sizeof(long), sizeof(short), sizeof(int)];

        private int Columns => HasSegments ? 5 : 4;

        /// <summary>Gets the size of the file: the header and 16 bytes per event, 20 with segments.</summary>
        public long End => Start(Columns);

        /// <summary>Gets the bytes after the header.</summary>
        public long ColumnBytes => End - HeaderSize;

        public static int Size(int column) => Sizes[column];

        /// <summary>The byte offset where a column starts (<paramref name="column"/> = the column count: where the file ends).</summary>
        public long Start(int column)
        {
            long start = HeaderSize;
            for (var c = 0; c < column; c++)
            {
                start += (long)Count * Sizes[c];
            }

            return start;
        }

        /// <summary>The error for a file that ends at <paramref name="end"/>, before its last column is complete.</summary>
        public TransitionLogFormatException EndsAt(long end)
        {
            var column = 0;
            while (column < Columns - 1 && end >= Start(column + 1))
            {
                column++;
            }

            var present = (end - Start(column)) / Sizes[column];
            return new TransitionLogFormatException(
                $"The file ends in the {Names[column]} column at byte {end}: {present} of {Count} values present; the header announces {Count} events, a file of {End} bytes.",
                end);
        }
    }
}
