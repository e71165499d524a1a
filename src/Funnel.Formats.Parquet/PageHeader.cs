namespace Funnel.Formats.Parquet;

/// <summary>
/// The fields of a Parquet page header (Thrift <c>PageHeader</c> with its <c>DataPageHeader</c> or
/// <c>DictionaryPageHeader</c>) that <see cref="Utf8ChunkReader"/> needs, read from the Thrift compact protocol;
/// every other field (statistics, CRC, a v2 or index page header) is skipped. Malformed input throws
/// <see cref="InvalidDataException"/>.
/// </summary>
internal readonly record struct PageHeader(int Type, int UncompressedSize, int CompressedSize, int ValueCount, int Encoding, int LevelEncoding, bool HasPageHeader)
{
    public const int DataPage = 0;
    public const int DictionaryPage = 2;

    private const int MaxDepth = 16;

    /// <summary>Reads a header at <paramref name="position"/>, which moves past it.</summary>
    public static PageHeader Read(ReadOnlySpan<byte> data, ref int position)
    {
        int type = -1, uncompressed = -1, compressed = -1, values = -1, encoding = -1, levelEncoding = -1;
        var hasPageHeader = false;
        short id = 0;
        while (NextField(data, ref position, ref id, out var fieldType))
        {
            switch (id)
            {
                case 1 when fieldType == I32:
                    type = ReadI32(data, ref position);
                    break;
                case 2 when fieldType == I32:
                    uncompressed = ReadI32(data, ref position);
                    break;
                case 3 when fieldType == I32:
                    compressed = ReadI32(data, ref position);
                    break;
                case 5 or 7 when fieldType == Struct:
                    // DataPageHeader (5): num_values, encoding, definition_level_encoding; DictionaryPageHeader (7): num_values, encoding.
                    hasPageHeader = true;
                    short inner = 0;
                    while (NextField(data, ref position, ref inner, out var innerType))
                    {
                        switch (inner)
                        {
                            case 1 when innerType == I32:
                                values = ReadI32(data, ref position);
                                break;
                            case 2 when innerType == I32:
                                encoding = ReadI32(data, ref position);
                                break;
                            case 3 when innerType == I32 && id == 5:
                                levelEncoding = ReadI32(data, ref position);
                                break;
                            default:
                                Skip(data, ref position, innerType, 1);
                                break;
                        }
                    }

                    break;
                default:
                    Skip(data, ref position, fieldType, 0);
                    break;
            }
        }

        if (type < 0 || uncompressed < 0 || compressed < 0)
        {
            throw new InvalidDataException("A page header lacks its type or sizes.");
        }

        return new PageHeader(type, uncompressed, compressed, values, encoding, levelEncoding, hasPageHeader);
    }

    private const int BoolTrue = 1;
    private const int BoolFalse = 2;
    private const int I8 = 3;
    private const int I16 = 4;
    private const int I32 = 5;
    private const int I64 = 6;
    private const int Double = 7;
    private const int Binary = 8;
    private const int List = 9;
    private const int Set = 10;
    private const int Map = 11;
    private const int Struct = 12;

    /// <summary>Reads a field header; false at the struct's end.</summary>
    private static bool NextField(ReadOnlySpan<byte> data, ref int position, ref short id, out int type)
    {
        var header = Byte(data, ref position);
        type = header & 0x0F;
        if (type == 0)
        {
            return false;
        }

        var delta = header >> 4;
        id = delta != 0 ? (short)(id + delta) : checked((short)ReadI32(data, ref position));
        return true;
    }

    private static void Skip(ReadOnlySpan<byte> data, ref int position, int type, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidDataException("A page header nests too deeply.");
        }

        switch (type)
        {
            case BoolTrue or BoolFalse:
                break;
            case I8:
                Byte(data, ref position);
                break;
            case I16 or I32 or I64:
                ReadVarint(data, ref position);
                break;
            case Double:
                Advance(data, ref position, 8);
                break;
            case Binary:
                Advance(data, ref position, checked((int)ReadVarint(data, ref position)));
                break;
            case List or Set:
            {
                var header = Byte(data, ref position);
                var size = header >> 4;
                if (size == 15)
                {
                    size = checked((int)ReadVarint(data, ref position));
                }

                for (var i = 0; i < size; i++)
                {
                    SkipElement(data, ref position, header & 0x0F, depth + 1);
                }

                break;
            }

            case Map:
            {
                var size = checked((int)ReadVarint(data, ref position));
                if (size > 0)
                {
                    var types = Byte(data, ref position);
                    for (var i = 0; i < size; i++)
                    {
                        SkipElement(data, ref position, types >> 4, depth + 1);
                        SkipElement(data, ref position, types & 0x0F, depth + 1);
                    }
                }

                break;
            }

            case Struct:
            {
                short id = 0;
                while (NextField(data, ref position, ref id, out var fieldType))
                {
                    Skip(data, ref position, fieldType, depth + 1);
                }

                break;
            }

            default:
                throw new InvalidDataException($"A page header holds a field of unknown Thrift type {type}.");
        }
    }

    /// <summary>A list, set or map element: a boolean element takes one byte, unlike a boolean field.</summary>
    private static void SkipElement(ReadOnlySpan<byte> data, ref int position, int type, int depth)
    {
        if (type is BoolTrue or BoolFalse)
        {
            Byte(data, ref position);
            return;
        }

        Skip(data, ref position, type, depth);
    }

    private static int ReadI32(ReadOnlySpan<byte> data, ref int position)
    {
        var value = ReadVarint(data, ref position);
        if (value > uint.MaxValue)
        {
            throw new InvalidDataException("A page header holds a 32-bit field that is too large.");
        }

        var raw = (uint)value;
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Byte(data, ref position);
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("A page header holds a varint longer than 10 bytes.");
    }

    private static byte Byte(ReadOnlySpan<byte> data, ref int position) =>
        (uint)position < (uint)data.Length ? data[position++] : throw new InvalidDataException("A page header runs past the column chunk.");

    private static void Advance(ReadOnlySpan<byte> data, ref int position, int count)
    {
        if (count < 0 || count > data.Length - position)
        {
            throw new InvalidDataException("A page header runs past the column chunk.");
        }

        position += count;
    }
}
