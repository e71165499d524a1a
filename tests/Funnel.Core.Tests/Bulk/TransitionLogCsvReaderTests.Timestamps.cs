using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>Timestamps are never guessed (issue 15, item 2): the accepted forms, the unit and format options, and the hints.</summary>
public sealed partial class TransitionLogCsvReaderTests
{
    /// <summary>Reads one row with the given timestamp through the streaming reader and the file fast path, which must agree.</summary>
    private static (long? Seconds, string? Error) ReadTimestamp(string timestamp, TransitionLogCsvOptions? options = null)
    {
        var csv = $"entity,stage,timestamp\nx,attention,\"{timestamp.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n";
        var result = TransitionLogCsvReader.Read(new StringReader(csv), Aida, options);
        var fast = ReadFileFast(csv, options);
        Assert.Equal(TransitionLogCsvWriterTests.Rows(result.Log), TransitionLogCsvWriterTests.Rows(fast.Log));
        Assert.Equal(result.Errors.Select(e => e.ToString()), fast.Errors.Select(e => e.ToString()));
        return result.IsClean ? (result.Log.Timestamps[0], null) : (null, Assert.Single(result.Errors).Reason);
    }

    [Theory]
    [InlineData("1767225600", 1767225600L)]
    [InlineData(" 1767225600 ", 1767225600L)]
    [InlineData("+5", 5L)]
    [InlineData("-5", -5L)]
    [InlineData("0", 0L)]
    [InlineData("12.5", 12L)]
    [InlineData("12.000", 12L)]
    [InlineData("-12.5", -13L)]
    [InlineData("-12.0", -12L)]
    [InlineData("1767225600.999999", 1767225600L)]
    [InlineData("2026-01-01T00:00:00Z", 1767225600L)]
    [InlineData("2026-01-01 00:00:00Z", 1767225600L)]
    [InlineData("2026-01-01T00:00:00", 1767225600L)]
    [InlineData("2026-01-01T00:00", 1767225600L)]
    [InlineData("2026-01-01 00:00:00 UTC", 1767225600L)]
    [InlineData("2026-01-01T00:00:00.999Z", 1767225600L)]
    [InlineData("2026-01-01T01:00:00+01:00", 1767225600L)]
    [InlineData("2026-01-01T01:00:00+0100", 1767225600L)]
    [InlineData("2026-01-01T01:00:00+01", 1767225600L)]
    [InlineData("2025-12-31T23:30:00-00:30", 1767225600L)]
    [InlineData("1969-12-31T23:59:59.5Z", -1L)]
    [InlineData("0001-01-01T00:00:00Z", TransitionLog.MinTimestamp)]
    [InlineData("9999-12-31T23:59:59Z", TransitionLog.MaxTimestamp)]
    [InlineData("2024-02-29T12:00:00Z", 1709208000L)]
    public void Read_AcceptedTimestamp_IsWholeUnixSeconds(string timestamp, long expected)
    {
        Assert.Equal((expected, null), ReadTimestamp(timestamp));
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00z")]
    [InlineData("2026-01-01T00:00:00 utc")]
    [InlineData("2026-01-01T00:00:00 GMT")]
    [InlineData("2026-01-01T24:00:00Z")]
    [InlineData("2026-01-01T00:00:60Z")]
    [InlineData("2025-02-29T00:00:00Z")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("2026-01-01T00:00:00+15:00")]
    [InlineData("2026-01-01T00:00:00.Z")]
    [InlineData("2026-1-01T00:00:00Z")]
    [InlineData("01/02/2026 10:00")]
    [InlineData("1,767,225,600")]
    [InlineData("0x10")]
    public void Read_TimestampOutsideTheAcceptedForms_IsABadRow(string timestamp)
    {
        var (_, error) = ReadTimestamp(timestamp);

        Assert.Equal($"'{timestamp}' is neither Unix seconds nor an ISO 8601 date and time", error);
    }

    [Fact]
    public void Read_ThirteenDigitsWithoutUnit_IsABadRowThatNamesTheUnitOption()
    {
        var (_, error) = ReadTimestamp("1767225600000");

        Assert.Equal(
            "1767225600000 is outside the years 1 to 9999 (-62135596800..253402300799 Unix seconds); 13 digits look like Unix milliseconds: set TransitionLogCsvOptions.TimestampUnit to Milliseconds",
            error);
    }

    [Fact]
    public void Read_SixteenDigitsWithoutUnit_NamesMicroseconds()
    {
        var (_, error) = ReadTimestamp("1767225600000000");

        Assert.EndsWith("16 digits look like Unix microseconds: set TransitionLogCsvOptions.TimestampUnit to Microseconds", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CsvTimestampUnit.Milliseconds, "1767225600999", 1767225600L)]
    [InlineData(CsvTimestampUnit.Milliseconds, "1767225600999.9", 1767225600L)]
    [InlineData(CsvTimestampUnit.Milliseconds, "-1", -1L)]
    [InlineData(CsvTimestampUnit.Milliseconds, "-1000", -1L)]
    [InlineData(CsvTimestampUnit.Milliseconds, "-1001", -2L)]
    [InlineData(CsvTimestampUnit.Microseconds, "1767225600999999", 1767225600L)]
    [InlineData(CsvTimestampUnit.Microseconds, "2026-01-01T00:00:00Z", 1767225600L)]
    public void Read_WithTimestampUnit_FloorsToSeconds(CsvTimestampUnit unit, string timestamp, long expected)
    {
        Assert.Equal((expected, null), ReadTimestamp(timestamp, new TransitionLogCsvOptions { TimestampUnit = unit }));
    }

    [Fact]
    public void Read_WithMillisecondsUnit_ValueBeyondTheYearsSaysMilliseconds()
    {
        var (_, error) = ReadTimestamp("9223372036854775807", new TransitionLogCsvOptions { TimestampUnit = CsvTimestampUnit.Milliseconds });

        Assert.StartsWith("'9223372036854775807' is outside the years 1 to 9999", error, StringComparison.Ordinal);
        Assert.EndsWith("as Unix milliseconds", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DayFirstExportWithFormat_IsReadDayFirst()
    {
        // Regression (issue 15): '26-02-2018 19:58' was read month-first or skipped, and the run looked fine.
        var options = new TransitionLogCsvOptions { TimestampFormat = "dd-MM-yyyy HH:mm" };

        Assert.Equal((new DateTimeOffset(2018, 2, 26, 19, 58, 0, TimeSpan.Zero).ToUnixTimeSeconds(), null), ReadTimestamp("26-02-2018 19:58", options));
        Assert.Equal((new DateTimeOffset(2018, 2, 3, 19, 58, 0, TimeSpan.Zero).ToUnixTimeSeconds(), null), ReadTimestamp("03-02-2018 19:58", options));
    }

    [Theory]
    [InlineData("1767225600")]
    [InlineData("2018-02-26T19:58:00Z")]
    [InlineData("26-02-2018 19:58 ")]
    [InlineData("26-02-2018")]
    public void Read_WithFormat_AcceptsOnlyThatFormat(string timestamp)
    {
        var (_, error) = ReadTimestamp(timestamp, new TransitionLogCsvOptions { TimestampFormat = "dd-MM-yyyy HH:mm" });

        Assert.Equal($"'{timestamp}' does not have the timestamp format 'dd-MM-yyyy HH:mm' (TransitionLogCsvOptions.TimestampFormat)", error);
    }

    [Fact]
    public void Read_WithFormatThatHasAnOffset_UsesTheOffset()
    {
        var options = new TransitionLogCsvOptions { TimestampFormat = "yyyy/MM/dd HH:mm:ss zzz" };

        Assert.Equal((1767225600L, null), ReadTimestamp("2026/01/01 02:00:00 +02:00", options));
    }

    [Fact]
    public void Reader_BlankFormatOrUnknownUnit_Throws()
    {
        Assert.Throws<ArgumentException>(() => new TransitionLogCsvReader(new StringReader(string.Empty), Aida, new TransitionLogCsvOptions { TimestampFormat = " " }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TransitionLogCsvReader(new StringReader(string.Empty), Aida, new TransitionLogCsvOptions { TimestampUnit = (CsvTimestampUnit)7 }));
    }
}
