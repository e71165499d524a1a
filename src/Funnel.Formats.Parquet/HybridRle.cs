using System.Buffers.Binary;

namespace Funnel.Formats.Parquet;

/// <summary>
/// Parquet's RLE / bit-packed hybrid encoding (definition levels, dictionary indices): runs of one repeated value and
/// groups of 8 bit-packed values, each introduced by a ULEB128 header. Malformed input throws <see cref="InvalidDataException"/>.
/// </summary>
internal static class HybridRle
{
    /// <summary>Decodes exactly <c>values.Length</c> values of <paramref name="bitWidth"/> bits (0 to 32) from <paramref name="data"/>.</summary>
    public static void Decode(ReadOnlySpan<byte> data, int bitWidth, Span<int> values)
    {
        if (bitWidth is < 0 or > 32)
        {
            throw new InvalidDataException($"A bit width of {bitWidth} is outside 0..32.");
        }

        var position = 0;
        var filled = 0;
        var byteWidth = (bitWidth + 7) / 8;
        var mask = bitWidth == 32 ? uint.MaxValue : (1u << bitWidth) - 1;
        while (filled < values.Length)
        {
            var header = ReadUleb(data, ref position);
            if ((header & 1) == 0)
            {
                var run = header >> 1;
                if (run == 0 || byteWidth > data.Length - position)
                {
                    throw new InvalidDataException("An RLE run is empty or runs past its data.");
                }

                var value = 0u;
                for (var b = 0; b < byteWidth; b++)
                {
                    value |= (uint)data[position + b] << (8 * b);
                }

                position += byteWidth;
                if (value > mask)
                {
                    throw new InvalidDataException("An RLE run repeats a value wider than its bit width.");
                }

                var count = (int)Math.Min(run, (ulong)(values.Length - filled));
                values.Slice(filled, count).Fill((int)value);
                filled += count;
            }
            else
            {
                var groups = header >> 1;
                if (groups == 0 || groups > int.MaxValue / 8 || (long)groups * bitWidth > data.Length - position)
                {
                    throw new InvalidDataException("A bit-packed run is empty or runs past its data.");
                }

                var count = (int)Math.Min((long)groups * 8, values.Length - filled);
                var packed = data.Slice(position, (int)groups * bitWidth);
                Unpack(packed, bitWidth, mask, values.Slice(filled, count));
                filled += count;
                position += (int)groups * bitWidth;
            }
        }
    }

    private static void Unpack(ReadOnlySpan<byte> packed, int bitWidth, uint mask, Span<int> values)
    {
        if (bitWidth == 0)
        {
            values.Clear();
            return;
        }

        if (bitWidth == 1)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (packed[i >> 3] >> (i & 7)) & 1;
            }

            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            var bit = (long)i * bitWidth;
            var index = (int)(bit >> 3);
            ulong window;
            if (packed.Length - index >= 8)
            {
                window = BinaryPrimitives.ReadUInt64LittleEndian(packed[index..]);
            }
            else
            {
                window = 0;
                for (var b = 0; b < packed.Length - index; b++)
                {
                    window |= (ulong)packed[index + b] << (8 * b);
                }
            }

            values[i] = (int)((uint)(window >> (int)(bit & 7)) & mask);
        }
    }

    private static ulong ReadUleb(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (position >= data.Length)
            {
                throw new InvalidDataException("An RLE header runs past its data.");
            }

            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("An RLE header is longer than 5 bytes.");
    }
}
