using System.Buffers.Binary;
using Funnel.Formats.Tests;
using Parquet;
using Parquet.Schema;

namespace Funnel.Formats.Parquet.Tests;

/// <summary>
/// The text-chunk fast path (<see cref="Utf8ChunkReader"/>): which chunks it reads itself, that it reads them exactly as
/// Parquet.Net does (values and nulls, row by row), and which it leaves to Parquet.Net, so that a change cannot
/// silently move a common file to the slow path or an unusual one to a wrong path.
/// </summary>
public sealed class Utf8ChunkReaderTests
{
    private const string CsvColumns = "{'entity': 'VARCHAR', 'stage': 'VARCHAR', 'timestamp': 'BIGINT', 'loss_reason': 'VARCHAR', 'segment': 'VARCHAR'}";

    /// <summary>High-cardinality keys (PLAIN), few stages (dictionary), a mostly null loss reason (dictionary with nulls), some null segments.</summary>
    private const string Query =
        """
        SELECT CASE WHEN i % 97 = 5 THEN NULL WHEN i % 89 = 3 THEN '' ELSE 'lead-' || (i * 7919 % 100003) || CASE WHEN i % 11 = 0 THEN '-é' ELSE '' END END AS entity,
               's' || (i % 4) AS stage,
               1767225600 + i AS timestamp,
               CASE WHEN i % 9 = 0 THEN 'price' WHEN i % 13 = 0 THEN '' END AS loss_reason,
               CASE WHEN i % 3 = 0 THEN NULL ELSE 'seg-' || (i % 5) END AS segment
        FROM range(5000) t(i)
        """;

    [Theory]
    [InlineData("uncompressed", "")]
    [InlineData("snappy", "")]
    [InlineData("zstd", "")]
    [InlineData("gzip", "")]
    [InlineData("snappy", ", DICTIONARY_SIZE_LIMIT 1")]
    [InlineData("zstd", ", DICTIONARY_SIZE_LIMIT 1")]
    public async Task TryRead_DuckDbTextChunks_AreReadByTheFastPathEqualToParquetNet(string codec, string options)
    {
        using var folder = new TempFolder();
        DuckDb.CopyToParquet(Query, folder.File("log.parquet"), $", COMPRESSION {codec}, ROW_GROUP_SIZE 2048{options}");

        var chunks = await CompareAsync(folder.File("log.parquet"), _ => true);

        Assert.True(chunks >= 12, $"{chunks} text chunks compared");
        var read = TransitionLogParquetReader.Read(folder.File("log.parquet"), FormatTestData.Definition);
        Assert.Equal(5000, read.RowsRead);
    }

    [Fact]
    public async Task TryRead_DuckDbDefaultFile_ReadsPlainAndDictionaryChunksFast()
    {
        using var folder = new TempFolder();
        DuckDb.CopyToParquet(Query, folder.File("log.parquet"));
        var encodings = await EncodingsAsync(folder.File("log.parquet"));
        Assert.Equal("PLAIN", encodings["entity"]);
        Assert.Contains("DICTIONARY", encodings["stage"], StringComparison.Ordinal);

        await CompareAsync(folder.File("log.parquet"), _ => true);
    }

    [Theory]
    [InlineData("snappy", ", PARQUET_VERSION V2", "entity")] // DELTA_LENGTH_BYTE_ARRAY keys; the few stages and segments stay RLE_DICTIONARY, read fast
    [InlineData("brotli", "", "*")] // a codec the fast path does not decompress
    [InlineData("lz4_raw", "", "*")]
    public async Task TryRead_ChunksOutsideTheFastPath_FallBackToParquetNet_AndTheFileReadsAsTheCsv(string codec, string options, string slowColumns)
    {
        using var folder = new TempFolder();
        var rows = FormatTestData.Rows(200, seed: 3);
        File.WriteAllText(folder.File("log.csv"), FormatTestData.ToCsv(rows));
        DuckDb.CopyToParquet($"SELECT * FROM read_csv('{folder.File("log.csv")}', header = true, columns = {CsvColumns})", folder.File("log.parquet"), $", COMPRESSION {codec}{options}");

        var compared = await CompareAsync(folder.File("log.parquet"), name => slowColumns != "*" && name != slowColumns);
        Assert.Equal(4, compared);

        var read = TransitionLogParquetReader.Read(folder.File("log.parquet"), FormatTestData.Definition);
        var (csv, reader) = FormatTestData.ReadCsv(rows);
        Assert.True(read.IsClean, string.Join("; ", read.Errors));
        FormatTestData.AssertSameLog(csv, reader.Entities, reader.Segments, read.Log, read.Entities, read.Segments);
    }

    [Fact]
    public async Task Decode_DamagedOrCutChunk_ReturnsNullForParquetNetToReport()
    {
        using var folder = new TempFolder();
        DuckDb.CopyToParquet(Query, folder.File("log.parquet"), ", COMPRESSION snappy");
        var (chunk, meta, rows) = await FirstChunkBytesAsync(folder.File("log.parquet"), "entity");
        Assert.NotNull(Utf8ChunkReader.Decode(chunk, meta.Codec, 1, rows, (int)meta.TotalUncompressedSize));

        Assert.Null(Utf8ChunkReader.Decode(chunk.AsSpan(0, chunk.Length / 2), meta.Codec, 1, rows, (int)meta.TotalUncompressedSize));
        Assert.Null(Utf8ChunkReader.Decode(chunk, meta.Codec, 1, rows + 1, (int)meta.TotalUncompressedSize)); // fewer values than rows
        var damaged = (byte[])chunk.Clone();
        damaged.AsSpan(40, 200).Fill(0xA5);
        Assert.Null(Utf8ChunkReader.Decode(damaged, meta.Codec, 1, rows, (int)meta.TotalUncompressedSize));
    }

    [Fact]
    public void Decode_HandWrittenPages_ReadsV1PlainPages_AndLeavesEveryOtherPageToParquetNet()
    {
        byte[] plain = [2, 0, 0, 0, (byte)'a', (byte)'b', 1, 0, 0, 0, (byte)'c'];
        var column = Utf8ChunkReader.Decode(Page(0, 0, 3, plain, 2), global::Parquet.Meta.CompressionCodec.UNCOMPRESSED, 0, 2, 64);
        Assert.NotNull(column);
        Assert.Equal(["ab", "c"], [column.GetText(0).ToString(), column.GetText(1).ToString()]);

        // With one definition level (RLE, 4-byte length): levels 1, 0, 1 as one bit-packed group.
        byte[] levels = [2, 0, 0, 0, 0x03, 0b101];
        var nullable = Utf8ChunkReader.Decode(Page(0, 0, 3, [.. levels, .. plain], 3), global::Parquet.Meta.CompressionCodec.UNCOMPRESSED, 1, 3, 64);
        Assert.NotNull(nullable);
        Assert.Equal([false, true, false], [nullable.IsNull(0), nullable.IsNull(1), nullable.IsNull(2)]);
        Assert.Equal("c", nullable.GetText(2).ToString());

        var codec = global::Parquet.Meta.CompressionCodec.UNCOMPRESSED;
        Assert.Null(Utf8ChunkReader.Decode(Page(3, 0, 3, plain, 2), codec, 0, 2, 64)); // a data page v2
        Assert.Null(Utf8ChunkReader.Decode(Page(1, 0, 3, plain, 2), codec, 0, 2, 64)); // an index page
        Assert.Null(Utf8ChunkReader.Decode(Page(0, 7, 3, plain, 2), codec, 0, 2, 64)); // DELTA_BYTE_ARRAY values
        Assert.Null(Utf8ChunkReader.Decode(Page(0, 0, 4, [.. levels, .. plain], 3), codec, 1, 3, 64)); // BIT_PACKED levels
        Assert.Null(Utf8ChunkReader.Decode(Page(0, 8, 3, [1, 0x02, 0], 2), codec, 0, 2, 64)); // dictionary indices without a dictionary page
        Assert.Null(Utf8ChunkReader.Decode([.. Page(2, 0, 3, [1, 0, 0, 0, (byte)'x'], 1), .. Page(0, 8, 3, [1, 0x04, 1], 2)], codec, 0, 2, 64)); // index 1 of a 1-entry dictionary
        var dictionary = Utf8ChunkReader.Decode([.. Page(2, 0, 3, [1, 0, 0, 0, (byte)'x'], 1), .. Page(0, 8, 3, [1, 0x04, 0], 2)], codec, 0, 2, 64);
        Assert.NotNull(dictionary);
        Assert.Equal([0, 0], dictionary.Entries!.Take(2));
    }

    /// <summary>A page: its Thrift compact header (type, sizes, a data or dictionary page header) and its uncompressed body.</summary>
    private static byte[] Page(int type, int encoding, int levelEncoding, byte[] body, int count)
    {
        var header = new List<byte> { 0x15 };
        Varint(header, type);
        header.Add(0x15);
        Varint(header, body.Length);
        header.Add(0x15);
        Varint(header, body.Length);
        header.Add(type == 2 ? (byte)0x4C : (byte)0x2C); // field 7 (dictionary page header) or 5 (data page header), from field 3
        header.Add(0x15);
        Varint(header, count);
        header.Add(0x15);
        Varint(header, encoding);
        if (type != 2)
        {
            header.Add(0x15);
            Varint(header, levelEncoding);
        }

        header.AddRange([0x00, 0x00]);
        return [.. header, .. body];

        static void Varint(List<byte> bytes, int value)
        {
            var zigzag = (uint)((value << 1) ^ (value >> 31));
            while (zigzag >= 0x80)
            {
                bytes.Add((byte)(zigzag | 0x80));
                zigzag >>= 7;
            }

            bytes.Add((byte)zigzag);
        }
    }

    [Fact]
    public async Task Read_RequiredColumnsWrittenByParquetNet_TextIsReadFastWithoutLevels_AndNoIntegerReadsAsNull()
    {
        using var folder = new TempFolder();
        var entity = new DataField("entity", typeof(string), isNullable: false);
        var stage = new DataField("stage", typeof(string), isNullable: false);
        var time = new DataField("timestamp", typeof(long), isNullable: false);
        string[] entities = ["b", "a", "007", "12", "b", "ключ"];
        await using (var file = File.Create(folder.File("required.parquet")))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(entity, stage, time), file);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(entity, entities);
            await group.WriteAsync(stage, new[] { "s0", "s1", "s0", "s2", "nope", "s3" });
            await group.WriteAsync<long>(time, new long[] { 1, 2, 3, 4, 5, 6 });
        }

        await CompareAsync(folder.File("required.parquet"), _ => true);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            // Parquet.Net reads a required column's nulls from pooled levels it never fills: leave stale -1s in the pool.
            for (var i = 0; i < 64; i++)
            {
                var stale = System.Buffers.ArrayPool<int>.Shared.Rent(6);
                stale.AsSpan().Fill(-1);
                System.Buffers.ArrayPool<int>.Shared.Return(stale);
            }

            var read = TransitionLogParquetReader.Read(folder.File("required.parquet"), FormatTestData.Definition);
            Assert.Equal(["b", "a", "007", "12", "ключ"], read.Entities.ToImmutableArray().ToArray());
            Assert.Equal([0, 1, 2, 3, 4], read.Log.EntityIds.ToArray());
            Assert.Equal([1L, 2, 3, 4, 6], read.Log.Timestamps.ToArray());
            Assert.Equal(4L, Assert.Single(read.Errors).RowIndex);
        }
    }

    [Fact]
    public void Read_KeyOnlyInRejectedRows_GetsNoId_AsInTheCsvReader()
    {
        using var folder = new TempFolder();
        DuckDb.CopyToParquet(
            "SELECT * FROM (VALUES ('x', 'nope', 1), ('a', 's0', 2), ('y', 's1', NULL), ('b', 's1', 3)) t(entity, stage, timestamp)",
            folder.File("log.parquet"));

        var read = TransitionLogParquetReader.Read(folder.File("log.parquet"), FormatTestData.Definition);

        Assert.Equal(["a", "b"], read.Entities.ToImmutableArray().ToArray());
        Assert.Equal([0, 1], read.Log.EntityIds.ToArray());
        Assert.Equal(2, read.Log.EntityIdLimit);
        Assert.Equal([0L, 2L], read.Errors.Select(e => e.RowIndex));
    }

    [Fact]
    public void HybridRle_RleAndBitPackedRuns_DecodeAsTheSpecificationSays()
    {
        // RLE run of 3 × 5 (header 3 << 1, one byte value), then one bit-packed group of 8 values of 3 bits (header 1 << 1 | 1):
        // 0..7 packed least significant bit first = 0b10001000, 0b11000110, 0b11111010.
        byte[] data = [0x06, 0x05, 0x03, 0x88, 0xC6, 0xFA];
        var values = new int[11];
        HybridRle.Decode(data, 3, values);
        Assert.Equal([5, 5, 5, 0, 1, 2, 3, 4, 5, 6, 7], values);

        // Fewer values wanted than the last group holds: the padding is ignored.
        var some = new int[5];
        HybridRle.Decode(data, 3, some);
        Assert.Equal([5, 5, 5, 0, 1], some);

        // Definition levels (bit width 1): 10 values in 2 groups.
        var levels = new int[10];
        HybridRle.Decode([0x05, 0b1010_0101, 0b0000_0011], 1, levels);
        Assert.Equal([1, 0, 1, 0, 0, 1, 0, 1, 1, 1], levels);

        Assert.Throws<InvalidDataException>(() => HybridRle.Decode([0x06, 0x09], 3, new int[3])); // a value wider than 3 bits
        Assert.Throws<InvalidDataException>(() => HybridRle.Decode([0x03, 0x88], 3, new int[8])); // a group that runs past the data
        Assert.Throws<InvalidDataException>(() => HybridRle.Decode([0x00], 3, new int[1])); // an empty run
    }

    [Fact]
    public void PageHeader_SkipsFieldsItDoesNotUse_AndRejectsTruncatedInput()
    {
        // type 0, sizes 300 and 200, crc, a data page header with 7 values, PLAIN, RLE levels and a statistics struct
        // (binary max, i64 null count, a list of two booleans), then an unknown field 9 holding a map of i32 → string.
        var header = new List<byte>
        {
            0x15, 0x00, // 1: i32 0
            0x15, 0xD8, 0x04, // 2: i32 300
            0x15, 0x90, 0x03, // 3: i32 200
            0x15, 0x2A, // 4: crc
            0x1C, // 5: struct
            0x15, 0x0E, 0x15, 0x00, 0x15, 0x06, 0x15, 0x06, // num_values 7, encoding 0, def 3, rep 3
            0x1C, 0x18, 0x02, 0x61, 0x62, 0x16, 0x04, 0x19, 0x21, 0x01, 0x02, 0x00, // statistics: binary "ab", i64 2, list<bool> [true, false]
            0x00, // end of data page header
            0x4B, 0x01, 0x58, 0x02, 0x01, 0x78, // 9: map<i32, binary> {1: "x"}
            0x00, // end of page header
        };

        var position = 0;
        var read = PageHeader.Read(header.ToArray(), ref position);

        Assert.Equal(header.Count, position);
        Assert.Equal(new PageHeader(PageHeader.DataPage, 300, 200, 7, 0, 3, true), read);
        var cut = header.ToArray().AsSpan(0, 20).ToArray();
        Assert.Throws<InvalidDataException>(() =>
        {
            var at = 0;
            PageHeader.Read(cut, ref at);
        });
    }

    /// <summary>Reads every text chunk both ways and compares them row by row; returns how many chunks were compared.</summary>
    private static async Task<int> CompareAsync(string path, Func<string, bool> expectFast)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true);
        var compared = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = (int)group.RowCount;
            foreach (var field in reader.Schema.GetDataFields().Where(f => ParquetColumns.Classify(f) == ParquetColumns.Shape.Text))
            {
                using var fast = await Utf8ChunkReader.TryReadAsync(stream, field, group.GetMetadata(field), rows, CancellationToken.None);
                if (!expectFast(field.Name))
                {
                    Assert.Null(fast);
                    compared++;
                    continue;
                }

                Assert.NotNull(fast);
                var values = new ReadOnlyMemory<char>[rows];
                var levels = new int[rows];
                await group.ReadRawAsync<ReadOnlyMemory<char>>(field, values, field.MaxDefinitionLevel > 0 ? levels.AsMemory() : (Memory<int>?)null, null);
                var next = 0;
                for (var row = 0; row < rows; row++)
                {
                    if (field.MaxDefinitionLevel > 0 && levels[row] == 0)
                    {
                        Assert.True(fast.IsNull(row), $"{field.Name} row {row} is null");
                        continue;
                    }

                    Assert.False(fast.IsNull(row), $"{field.Name} row {row} is not null");
                    Assert.Equal(values[next++].ToString(), fast.GetText(row).ToString());
                }

                compared++;
            }
        }

        return compared;
    }

    private static async Task<Dictionary<string, string>> EncodingsAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        using var group = reader.OpenRowGroupReader(0);
        return reader.Schema.GetDataFields().ToDictionary(f => f.Name, f => string.Join(",", group.GetMetadata(f)!.MetaData!.Encodings.Where(e => e != global::Parquet.Meta.Encoding.RLE)));
    }

    private static async Task<(byte[] Chunk, global::Parquet.Meta.ColumnMetaData Meta, int Rows)> FirstChunkBytesAsync(string path, string column)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true);
        using var group = reader.OpenRowGroupReader(0);
        var meta = group.GetMetadata(reader.Schema.GetDataFields().Single(f => f.Name == column))!.MetaData!;
        var start = meta.DictionaryPageOffset is > 0 and var d ? Math.Min(d, meta.DataPageOffset) : meta.DataPageOffset;
        var bytes = new byte[meta.TotalCompressedSize];
        stream.Position = start;
        await stream.ReadExactlyAsync(bytes);
        _ = BinaryPrimitives.ReadInt32LittleEndian(bytes); // the chunk is at least a length long
        return (bytes, meta, (int)group.RowCount);
    }
}
