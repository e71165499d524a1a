using System.Runtime.CompilerServices;

namespace Funnel.Core.Bulk;

/// <summary>
/// Reads short runs of ASCII digits eight at a time, in one 64-bit word (SWAR: a validity check and three multiplies
/// instead of a multiply per digit), for the CSV fast path's entity keys and Unix seconds.
/// </summary>
/// <remarks>
/// The callers hand over text that has at least 8 readable bytes after its first byte (<see cref="CsvChunkParser"/>
/// keeps <see cref="CsvChunkParser.ReadSlack"/> bytes after what it read), so a run shorter than 8 is read with one
/// load and the bytes after it are shifted out; nothing after the text is ever part of the result.
/// </remarks>
internal static class AsciiDigits
{
    private const ulong Zeros = 0x3030303030303030UL;
    private const ulong HighNibbles = 0xF0F0F0F0F0F0F0F0UL;

    /// <summary>
    /// Reads <paramref name="length"/> (1 to 16) ASCII digits from <paramref name="first"/>; false when a byte is
    /// not a digit. At least 8 bytes from <paramref name="first"/> must be readable.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParse(ref byte first, int length, out ulong value)
    {
        if (length <= 8)
        {
            var ok = TryParseUpTo8(ref first, length, out var small);
            value = small;
            return ok;
        }

        var headOk = TryParseUpTo8(ref first, length - 8, out var head);
        var tailOk = TryParseUpTo8(ref Unsafe.Add(ref first, length - 8), 8, out var tail);
        value = (head * 100_000_000UL) + tail;
        return headOk & tailOk;
    }

    /// <summary>Reads 1 to 8 ASCII digits from one 8-byte load: the digits are shifted to the top and the bytes below filled with '0'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryParseUpTo8(ref byte first, int length, out uint value)
    {
        var chunk = Unsafe.ReadUnaligned<ulong>(ref first);
        if (!BitConverter.IsLittleEndian)
        {
            chunk = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(chunk);
        }

        unchecked
        {
            // The first digit is the lowest byte; shifting left drops the bytes after the digits and leaves zero bytes
            // below them, which become leading '0' digits.
            var pad = (8 - length) * 8;
            chunk = (chunk << pad) | (Zeros & ~(ulong.MaxValue << pad));

            // Every byte is 0x30..0x39: its high nibble is 3, and adding 6 keeps it 3.
            var valid = ((chunk & HighNibbles) | (((chunk + 0x0606060606060606UL) & HighNibbles) >> 4)) == 0x3333333333333333UL;

            // Lemire's eight-digit parse: pairs, then quads, then the whole word.
            chunk -= Zeros;
            chunk = (chunk * 10) + (chunk >> 8);
            chunk = (((chunk & 0x000000FF000000FFUL) * (100 + (1_000_000UL << 32))) + (((chunk >> 16) & 0x000000FF000000FFUL) * (1 + (10_000UL << 32)))) >> 32;
            value = (uint)chunk;
            return valid;
        }
    }
}
