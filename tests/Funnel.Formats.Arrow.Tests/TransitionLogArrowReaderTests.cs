using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Funnel.Core.Bulk;
using Funnel.Formats.Tests;
using static Funnel.Formats.Arrow.Tests.ArrowTestFiles;

namespace Funnel.Formats.Arrow.Tests;

public sealed class TransitionLogArrowReaderTests
{
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Read_StringKeysInSeveralBatches_EqualsTheCsvPath(bool fileFormat, bool dictionary)
    {
        using var folder = new TempFolder();
        var rows = FormatTestData.Rows();
        Write(folder.File("log.arrow"), [.. rows.Chunk(700).Select(chunk => TextBatch(chunk, dictionary ? rows : null))], fileFormat);

        var read = TransitionLogArrowReader.Read(folder.File("log.arrow"), FormatTestData.Definition);

        var (csv, reader) = FormatTestData.ReadCsv(rows);
        Assert.True(read.IsClean, string.Join("; ", read.Errors));
        Assert.Equal(rows.Count, read.RowsRead);
        FormatTestData.AssertSameLog(csv, reader.Entities, reader.Segments, read.Log, read.Entities, read.Segments);
    }

    [Fact]
    public void Read_IntegerKeysAndOrdinals_EqualsTheCsvPathOfTheDecimalTexts()
    {
        using var folder = new TempFolder();
        var rows = FormatTestData.Rows(seed: 11);
        var entities = rows.Select(r => (long?)long.Parse(r.Entity.AsSpan(5), CultureInfo.InvariantCulture)).ToList();
        var segments = rows.Select(r => r.Segment switch { "ads" => 10, "seo" => 20, "mail" => 30, _ => (int?)null }).ToList();
        Write(folder.File("log.arrows"), [Batch(
            ("entity", Int64s(entities)),
            ("stage", Int32s(rows.Select(r => (int?)FormatTestData.StageOrdinal(r.Stage)))),
            ("timestamp", Int64s(rows.Select(r => (long?)r.Seconds))),
            ("loss_reason", Int16s(rows.Select((r, i) => r.Reason is null ? (i % 2 == 0 ? (short?)null : (short)-1) : (short)FormatTestData.ReasonOrdinal(r.Reason)))),
            ("segment", Int32s(segments)))], fileFormat: false);

        var read = TransitionLogArrowReader.Read(folder.File("log.arrows"), FormatTestData.Definition);

        var asIntegers = rows.Select((r, i) => new TestRow(
            Text(entities[i]!.Value),
            Text(FormatTestData.StageOrdinal(r.Stage)),
            r.Seconds,
            r.Reason is null ? null : Text(FormatTestData.ReasonOrdinal(r.Reason)),
            segments[i] is { } s ? Text(s) : null)).ToList();
        var (csv, reader) = FormatTestData.ReadCsv(asIntegers);
        Assert.True(read.IsClean, string.Join("; ", read.Errors));
        FormatTestData.AssertSameLog(csv, reader.Entities, reader.Segments, read.Log, read.Entities, read.Segments);
    }

    [Theory]
    [InlineData(TimeUnit.Second, null)]
    [InlineData(TimeUnit.Millisecond, "UTC")]
    [InlineData(TimeUnit.Microsecond, "+05:00")]
    [InlineData(TimeUnit.Nanosecond, null)]
    public void Read_TimestampOfAnyUnit_IsRoundedDownToTheWholeSecondExactly(TimeUnit unit, string? timezone)
    {
        using var folder = new TempFolder();
        var perSecond = unit switch { TimeUnit.Second => 1L, TimeUnit.Millisecond => 1_000L, TimeUnit.Microsecond => 1_000_000L, _ => 1_000_000_000L };
        // (whole seconds, fraction in units): 1.999.., -0.000..1 (just before the epoch), 2026-01-01 + a fraction.
        (long Seconds, long Fraction)[] times = [(0, 0), (1, perSecond - 1), (-1, perSecond - 1), (1_767_225_600, perSecond / 2), (-5, 0)];
        var raw = times.Select(t => t.Seconds * perSecond + t.Fraction).ToList();
        Write(folder.File("times.arrow"), [Batch(
            ("entity", Strings(times.Select(_ => (string?)"lead"))),
            ("stage", Strings(times.Select(_ => (string?)"s0"))),
            ("timestamp", Timestamps(unit, timezone, raw)))]);

        var read = TransitionLogArrowReader.Read(folder.File("times.arrow"), FormatTestData.Definition);

        Assert.True(read.IsClean, string.Join("; ", read.Errors));
        Assert.Equal(times.Select(t => t.Seconds), read.Log.Timestamps.ToArray());
    }

    [Fact]
    public void Read_CompressedFile_AsPyarrowWritesFeather_IsRead()
    {
        using var folder = new TempFolder();
        var rows = FormatTestData.Rows(40);
        var options = new IpcOptions { CompressionCodecFactory = new CompressionCodecFactory(), CompressionCodec = CompressionCodecType.Lz4Frame };
        Write(folder.File("log.feather"), [TextBatch(rows)], fileFormat: true, options);

        var read = TransitionLogArrowReader.Read(folder.File("log.feather"), FormatTestData.Definition);

        var (csv, reader) = FormatTestData.ReadCsv(rows);
        FormatTestData.AssertSameLog(csv, reader.Entities, reader.Segments, read.Log, read.Entities, read.Segments);
    }

    [Fact]
    public void Read_BadRows_AreReportedWithRowIndexAndColumn_AndTheOthersKept()
    {
        using var folder = new TempFolder();
        Write(folder.File("bad.arrow"), [
            Batch(
                ("entity", Strings(["a", null, "  ", "a"])),
                ("stage", Strings(["s0", "s0", "s0", "nope"])),
                ("timestamp", Int64s([100, 100, 100, 100])),
                ("loss_reason", Strings([null, null, null, null]))),
            Batch(
                ("entity", Strings(["a", "a", "a", "a", "b", "007"])),
                ("stage", Strings(["9", "s1", "s1", "s1", "s1", "2"])),
                ("timestamp", Int64s([100, null, 253_402_300_800, 200, 300, 400])),
                ("loss_reason", Strings([null, null, null, "cheap", "-1", "1"])))]);

        var read = TransitionLogArrowReader.Read(folder.File("bad.arrow"), FormatTestData.Definition);

        Assert.Equal(10, read.RowsRead);
        Assert.Equal(3, read.RowsKept);
        Assert.Equal(
            [(1L, "entity"), (2L, "entity"), (3L, "stage"), (4L, "stage"), (5L, "timestamp"), (6L, "timestamp"), (7L, "loss_reason")],
            read.Errors.Select(e => (e.RowIndex, e.Column)));
        Assert.Equal("row 6, column timestamp: 253402300800 seconds is outside the years 1 to 9999", read.Errors[5].ToString());
        Assert.Equal(
            [
                (RowErrorKind.MissingValue, null), (RowErrorKind.MissingValue, null), (RowErrorKind.UnknownStage, "nope"), (RowErrorKind.UnknownStage, "9"),
                (RowErrorKind.MissingValue, null), (RowErrorKind.TimestampOutOfRange, "253402300800"), (RowErrorKind.UnknownLossReason, "cheap"),
            ],
            read.Errors.Select(e => (e.Kind, e.Value)));
        Assert.Equal([("entity", 2L), ("stage", 2L), ("timestamp", 2L), ("loss_reason", 1L)], read.ErrorCountsByColumn.Select(c => (c.Column, c.Rows)));
        Assert.Equal(["stage '9': 1 row", "loss reason 'cheap': 1 row", "stage 'nope': 1 row"], read.UnknownKeys.Select(u => u.ToString()));
        Assert.Equal(["a", "b", "007"], read.Entities.ToImmutableArray().ToArray());
        Assert.Equal([-1, -1, 1], read.Log.LossReasons.ToArray().Select(r => (int)r));
    }

    [Fact]
    public void Read_KeyOnlyInRejectedRows_GetsNoId_AsInTheCsvReader()
    {
        using var folder = new TempFolder();
        Write(folder.File("log.arrow"), [
            Batch(
                ("entity", Strings(["x", "a", "y", "7"])),
                ("stage", Strings(["nope", "s0", "s1", "9"])),
                ("timestamp", Int64s([1, 2, null, 3]))),
            Batch(
                ("entity", Strings(["b", "7"])),
                ("stage", Strings(["s1", "s2"])),
                ("timestamp", Int64s([4, 5])))]);

        var read = TransitionLogArrowReader.Read(folder.File("log.arrow"), FormatTestData.Definition);

        Assert.Equal(["a", "b", "7"], read.Entities.ToImmutableArray().ToArray());
        Assert.Equal([0, 1, 2], read.Log.EntityIds.ToArray());
        Assert.Equal(3, read.Log.EntityIdLimit);
        Assert.Equal([0L, 2L, 3L], read.Errors.Select(e => e.RowIndex));
    }

    [Fact]
    public void Read_IntegerKeysAndOrdinalsOutOfRange_HaveTheirKindsAndValues()
    {
        using var folder = new TempFolder();
        var entities = new UInt64Array.Builder().Append(1).Append(ulong.MaxValue).Append(2).Append(3).Build();
        Write(folder.File("ints.arrow"), [
            Batch(
                ("entity", entities),
                ("stage", Int64s([0, 0, 7, 0])),
                ("timestamp", Int64s([100, 100, 100, 100])),
                ("loss_reason", Int64s([null, null, null, 42])))]);

        var read = TransitionLogArrowReader.Read(folder.File("ints.arrow"), FormatTestData.Definition);

        Assert.Equal(1, read.RowsKept);
        Assert.Equal(
            [(1L, RowErrorKind.KeyOutOfRange, null), (2L, RowErrorKind.UnknownStage, "7"), (3L, RowErrorKind.UnknownLossReason, "42")],
            read.Errors.Select(e => (e.RowIndex, e.Kind, e.Value)));
        Assert.Equal(["loss reason '42': 1 row", "stage '7': 1 row"], read.UnknownKeys.Select(u => u.ToString()));
    }

    [Fact]
    public void Read_MissingAndMistypedColumns_ThrowOneExceptionNamingTheFileAndEveryColumn()
    {
        using var folder = new TempFolder();
        var path = folder.File("partial.arrow");
        var doubles = new DoubleArray.Builder().Append(1.5).Build();
        var dates = new Date32Array.Builder().Append(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)).Build();
        Write(path, [Batch(("entity", doubles), ("timestamp", dates))]);

        var error = Assert.Throws<TransitionLogFormatException>(() => TransitionLogArrowReader.Read(path, FormatTestData.Definition));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("the required column 'stage' is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("the entity column 'entity' has the type double", error.Message, StringComparison.Ordinal);
        Assert.Contains("the timestamp column 'timestamp' has the type date32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CommonNames_FindsEachColumnByItsFirstNameTheFileHas_AndSaysWhichSegmentColumn()
    {
        using var folder = new TempFolder();
        var path = folder.File("named.arrow");
        Write(path, [Batch(
            ("LEAD", Strings(["a", "a", "b"])),
            ("stage", Strings(["s0", "s1", "s0"])),
            ("time", Int64s([100, 200, 300])),
            ("reason", Strings([null, "price", null])),
            ("channel", Strings(["web", "web", "shop"])))]);

        var read = TransitionLogArrowReader.Read(path, FormatTestData.Definition, TransitionLogColumns.CommonNames);

        Assert.True(read.IsClean, string.Join("; ", read.Errors));
        Assert.Equal("channel", read.SegmentColumn);
        Assert.Equal(["a", "b"], read.Entities.ToImmutableArray().ToArray());
        Assert.Equal(["web", "shop"], read.Segments.ToImmutableArray().ToArray());
        Assert.Equal([-1, 0, -1], read.Log.LossReasons.ToArray().Select(r => (int)r));

        var error = Assert.Throws<TransitionLogFormatException>(() => TransitionLogArrowReader.Read(path, FormatTestData.Definition, new TransitionLogColumns { EntityColumnAlternatives = ["lead_id"] }));
        Assert.Contains("the required column 'entity' (or 'lead_id') is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DataThatIsNotArrow_ThrowsFormatException()
    {
        using var folder = new TempFolder();
        var path = folder.File("log.arrow");
        File.WriteAllText(path, FormatTestData.ToCsv(FormatTestData.Rows(5)));

        var error = Assert.Throws<TransitionLogFormatException>(() => TransitionLogArrowReader.Read(path, FormatTestData.Definition));

        Assert.Contains($"'{path}' is not Arrow IPC data", error.Message, StringComparison.Ordinal);
        File.WriteAllBytes(path, [0x50, 0x41, 0x52, 0x31, 0, 0, 0, 0, 0x50, 0x41, 0x52, 0x31]);
        Assert.Throws<TransitionLogFormatException>(() => TransitionLogArrowReader.Read(path, FormatTestData.Definition));
        File.WriteAllBytes(path, []);
        Assert.Throws<TransitionLogFormatException>(() => TransitionLogArrowReader.Read(path, FormatTestData.Definition));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_TruncatedData_ThrowsFormatExceptionNeverTheLibrarys(bool fileFormat)
    {
        using var folder = new TempFolder();
        var rows = FormatTestData.Rows(100);
        Write(folder.File("log.arrow"), [.. rows.Chunk(90).Select(chunk => TextBatch(chunk))], fileFormat);
        var bytes = File.ReadAllBytes(folder.File("log.arrow"));

        foreach (var cut in new[] { bytes.Length / 3, bytes.Length / 2, bytes.Length - 20 })
        {
            File.WriteAllBytes(folder.File("cut.arrow"), bytes[..cut]);
            var error = Assert.Throws<TransitionLogFormatException>(() => TransitionLogArrowReader.Read(folder.File("cut.arrow"), FormatTestData.Definition));
            Assert.Contains(fileFormat ? "is truncated" : "damaged or truncated", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReadAsync_StreamThatCannotSeek_EqualsTheFileRead()
    {
        using var folder = new TempFolder();
        var rows = FormatTestData.Rows(50);
        Write(folder.File("log.arrows"), [TextBatch(rows)], fileFormat: false);
        var fromFile = TransitionLogArrowReader.Read(folder.File("log.arrows"), FormatTestData.Definition);

        await using var stream = new ForwardOnlyStream(File.ReadAllBytes(folder.File("log.arrows")));
        var fromStream = await TransitionLogArrowReader.ReadAsync(stream, FormatTestData.Definition);

        FormatTestData.AssertSameLog(fromFile.Log, fromFile.Entities, fromFile.Segments, fromStream.Log, fromStream.Entities, fromStream.Segments);
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
