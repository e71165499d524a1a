using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Parquet.Meta;
using Parquet.Schema;
using Snappier;

namespace Funnel.Formats.Parquet;

/// <summary>
/// Reads a flat text column chunk (a <c>BYTE_ARRAY</c> column with no repetition and at most one definition level)
/// straight from the file into a <see cref="Utf8Column"/>: its values stay UTF-8 slices of the decompressed pages,
/// where Parquet.Net would make one array per value. It handles what common writers (DuckDB, Arrow, Spark, pandas)
/// write: data pages v1 with PLAIN values or dictionary indices (PLAIN_DICTIONARY, RLE_DICTIONARY) after one PLAIN
/// dictionary page, definition levels in the RLE/bit-packed hybrid, and the UNCOMPRESSED, SNAPPY, GZIP and ZSTD codecs.
/// Anything else (another encoding or codec, data pages v2, index pages, encryption, a page that is malformed or
/// does not add up) makes it return null, and the caller reads the chunk through Parquet.Net as before, so that every
/// file reads exactly as it did, with the same errors.
/// </summary>
internal static class Utf8ChunkReader
{
    private const int Plain = 0;
    private const int PlainDictionary = 2;
    private const int Rle = 3;
    private const int RleDictionary = 8;

    /// <summary>Whether a chunk is of the shape this reader handles at all (checked before any byte is read).</summary>
    public static bool Handles(DataField field, ColumnChunk? chunk, int rows) =>
        field.MaxRepetitionLevel == 0 && field.MaxDefinitionLevel <= 1
        && chunk is { FilePath: null, CryptoMetadata: null, EncryptedColumnMetadata: null, MetaData: { } meta }
        && meta.Type == global::Parquet.Meta.Type.BYTE_ARRAY && meta.NumValues == rows
        && meta.Codec is CompressionCodec.UNCOMPRESSED or CompressionCodec.SNAPPY or CompressionCodec.GZIP or CompressionCodec.ZSTD
        && meta.TotalCompressedSize is > 0 and < int.MaxValue && meta.TotalUncompressedSize is >= 0 and < int.MaxValue / 2
        && meta.Encodings.TrueForAll(e => e is Encoding.PLAIN or Encoding.PLAIN_DICTIONARY or Encoding.RLE_DICTIONARY or Encoding.RLE);

    /// <summary>Reads a chunk; null when it is outside what this reader handles (the caller then reads it through Parquet.Net).</summary>
    public static async Task<Utf8Column?> TryReadAsync(Stream stream, DataField field, ColumnChunk? chunk, int rows, CancellationToken cancellationToken)
    {
        if (!Handles(field, chunk, rows))
        {
            return null;
        }

        var meta = chunk!.MetaData!;
        var start = new[] { meta.DictionaryPageOffset ?? 0, meta.DataPageOffset, meta.IndexPageOffset ?? 0 }.Where(o => o != 0).DefaultIfEmpty(0).Min();
        var length = (int)meta.TotalCompressedSize;
        if (start <= 0 || start > stream.Length - length)
        {
            return null;
        }

        var input = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            stream.Position = start;
            await stream.ReadExactlyAsync(input.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            return Decode(input.AsSpan(0, length), meta.Codec, field.MaxDefinitionLevel, rows, (int)meta.TotalUncompressedSize);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    /// <summary>Decodes the pages of a chunk; null when a page is outside what this reader handles or is malformed.</summary>
    internal static Utf8Column? Decode(ReadOnlySpan<byte> chunk, CompressionCodec codec, int maxDefinitionLevel, int rows, int uncompressedSize)
    {
        // The buffer grows page by page; a chunk's claimed size only sizes the first buffer when the bytes read back it.
        var pages = new Pages((int)Math.Clamp(uncompressedSize, 16, (4L * chunk.Length) + 4096), rows);
        try
        {
            pages.Decode(chunk, codec, maxDefinitionLevel);
            return pages.ToColumn();
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            // Malformed or unexpected: Parquet.Net reads the chunk and reports what is wrong as it always did.
            pages.Return();
            return null;
        }
    }

    /// <summary>The buffers a chunk is decoded into; on success they pass to the <see cref="Utf8Column"/>.</summary>
    private sealed class Pages(int uncompressedSize, int rows)
    {
        private byte[] _bytes = ArrayPool<byte>.Shared.Rent(uncompressedSize);
        private int _used;
        private int[] _starts = ArrayPool<int>.Shared.Rent(Math.Max(rows, 1));
        private int[] _lengths = ArrayPool<int>.Shared.Rent(Math.Max(rows, 1));
        private int[]? _entries;
        private int[] _levels = [];
        private int[] _dictionaryStarts = [];
        private int[] _dictionaryLengths = [];
        private int _dictionarySize = -1;
        private int _row;

        public void Decode(ReadOnlySpan<byte> chunk, CompressionCodec codec, int maxDefinitionLevel)
        {
            var position = 0;
            while (_row < rows)
            {
                var header = PageHeader.Read(chunk, ref position);
                if (header.CompressedSize > chunk.Length - position || !header.HasPageHeader)
                {
                    throw new InvalidDataException("A page runs past its column chunk or lacks its page header.");
                }

                var body = chunk.Slice(position, header.CompressedSize);
                position += header.CompressedSize;
                switch (header.Type)
                {
                    case PageHeader.DictionaryPage when _dictionarySize < 0 && header.Encoding is Plain or PlainDictionary && header.ValueCount >= 0:
                        ReadDictionary(Decompress(body, codec, header.UncompressedSize), header.ValueCount);
                        break;
                    case PageHeader.DataPage when header.ValueCount > 0 && header.ValueCount <= rows - _row:
                        ReadDataPage(Decompress(body, codec, header.UncompressedSize), header, maxDefinitionLevel);
                        break;
                    default:
                        throw new InvalidDataException($"Page type {header.Type} (encoding {header.Encoding}) is not read here.");
                }
            }
        }

        public Utf8Column ToColumn() => new(_bytes, _starts, _lengths, _entries, Math.Max(_dictionarySize, 0), rows);

        public void Return()
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            ArrayPool<int>.Shared.Return(_starts);
            ArrayPool<int>.Shared.Return(_lengths);
            if (_entries is not null)
            {
                ArrayPool<int>.Shared.Return(_entries);
            }
        }

        /// <summary>Decompresses a page body to the end of the byte buffer; returns where it starts.</summary>
        private int Decompress(ReadOnlySpan<byte> body, CompressionCodec codec, int size)
        {
            // A page that claims to grow more than 64-fold is left to Parquet.Net rather than sized by its header.
            if (size > (64L * body.Length) + (1 << 16))
            {
                throw new InvalidDataException($"A page of {body.Length} bytes claims {size} bytes uncompressed.");
            }

            if (size > _bytes.Length - _used)
            {
                var larger = ArrayPool<byte>.Shared.Rent(checked(Math.Max(_used + size, _bytes.Length * 2)));
                _bytes.AsSpan(0, _used).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = larger;
            }

            var target = _bytes.AsSpan(_used, size);
            var written = codec switch
            {
                CompressionCodec.UNCOMPRESSED when body.Length == size => Copy(body, target),
                CompressionCodec.SNAPPY when Snappy.GetUncompressedLength(body) == size => Snappy.Decompress(body, target),
                CompressionCodec.ZSTD => Zstd(body, target),
                CompressionCodec.GZIP => Gzip(body, target),
                _ => -1,
            };
            if (written != size)
            {
                throw new InvalidDataException($"A page decompresses to {written} bytes, not the {size} its header gives.");
            }

            var start = _used;
            _used += size;
            return start;
        }

        private void ReadDictionary(int start, int count)
        {
            if (count > (_used - start) / 4)
            {
                throw new InvalidDataException($"A dictionary page of {_used - start} bytes cannot hold {count} values.");
            }

            _dictionaryStarts = new int[count];
            _dictionaryLengths = new int[count];
            var position = start;
            for (var i = 0; i < count; i++)
            {
                (_dictionaryStarts[i], _dictionaryLengths[i]) = NextPlainValue(ref position);
            }

            _dictionarySize = count;
        }

        private void ReadDataPage(int start, PageHeader header, int maxDefinitionLevel)
        {
            var count = header.ValueCount;
            var end = _used;
            var position = start;
            var levels = default(Span<int>);
            var defined = count;
            if (maxDefinitionLevel > 0)
            {
                if (header.LevelEncoding != Rle)
                {
                    throw new InvalidDataException("Definition levels that are not RLE are not read here.");
                }

                var size = Int32(position, end);
                position += 4;
                if (size < 0 || size > end - position)
                {
                    throw new InvalidDataException("The definition levels run past their page.");
                }

                if (_levels.Length < count)
                {
                    _levels = new int[Math.Max(count, _levels.Length * 2)];
                }

                levels = _levels.AsSpan(0, count);
                HybridRle.Decode(_bytes.AsSpan(position, size), 1, levels);
                position += size;
                defined = 0;
                foreach (var level in levels)
                {
                    defined += level;
                }
            }

            switch (header.Encoding)
            {
                case Plain:
                {
                    for (var i = 0; i < count; i++)
                    {
                        var row = _row + i;
                        if (!levels.IsEmpty && levels[i] == 0)
                        {
                            _lengths[row] = -1;
                            _starts[row] = 0;
                        }
                        else
                        {
                            (_starts[row], _lengths[row]) = NextPlainValue(ref position);
                        }
                    }

                    if (_entries is not null)
                    {
                        _entries.AsSpan(_row, count).Fill(-1);
                    }

                    break;
                }

                case PlainDictionary or RleDictionary when _dictionarySize >= 0:
                {
                    if (_entries is null)
                    {
                        _entries = ArrayPool<int>.Shared.Rent(Math.Max(rows, 1));
                        _entries.AsSpan(0, _row).Fill(-1);
                    }

                    var indices = _entries.AsSpan(_row, count);
                    var values = indices[..defined];
                    if (position >= end)
                    {
                        // No bit width: Parquet.Net reads every index as 0.
                        values.Clear();
                    }
                    else
                    {
                        var bitWidth = _bytes[position];
                        if (bitWidth == 0 || position + 1 == end)
                        {
                            values.Clear();
                        }
                        else
                        {
                            HybridRle.Decode(_bytes.AsSpan(position + 1, end - position - 1), bitWidth, values);
                        }
                    }

                    // Place the defined rows' indices on their rows, from the last (each index moves right or stays).
                    var next = defined - 1;
                    for (var i = count - 1; i >= 0; i--)
                    {
                        var row = _row + i;
                        if (!levels.IsEmpty && levels[i] == 0)
                        {
                            indices[i] = -1;
                            _lengths[row] = -1;
                            _starts[row] = 0;
                            continue;
                        }

                        var index = values[next--];
                        if ((uint)index >= (uint)_dictionarySize)
                        {
                            throw new InvalidDataException($"A dictionary index {index} is outside the dictionary of {_dictionarySize} values.");
                        }

                        indices[i] = index;
                        _starts[row] = _dictionaryStarts[index];
                        _lengths[row] = _dictionaryLengths[index];
                    }

                    break;
                }

                default:
                    throw new InvalidDataException($"Encoding {header.Encoding} is not read here.");
            }

            _row += count;
        }

        /// <summary>A PLAIN BYTE_ARRAY value: a 4-byte little-endian length, then the bytes.</summary>
        private (int Start, int Length) NextPlainValue(ref int position)
        {
            var length = Int32(position, _used);
            position += 4;
            if (length < 0 || length > _used - position)
            {
                throw new InvalidDataException("A value runs past its page.");
            }

            var start = position;
            position += length;
            return (start, length);
        }

        private int Int32(int position, int end) =>
            end - position >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan(position)) : throw new InvalidDataException("A length runs past its page.");

        private static int Copy(ReadOnlySpan<byte> body, Span<byte> target)
        {
            body.CopyTo(target);
            return body.Length;
        }

        private static int Zstd(ReadOnlySpan<byte> body, Span<byte> target)
        {
            using var decompressor = new ZstdSharp.Decompressor();
            return decompressor.Unwrap(body, target);
        }

        private static int Gzip(ReadOnlySpan<byte> body, Span<byte> target)
        {
            using var gzip = new GZipStream(new MemoryStream(body.ToArray(), writable: false), CompressionMode.Decompress);
            var read = gzip.ReadAtLeast(target, target.Length, throwOnEndOfStream: false);
            return read == target.Length && gzip.ReadByte() < 0 ? read : -1;
        }
    }
}
