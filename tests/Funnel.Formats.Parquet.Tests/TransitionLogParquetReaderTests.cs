using System.Globalization;
using Funnel.Core.Bulk;
using Funnel.Formats.Tests;

namespace Funnel.Formats.Parquet.Tests;

public sealed class TransitionLogParquetReaderTests
{
    private const string CsvColumns = "{'entity': 'VARCHAR', 'stage': 'VARCHAR', 'timestamp': 'BIGINT', 'loss_reason': 'VARCHAR', 'segment': 'VARCHAR'}";

    [Fact]
    public void Read_DuckDbFileWithStringKeys_EqualsTheCsvPath()
    {
        using var folder = new TempFolder();
        var rows = FormatTestData.Rows();
        File.WriteAllText(folder.File("log.csv"), FormatTestData.ToCsv(rows));
        DuckDb.CopyToParquet($"SELECT * FROM read_csv('{folder.File("log.csv")}', header = true, columns = {CsvColumns})", folder.File("log.parquet"), ", ROW_GROUP_SIZE 2048");

        var read = TransitionLogParquetReader.Read(folder.File("log.parquet"), FormatTestData.Definition);

        var (csv, reader) = FormatTestData.ReadCsv(rows);
        Assert.True(read.IsClean, string.Join("; ", read.Errors));
        Assert.Equal(rows.Count, read.RowsRead);
        Assert.Equal(rows.Count, read.RowsKept);
        FormatTestData.AssertSameLog(csv, reader.Entities, reader.Segments, read.Log, read.Entities, read.Segments);
    }

    [Fact]
    public void Read_DuckDbFileWithIntegerKeysAndOrdinals_EqualsTheCsvPathOfTheDecimalTexts()
    {
        using var folder = new TempFolder();
        var rows = FormatTestData.Rows(seed: 11);
        File.WriteAllText(folder.File("log.csv"), FormatTestData.ToCsv(rows));
        DuckDb.CopyToParquet(
            $"""
            SELECT CAST(substr(entity, 6) AS BIGINT) AS entity,
                   CAST(substr(stage, 2) AS INTEGER) AS stage,
                   timestamp,
                   CASE loss_reason WHEN 'price' THEN 0 WHEN 'competitor' THEN 1 WHEN NULL THEN NULL ELSE -1 END::SMALLINT AS loss_reason,
                   CASE segment WHEN 'ads' THEN 10 WHEN 'seo' THEN 20 WHEN 'mail' THEN 30 END::INTEGER AS segment
            FROM read_csv('{folder.File("log.csv")}', header = true, columns = {CsvColumns})
            """,
            folder.File("log.parquet"));

        var read = TransitionLogParquetReader.Read(folder.File("log.parquet"), FormatTestData.Definition);

        var asIntegers = rows.Select(r => new TestRow(
            long.Parse(r.Entity.AsSpan(5), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            FormatTestData.StageOrdinal(r.Stage).ToString(CultureInfo.InvariantCulture),
            r.Seconds,
            r.Reason is null ? null : FormatTestData.ReasonOrdinal(r.Reason).ToString(CultureInfo.InvariantCulture),
            r.Segment switch { "ads" => "10", "seo" => "20", "mail" => "30", _ => null })).ToList();
        var (csv, reader) = FormatTestData.ReadCsv(asIntegers);
        Assert.True(read.IsClean, string.Join("; ", read.Errors));
        FormatTestData.AssertSameLog(csv, reader.Entities, reader.Segments, read.Log, read.Entities, read.Segments);
        Assert.DoesNotContain(read.Entities.ToImmutableArray(), key => key.StartsWith('0') && key != "0");
    }

    [Theory]
    [InlineData("ts_us")]
    [InlineData("ts_ms")]
    [InlineData("ts_ns")]
    [InlineData("ts_tz")]
    [InlineData("ts_int")]
    public void Read_TimestampOfAnyUnit_IsRoundedDownToTheWholeSecond(string column)
    {
        using var folder = new TempFolder();
        long[] millis = [0, 1_999, -500, -1, 1_767_225_600_123, -62_135_596_800_000, 253_402_300_799_999];
        var values = string.Join(", ", millis.Select(m => $"({m})"));
        DuckDb.CopyToParquet(
            $"""
            SELECT 'lead' AS entity, 's0' AS stage,
                   make_timestamp(ms * 1000) AS ts_us,
                   CAST(make_timestamp(ms * 1000) AS TIMESTAMP_MS) AS ts_ms,
                   CASE WHEN ms BETWEEN -9000000000000 AND 9000000000000 THEN make_timestamp_ns(ms * 1000000) END AS ts_ns,
                   CAST(make_timestamp(ms * 1000) AS TIMESTAMPTZ) AS ts_tz,
                   CAST(floor(ms / 1000.0) AS BIGINT) AS ts_int
            FROM (VALUES {values}) v(ms)
            """,
            folder.File("times.parquet"));

        var read = TransitionLogParquetReader.Read(folder.File("times.parquet"), FormatTestData.Definition, new TransitionLogColumns { TimestampColumn = column });

        long[] expected = [0, 1, -1, -1, 1_767_225_600, TransitionLog.MinTimestamp, TransitionLog.MaxTimestamp];
        var kept = column == "ts_ns" ? expected.Take(5) : expected; // nanoseconds in int64 cover the years 1677 to 2262 only
        Assert.Equal(kept, read.Log.Timestamps.ToArray());
        Assert.Equal(column == "ts_ns" ? 2 : 0, read.RowsRejected);
    }

    [Fact]
    public void Read_BadRows_AreReportedWithRowIndexAndColumn_AndTheOthersKept()
    {
        using var folder = new TempFolder();
        DuckDb.CopyToParquet(
            """
            SELECT * FROM (VALUES
                ('a', 's0', 100, NULL, 'ads'),
                (NULL, 's0', 100, NULL, NULL),
                ('  ', 's0', 100, NULL, NULL),
                ('a', 'nope', 100, NULL, NULL),
                ('a', '9', 100, NULL, NULL),
                ('a', 's1', NULL, NULL, NULL),
                ('a', 's1', 253402300800, NULL, NULL),
                ('a', 's1', 200, 'cheap', NULL),
                ('b', 's1', 300, '-1', ''),
                ('b', '2', 400, '1', NULL),
                ('007', 's0', 500, '', 'seo')
            ) t(entity, stage, timestamp, loss_reason, segment)
            """,
            folder.File("bad.parquet"));

        var read = TransitionLogParquetReader.Read(folder.File("bad.parquet"), FormatTestData.Definition);

        Assert.Equal(11, read.RowsRead);
        Assert.Equal(4, read.RowsKept);
        Assert.Equal(read.RowsRead, read.RowsKept + read.RowsRejected);
        Assert.Equal(
            [(1L, "entity"), (2L, "entity"), (3L, "stage"), (4L, "stage"), (5L, "timestamp"), (6L, "timestamp"), (7L, "loss_reason")],
            read.Errors.Select(e => (e.RowIndex, e.Column)));
        Assert.Equal("row 3, column stage: 'nope' is neither a stage key of 'formats' nor a stage ordinal 0..3", read.Errors[2].ToString());
        Assert.Equal(
            [RowErrorKind.MissingValue, RowErrorKind.MissingValue, RowErrorKind.UnknownStage, RowErrorKind.UnknownStage, RowErrorKind.MissingValue, RowErrorKind.TimestampOutOfRange, RowErrorKind.UnknownLossReason],
            read.Errors.Select(e => e.Kind));
        Assert.Equal(["nope", "9", "253402300800", "cheap"], read.Errors.Select(e => e.Value).OfType<string>());
        Assert.Equal(read.RowsRejected, read.ErrorCountsByColumn.Sum(c => c.Rows));
        Assert.Equal(["a", "b", "007"], read.Entities.ToImmutableArray().ToArray());
        Assert.Equal(["ads", "seo"], read.Segments.ToImmutableArray().ToArray());
        Assert.Equal([0, 1, 2, 0], read.Log.Stages.ToArray().Select(s => (int)s));
        Assert.Equal([-1, -1, 1, -1], read.Log.LossReasons.ToArray().Select(r => (int)r));
        Assert.Equal([0, -1, -1, 1], read.Log.Segments.ToArray());
    }

    [Fact]
    public async Task Read_DuckDbDictionaryEncodedStringKeysOverManyRowGroups_KeepsRowIndexesOfNullsAndBadRowsInTheMiddle()
    {
        using var folder = new TempFolder();

        // Few distinct entities, so that DuckDB dictionary-encodes the entity column; keys of every kind: decimal texts
        // (found by value), texts that are not an integer's own text ("007", "-0", "+5", 20 digits), other texts.
        string[] keys = ["0", "42", "-7", "9223372036854775807", "-9223372036854775808", "007", "-0", "+5", "12345678901234567890", "lead-a", "Lead-A", "é"];
        var rows = new List<TestRow>();
        var bad = new Dictionary<int, string>();
        for (var i = 0; i < 9000; i++)
        {
            var row = new TestRow(keys[(i * 7) % keys.Length], "s" + (i % 4), 1_767_225_600L + i, i % 5 == 0 ? "price" : null, i % 3 == 0 ? null : "seg-" + (i % 4));
            (row, var column) = i switch
            {
                2047 => (row with { Entity = string.Empty }, "entity"), // the last row of the first row group; empty text is null in DuckDB's CSV
                2048 => (row with { Stage = "nope" }, "stage"), // the first row of the second
                4500 => (row with { Reason = "cheap" }, "loss_reason"),
                8999 => (row with { Stage = "7" }, "stage"), // the last row of the file
                _ => (row, string.Empty),
            };
            rows.Add(row);
            if (column.Length > 0)
            {
                bad[i] = column;
            }
        }

        File.WriteAllText(folder.File("log.csv"), FormatTestData.ToCsv(rows));
        DuckDb.CopyToParquet($"SELECT * FROM read_csv('{folder.File("log.csv")}', header = true, columns = {CsvColumns})", folder.File("log.parquet"), ", ROW_GROUP_SIZE 2048");
        var (encodings, rowGroups) = await FooterAsync(folder.File("log.parquet"), "entity");
        Assert.Contains(encodings, e => e.Contains("DICTIONARY", StringComparison.Ordinal));
        Assert.True(rowGroups >= 4, $"{rowGroups} row groups");

        var read = await TransitionLogParquetReader.ReadAsync(folder.File("log.parquet"), FormatTestData.Definition);

        Assert.Equal(9000, read.RowsRead);
        Assert.Equal(bad.Select(b => ((long)b.Key, b.Value)), read.Errors.Select(e => (e.RowIndex, e.Column)));
        var (csv, reader) = FormatTestData.ReadCsv(rows.Where((_, i) => !bad.ContainsKey(i)));
        FormatTestData.AssertSameLog(csv, reader.Entities, reader.Segments, read.Log, read.Entities, read.Segments);
        Assert.Equal(keys.Length, read.Entities.Count);
        Assert.Equal(read.Entities.ToImmutableArray().IndexOf("-7"), read.Entities.Intern("-7"));
    }

    [Fact]
    public void Read_CommonNames_FindsEachColumnByItsFirstNameTheFileHas_AndSaysWhichSegmentColumn()
    {
        using var folder = new TempFolder();
        DuckDb.CopyToParquet(
            "SELECT * FROM (VALUES ('a', 's0', 100, NULL, 'web', 'x'), ('a', 's1', 200, 'price', 'web', 'y'), ('b', 's0', 300, NULL, 'shop', 'z')) t(lead_id, stage, \"at\", reason, Channel, segment)",
            folder.File("named.parquet"));

        var read = TransitionLogParquetReader.Read(folder.File("named.parquet"), FormatTestData.Definition, TransitionLogColumns.CommonNames);

        Assert.True(read.IsClean, string.Join("; ", read.Errors));
        Assert.Equal(["a", "b"], read.Entities.ToImmutableArray().ToArray());
        Assert.Equal("segment", read.SegmentColumn); // 'segment' comes before 'channel' among the alternatives of 'source'
        Assert.Equal(["x", "y", "z"], read.Segments.ToImmutableArray().ToArray());
        Assert.Equal([-1, 0, -1], read.Log.LossReasons.ToArray().Select(r => (int)r));

        DuckDb.CopyToParquet("SELECT 'a' AS lead, 's0' AS stage, 100 AS time, 'web' AS Channel", folder.File("channel.parquet"));
        var channel = TransitionLogParquetReader.Read(folder.File("channel.parquet"), FormatTestData.Definition, TransitionLogColumns.CommonNames);
        Assert.Equal("Channel", channel.SegmentColumn);
        Assert.Equal(["web"], channel.Segments.ToImmutableArray().ToArray());

        var none = TransitionLogParquetReader.Read(folder.File("channel.parquet"), FormatTestData.Definition, new TransitionLogColumns { EntityColumn = "lead", TimestampColumn = "time", SegmentColumn = "region" });
        Assert.Null(none.SegmentColumn);
        Assert.False(none.Log.HasSegments);
    }

    [Fact]
    public void Read_RequiredColumnMissingUnderEveryName_NamesTheAlternativesInTheMessage()
    {
        using var folder = new TempFolder();
        DuckDb.CopyToParquet("SELECT 'a' AS who, 's0' AS stage, 100 AS timestamp", folder.File("nameless.parquet"));

        var ex = Assert.Throws<TransitionLogFormatException>(() => TransitionLogParquetReader.Read(folder.File("nameless.parquet"), FormatTestData.Definition, TransitionLogColumns.CommonNames));

        Assert.Contains("the required column 'entity' (or 'entity_id', 'lead', 'lead_id') is missing", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TransitionLogParquetReader.Read(folder.File("nameless.parquet"), FormatTestData.Definition, new TransitionLogColumns { EntityColumnAlternatives = ["who", " "] }));
    }

    [Fact]
    public void Read_BadIntegerValues_AreRowErrors()
    {
        using var folder = new TempFolder();
        DuckDb.CopyToParquet(
            """
            SELECT entity::UBIGINT AS entity, stage::INTEGER AS stage, timestamp::BIGINT AS timestamp, loss_reason::INTEGER AS loss_reason FROM (VALUES
                (1, 0, 10, NULL),
                (18446744073709551615, 0, 10, NULL),
                (2, -1, 10, NULL),
                (2, 4, 10, NULL),
                (2, 1, 10, 2),
                (2, 1, 10, -2),
                (2, 1, 20, -1),
                (2, 1, 30, 1)
            ) t(entity, stage, timestamp, loss_reason)
            """,
            folder.File("bad.parquet"));

        var read = TransitionLogParquetReader.Read(folder.File("bad.parquet"), FormatTestData.Definition);

        Assert.Equal([(1L, "entity"), (2L, "stage"), (3L, "stage"), (4L, "loss_reason"), (5L, "loss_reason")], read.Errors.Select(e => (e.RowIndex, e.Column)));
        Assert.Equal(
            [(RowErrorKind.KeyOutOfRange, null), (RowErrorKind.UnknownStage, "-1"), (RowErrorKind.UnknownStage, "4"), (RowErrorKind.UnknownLossReason, "2"), (RowErrorKind.UnknownLossReason, "-2")],
            read.Errors.Select(e => (e.Kind, e.Value)));
        Assert.Equal(["1", "2"], read.Entities.ToImmutableArray().ToArray());
        Assert.Equal([-1, -1, 1], read.Log.LossReasons.ToArray().Select(r => (int)r));
    }

    [Fact]
    public void Read_ColumnsMappedByOtherNames_MatchIgnoringCase()
    {
        using var folder = new TempFolder();
        DuckDb.CopyToParquet("SELECT 'x' AS Lead, 's1' AS STAGE, 5 AS At, 'extra' AS ignored", folder.File("named.parquet"));

        var read = TransitionLogParquetReader.Read(
            folder.File("named.parquet"),
            FormatTestData.Definition,
            new TransitionLogColumns { EntityColumn = "lead", StageColumn = "stage", TimestampColumn = "at" });

        Assert.True(read.IsClean);
        Assert.Equal(1, read.RowsKept);
        Assert.False(read.Log.HasSegments);
    }

    [Fact]
    public void Read_MissingAndMistypedColumns_ThrowOneExceptionNamingTheFileAndEveryColumn()
    {
        using var folder = new TempFolder();
        var path = folder.File("partial.parquet");
        DuckDb.CopyToParquet("SELECT 1.5::DOUBLE AS entity, 100 AS timestamp, DATE '2026-01-01' AS segment", path);

        var error = Assert.Throws<TransitionLogFormatException>(() => TransitionLogParquetReader.Read(path, FormatTestData.Definition));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("the required column 'stage' is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("the entity column 'entity' has the type DOUBLE", error.Message, StringComparison.Ordinal);
        Assert.Contains("the segment column 'segment' has the type DATE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FileThatIsNotParquet_ThrowsFormatException()
    {
        using var folder = new TempFolder();
        var path = folder.File("log.parquet");
        File.WriteAllText(path, FormatTestData.ToCsv(FormatTestData.Rows(5)));

        var error = Assert.Throws<TransitionLogFormatException>(() => TransitionLogParquetReader.Read(path, FormatTestData.Definition));

        Assert.Contains($"'{path}' is not a Parquet file", error.Message, StringComparison.Ordinal);
        File.WriteAllBytes(path, []);
        Assert.Throws<TransitionLogFormatException>(() => TransitionLogParquetReader.Read(path, FormatTestData.Definition));
    }

    [Fact]
    public void Read_TruncatedOrDamagedFile_ThrowsFormatExceptionNeverTheLibrarys()
    {
        using var folder = new TempFolder();
        var path = folder.File("log.parquet");
        DuckDb.CopyToParquet("SELECT 'lead-' || i AS entity, 's0' AS stage, i AS timestamp FROM range(5000) t(i)", path);
        var bytes = File.ReadAllBytes(path);

        File.WriteAllBytes(folder.File("cut.parquet"), bytes[..(bytes.Length / 2)]);
        var cut = Assert.Throws<TransitionLogFormatException>(() => TransitionLogParquetReader.Read(folder.File("cut.parquet"), FormatTestData.Definition));
        Assert.Contains("is truncated", cut.Message, StringComparison.Ordinal);

        // Both magic ends and the footer intact, the column data garbage (a disk fault): the pages cannot be decoded.
        var damaged = (byte[])bytes.Clone();
        damaged.AsSpan(4, damaged.Length / 2).Fill(0xA5);
        File.WriteAllBytes(folder.File("damaged.parquet"), damaged);
        var error = Assert.Throws<TransitionLogFormatException>(() => TransitionLogParquetReader.Read(folder.File("damaged.parquet"), FormatTestData.Definition));
        Assert.Contains("is damaged", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task ReadAsync_StreamThatCannotSeek_EqualsTheFileRead()
    {
        using var folder = new TempFolder();
        var rows = FormatTestData.Rows(50);
        File.WriteAllText(folder.File("log.csv"), FormatTestData.ToCsv(rows));
        DuckDb.CopyToParquet($"SELECT * FROM read_csv('{folder.File("log.csv")}', header = true, columns = {CsvColumns})", folder.File("log.parquet"));
        var fromFile = TransitionLogParquetReader.Read(folder.File("log.parquet"), FormatTestData.Definition);

        await using var stream = new ForwardOnlyStream(File.ReadAllBytes(folder.File("log.parquet")));
        var fromStream = await TransitionLogParquetReader.ReadAsync(stream, FormatTestData.Definition);

        FormatTestData.AssertSameLog(fromFile.Log, fromFile.Entities, fromFile.Segments, fromStream.Log, fromStream.Entities, fromStream.Segments);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        using var folder = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => TransitionLogParquetReader.Read(folder.File("absent.parquet"), FormatTestData.Definition));
    }

    /// <summary>The encodings of a column's chunks and the number of row groups, from the file's footer.</summary>
    private static async Task<(string[] Encodings, int RowGroups)> FooterAsync(string path, string column)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await global::Parquet.ParquetReader.CreateAsync(stream);
        var chunks = reader.Metadata!.RowGroups.SelectMany(g => g.Columns).Where(c => c.MetaData!.PathInSchema[0] == column);
        return ([.. chunks.SelectMany(c => c.MetaData!.Encodings).Select(e => e.ToString())], reader.RowGroupCount);
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
