using System.Text;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>RFC 4180 fields and exact keys (issue 14, rule 6).</summary>
public sealed partial class TransitionLogCsvReaderTests
{
    private const string Header = "entity,stage,timestamp,loss_reason\n";

    /// <summary>Reads the text and returns the result with the entity key of every kept row.</summary>
    private static (TransitionLogCsvResult Result, string[] Keys, TransitionLogCsvReader Reader) ReadKeys(string csv, TransitionLogCsvOptions? options = null)
    {
        var reader = new TransitionLogCsvReader(new StringReader(csv), Aida, options);
        var result = reader.ReadChunk(int.MaxValue)!;
        Assert.Equal(result.RowsRead, result.RowsKept + result.RowsRejected);
        Assert.Equal(CsvFastPath.Describe(result), CsvFastPath.Describe(ReadFileFast(csv, options)));
        Assert.Equal(CsvFastPath.Describe(result), CsvFastPath.Describe(ReadFileFast(csv, options, chunkBytes: 3, bufferBytes: 16)));
        return (result, result.Log.EntityIds.ToArray().Select(reader.Entities.GetKey).ToArray(), reader);
    }

    /// <summary>The file fast path on the same text (UTF-8), optionally cut into tiny chunks read through tiny buffers.</summary>
    private static TransitionLogCsvResult ReadFileFast(string csv, TransitionLogCsvOptions? options = null, long? chunkBytes = null, int? bufferBytes = null) =>
        CsvFastPath.ReadBytes(Encoding.UTF8.GetBytes(csv), Aida, options, chunkBytes, bufferBytes);

    [Fact]
    public void Read_QuotedFieldWithDelimiter_IsOneField()
    {
        var (result, keys, _) = ReadKeys(Header + "\"lead, one\",attention,5,\n");

        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        Assert.Equal(["lead, one"], keys);
    }

    [Fact]
    public void Read_DoubledQuoteInQuotedField_IsOneQuote()
    {
        var (result, keys, _) = ReadKeys(Header + "\"say \"\"hi\"\"\",attention,5,\n\"\"\"\",attention,6,\n");

        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        Assert.Equal(["say \"hi\"", "\""], keys);
    }

    [Fact]
    public void Read_QuotedFieldSpanningLines_KeepsItsLineBreaksAndLaterLineNumbersArePhysical()
    {
        // Line 2 starts a row whose key holds LF, CRLF and CR; it ends on line 5. Line 6 is bad, line 7 is kept.
        const string Csv = Header + "\"a\nb\r\nc\rd\",attention,5,\nbad,nowhere,6,\ne,interest,7,\n";

        var (result, keys, reader) = ReadKeys(Csv);

        Assert.Equal(["a\nb\r\nc\rd", "e"], keys);
        Assert.Equal(3, result.RowsRead);
        var error = Assert.Single(result.Errors);
        Assert.Equal(6, error.LineNumber);
        Assert.Equal(2, error.ColumnNumber);
        Assert.Equal(7, reader.LineNumber);
    }

    [Fact]
    public void Read_QuotedFieldSpanningLines_ErrorNamesTheLineWhereTheRowStarts()
    {
        const string Csv = Header + "ok,attention,1,\n\"multi\nline\nkey\",nowhere,5,\n";

        var (result, keys, _) = ReadKeys(Csv);

        Assert.Equal(["ok"], keys);
        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.LineNumber);
        Assert.Equal(2, error.ColumnNumber);
        Assert.Equal("stage", error.Column);
    }

    [Fact]
    public void Read_ByteOrderMarkAtStart_IsIgnored()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Header + "a,attention,5,\n")).ToArray();

        // A decoder that keeps the BOM as U+FEFF, and one that drops it, read the same.
        var kept = TransitionLogCsvReader.Read(new StringReader("\uFEFF" + Header + "a,attention,5,\n"), Aida);
        using var stream = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
        var decoded = TransitionLogCsvReader.Read(stream, Aida);

        Assert.True(kept.IsClean, string.Join("; ", kept.Errors));
        Assert.True(decoded.IsClean, string.Join("; ", decoded.Errors));
        Assert.Equal(1, kept.RowsKept);
        Assert.Equal(1, decoded.RowsKept);
    }

    [Fact]
    public void Read_CrlfLfAndCrLineEnds_AllEndRows()
    {
        const string Csv = "entity,stage,timestamp,loss_reason\r\na,attention,1,\r\nb,attention,2,\nc,attention,3,\rd,attention,4,\r\n";

        var (result, keys, reader) = ReadKeys(Csv);

        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        Assert.Equal(["a", "b", "c", "d"], keys);
        Assert.Equal([-1, -1, -1, -1], result.Log.LossReasons.ToArray().Select(r => (int)r));
        Assert.Equal(5, reader.LineNumber);
    }

    [Fact]
    public void Read_QuotedAndUnquotedSpellingOfAKey_AreOneKey()
    {
        var (result, _, reader) = ReadKeys(Header + "lead-1,attention,1,\n\"lead-1\",interest,2,\n\"lead-1\",desire,3,\"price\"\n");

        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        Assert.Equal([0, 0, 0], result.Log.EntityIds.ToArray());
        Assert.Equal(1, reader.Entities.Count);
        Assert.Equal(ReasonOrdinal("price"), result.Log.LossReasons[2]);
    }

    [Fact]
    public void Read_KeysWithLeadingOrTrailingSpaceOrComma_AreDistinctKeys()
    {
        var (result, _, reader) = ReadKeys(Header + "a,attention,1,\na ,attention,2,\n a,attention,3,\n\"a,\",attention,4,\n\" \",attention,5,\n");

        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        Assert.Equal<string>(["a", "a ", " a", "a,", " "], reader.Entities.ToImmutableArray());
    }

    [Fact]
    public void Read_NfcAndNfdSpellings_AreDistinctKeys()
    {
        var nfc = "caf\u00e9";
        var nfd = "cafe\u0301";
        Assert.Equal(nfc, nfd.Normalize(NormalizationForm.FormC));

        var (result, _, reader) = ReadKeys(Header + $"{nfc},attention,1,\n{nfd},attention,2,\n{nfc},interest,3,\n");

        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        Assert.Equal([0, 1, 0], result.Log.EntityIds.ToArray());
        Assert.Equal<string>([nfc, nfd], reader.Entities.ToImmutableArray());
    }

    [Fact]
    public void Read_KeysDifferingInCase_AreDistinctKeys()
    {
        var (_, _, reader) = ReadKeys(Header + "Lead,attention,1,\nlead,attention,2,\nLEAD,attention,3,\nStraße,attention,4,\nSTRASSE,attention,5,\n");

        Assert.Equal<string>(["Lead", "lead", "LEAD", "Straße", "STRASSE"], reader.Entities.ToImmutableArray());
    }

    [Fact]
    public void Read_LeadingZeros_AreDistinctKeys()
    {
        var (result, _, reader) = ReadKeys(Header + "007,attention,1,\n7,attention,2,\n\"007\",interest,3,\n07,attention,4,\n");

        Assert.Equal([0, 1, 0, 2], result.Log.EntityIds.ToArray());
        Assert.Equal<string>(["007", "7", "07"], reader.Entities.ToImmutableArray());
    }

    [Fact]
    public void Read_FiveKilobyteKeyQuotedWithLineBreaks_IsKeptWhole()
    {
        var key = string.Concat(Enumerable.Range(0, 5 * 1024).Select(i => (i % 97) switch { 0 => '"', 1 => ',', 2 => '\n', _ => (char)('a' + (i % 26)) }));
        var quoted = "\"" + key.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        var (result, keys, _) = ReadKeys(Header + $"{quoted},attention,1,\n{quoted},interest,2,\nnext,attention,3,\n");

        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        Assert.Equal([key, key, "next"], keys);
        Assert.Equal(5 * 1024, keys[0].Length);
    }

    [Fact]
    public void Read_Int64MinAndMaxAsKeyText_AreExactKeys()
    {
        var min = long.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var max = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (result, keys, _) = ReadKeys(Header + $"{min},attention,1,\n{max},attention,2,\n0,attention,3,\n-0,attention,4,\n");

        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        Assert.Equal(["-9223372036854775808", "9223372036854775807", "0", "-0"], keys);
    }

    [Fact]
    public void Read_SegmentsWithSpacesAndCase_AreNotTrimmedOrFolded()
    {
        const string Csv = "entity,stage,timestamp,loss_reason,segment\na,attention,1,,ads\nb,attention,2,,ads \nc,attention,3,,Ads\nd,attention,4,,\ne,attention,5,,\" \"\n";

        var (result, _, reader) = ReadKeys(Csv);

        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        Assert.Equal([0, 1, 2, TransitionLog.NoSegment, 3], result.Log.Segments.ToArray());
        Assert.Equal<string>(["ads", "ads ", "Ads", " "], reader.Segments.ToImmutableArray());
    }

    [Fact]
    public void Read_StageKeyWithSpaceAround_IsRejectedWithAHint()
    {
        var (result, _, _) = ReadKeys(Header + "a, attention,1,\nb,attention,2,\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal((2L, 2, "stage"), (error.LineNumber, error.ColumnNumber!.Value, error.Column!));
        Assert.Contains("' attention' is neither a stage key", error.Reason, StringComparison.Ordinal);
        Assert.Contains("white space", error.Reason, StringComparison.Ordinal);
        Assert.Equal(1, result.RowsKept);
    }

    [Fact]
    public void Read_NumbersWithSpaceAround_AreRead()
    {
        var (result, _, _) = ReadKeys(Header + "a, 1 , 1767225600 , 0 \n");

        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        Assert.Equal(1, result.Log.Stages[0]);
        Assert.Equal(1767225600, result.Log.Timestamps[0]);
        Assert.Equal(0, result.Log.LossReasons[0]);
    }

    [Fact]
    public void Read_EmptyOrMinusOneLossReason_IsAnEntryEvent()
    {
        var (result, _, _) = ReadKeys(Header + "a,attention,1,\nb,attention,2,-1\nc,attention,3,\"\"\nd,attention,4,price\ne,attention,5,0\n");

        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        Assert.Equal([-1, -1, -1, ReasonOrdinal("price"), 0], result.Log.LossReasons.ToArray().Select(r => (int)r));
    }

    [Fact]
    public void Read_HeaderWithQuotedNamesAndOtherColumns_MapsByName()
    {
        var (result, keys, _) = ReadKeys("\"note\",\"entity\",stage,timestamp\n\"x,\ny\",a,attention,1\n");

        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        Assert.Equal(["a"], keys);
    }

    [Theory]
    [InlineData('"')]
    [InlineData('\n')]
    [InlineData('\r')]
    public void Constructor_DelimiterThatCannotDelimit_Throws(char delimiter)
    {
        Assert.Throws<ArgumentException>(() => new TransitionLogCsvReader(new StringReader(Header), Aida, new TransitionLogCsvOptions { Delimiter = delimiter }));
    }
}
