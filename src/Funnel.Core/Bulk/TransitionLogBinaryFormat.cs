using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Funnel.Core.Bulk;

/// <summary>
/// Reads and writes the little-endian binary columnar file format of a <see cref="TransitionLog"/> (the fast path:
/// a file is read with one bulk copy per column). The format is specified in docs/bulk.md:
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

    /// <summary>Gets the 8 magic bytes that start every file: ASCII <c>FUNNELTL</c>.</summary>
    public static ReadOnlySpan<byte> Magic => "FUNNELTL"u8;

    /// <summary>Writes a log to a stream.</summary>
    /// <param name="log">The log.</param>
    /// <param name="stream">A writable stream; left open.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static void Write(TransitionLog log, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(stream);
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
        ArgumentNullException.ThrowIfNull(path);
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
        ArgumentNullException.ThrowIfNull(stream);
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
            throw new TransitionLogFormatException($"The event count {count} is out of range 0..{Array.MaxLength}.", 16);
        }

        var n = (int)count;
        long offset = HeaderSize;
        var entities = ReadColumn<int>(stream, n, "entity id", ref offset);
        var stages = ReadColumn<short>(stream, n, "stage", ref offset);
        var times = ReadColumn<long>(stream, n, "timestamp", ref offset);
        var reasons = ReadColumn<short>(stream, n, "loss reason", ref offset);
        var segments = (flags & SegmentFlag) != 0 ? ReadColumn<int>(stream, n, "segment", ref offset) : null;
        Span<byte> extra = stackalloc byte[1];
        if (stream.Read(extra) != 0)
        {
            throw new TransitionLogFormatException($"Unexpected data after the last column at byte {offset}; the header announces {n} events.", offset);
        }

        try
        {
            return TransitionLog.Wrap(entities, stages, times, reasons, segments, n);
        }
        catch (ArgumentException ex)
        {
            throw new TransitionLogFormatException($"Invalid value in the file: {ex.Message}", innerException: ex);
        }
    }

    /// <summary>Reads a log from a file.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The log.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="TransitionLogFormatException">The file is not a valid transition log file.</exception>
    public static TransitionLog ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream);
    }

    private static void WriteColumn<T>(Stream stream, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }

        var copy = values.ToArray();
        ReverseEndianness(copy.AsSpan());
        stream.Write(MemoryMarshal.AsBytes(copy.AsSpan()));
    }

    private static T[] ReadColumn<T>(Stream stream, int count, string name, ref long offset)
        where T : unmanaged
    {
        var values = GC.AllocateUninitializedArray<T>(count);
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        var got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (got < bytes.Length)
        {
            throw new TransitionLogFormatException(
                $"The file ends in the {name} column at byte {offset + got}: {got / Marshal.SizeOf<T>()} of {count} values present.", offset + got);
        }

        offset += bytes.Length;
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
}
