using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>Bad data rows: each kind rejected with its line, column position and column name; the rows around it kept.</summary>
public sealed partial class TransitionLogCsvReaderTests
{
    /// <summary>Reads "before" (line 2), the bad row (line 3) and "after" (line 4), and returns the one error.</summary>
    private static CsvRowError ReadOneBadRow(string badRow, string header = "entity,stage,timestamp,loss_reason")
    {
        var extra = header.Count(c => c == ',') == 4 ? "," : string.Empty;
        var csv = $"{header}\nbefore,attention,1,{extra}\n{badRow}\nafter,interest,2,{extra}\n";

        var (result, keys, _) = ReadKeys(csv);

        Assert.Equal(["before", "after"], keys);
        Assert.Equal(3, result.RowsRead);
        Assert.Equal(2, result.RowsKept);
        Assert.Equal(1, result.RowsRejected);
        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.LineNumber);
        return error;
    }

    [Fact]
    public void Read_RowWithAMissingField_NamesTheFirstMissingColumn()
    {
        var error = ReadOneBadRow("x,attention");

        Assert.Equal((3, "timestamp"), (error.ColumnNumber!.Value, error.Column!));
        Assert.Equal("expected 4 fields as in the header, found 2: the row ends before column 3 'timestamp'", error.Reason);
        Assert.Equal("line 3, column 3 (timestamp): " + error.Reason, error.ToString());
    }

    [Fact]
    public void Read_RowWithTooManyFields_NamesTheFirstExtraField()
    {
        var error = ReadOneBadRow("x,attention,5,,extra");

        Assert.Equal(5, error.ColumnNumber);
        Assert.Null(error.Column);
        Assert.Equal("expected 4 fields as in the header, found 5: field 5 has no column in the header", error.Reason);
        Assert.Equal("line 3, column 5: " + error.Reason, error.ToString());
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-1")]
    [InlineData("4")]
    [InlineData("99999999999")]
    [InlineData("Attention")]
    public void Read_StageThatIsNoKeyOrOrdinal_NamesTheStageColumn(string stage)
    {
        var error = ReadOneBadRow($"x,{stage},5,");

        Assert.Equal((2, "stage"), (error.ColumnNumber!.Value, error.Column!));
        Assert.Equal($"'{stage}' is neither a stage key of 'aida' nor a stage ordinal 0..3", error.Reason);
    }

    [Theory]
    [InlineData("12.")]
    [InlineData(".5")]
    [InlineData("3/4")]
    [InlineData("26-02-2018 19:58")]
    [InlineData("2026-01-01")]
    [InlineData("1e9")]
    [InlineData("yesterday")]
    [InlineData("")]
    public void Read_TimestampThatIsNoIntegerOrIsoDate_NamesTheTimestampColumn(string timestamp)
    {
        // Regression: "12.5" and "3/4" were read as dates in the current year (5 December, 4 March); a day-first
        // date was read month-first. ("12.5" is now 12 Unix seconds: TransitionLogCsvReaderTests.Timestamps.)
        var error = ReadOneBadRow($"x,attention,{timestamp},");

        Assert.Equal((3, "timestamp"), (error.ColumnNumber!.Value, error.Column!));
        Assert.Equal($"'{timestamp}' is neither Unix seconds nor an ISO 8601 date and time", error.Reason);
    }

    [Fact]
    public void Read_TimestampBeyondInt64_SaysSo()
    {
        var error = ReadOneBadRow("x,attention,9223372036854775808,");

        Assert.Equal(3, error.ColumnNumber);
        Assert.Equal("'9223372036854775808' is an integer outside the range of int64 Unix seconds", error.Reason);
    }

    [Fact]
    public void Read_TimestampPastYear9999_SaysSo()
    {
        var error = ReadOneBadRow("x,attention,9223372036854775807,");

        Assert.Equal(3, error.ColumnNumber);
        Assert.StartsWith("9223372036854775807 is outside the years 1 to 9999", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("99")]
    [InlineData("-2")]
    [InlineData("Price")]
    [InlineData(" price")]
    public void Read_UnknownLossReason_NamesTheLossReasonColumn(string reason)
    {
        var error = ReadOneBadRow($"x,attention,5,{reason}");

        Assert.Equal((4, "loss_reason"), (error.ColumnNumber!.Value, error.Column!));
        var spaceNote = reason.StartsWith(' ') ? "; keys are matched exactly and this text has white space at its start or end" : string.Empty;
        Assert.Equal($"'{reason}' is neither a loss-reason key of 'aida' nor a loss-reason ordinal 0..9 (empty or -1 for none){spaceNote}", error.Reason);
    }

    [Fact]
    public void Read_EmptyEntity_NamesTheEntityColumn()
    {
        var error = ReadOneBadRow("\"\",attention,5,");

        Assert.Equal((1, "entity"), (error.ColumnNumber!.Value, error.Column!));
        Assert.Equal("the entity is empty", error.Reason);
    }

    [Fact]
    public void Read_EmptyLine_IsARowErrorWithoutColumn()
    {
        var error = ReadOneBadRow(string.Empty);

        Assert.Null(error.ColumnNumber);
        Assert.Null(error.Column);
        Assert.Equal("line 3: the line is empty", error.ToString());
    }

    [Fact]
    public void Read_TextAfterClosingQuote_NamesTheField()
    {
        var error = ReadOneBadRow("\"x\"y,attention,5,");

        Assert.Equal((1, "entity"), (error.ColumnNumber!.Value, error.Column!));
        Assert.Contains("text follows the closing quote", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnterminatedQuoteAtEndOfText_RejectsItsRowAndReadsTheLinesAfterItAsRows()
    {
        const string Csv = Header + "before,attention,1,\nx,\"attention,5,\nafter,interest,2,\nlast,desire,3,";

        var (result, keys, _) = ReadKeys(Csv);

        Assert.Equal(["before", "after", "last"], keys);
        Assert.Equal(4, result.RowsRead);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3L, 2, "stage"), (error.LineNumber, error.ColumnNumber!.Value, error.Column!));
        Assert.Equal("the quoted field that starts on this line is never closed (the text ends inside it); the lines after line 3 are read again as rows", error.Reason);
    }

    [Fact]
    public void Read_UnterminatedQuoteOnTheLastLine_IsRejected()
    {
        var (result, keys, _) = ReadKeys(Header + "before,attention,1,\n\"x,attention,5,");

        Assert.Equal(["before"], keys);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3L, 1), (error.LineNumber, error.ColumnNumber!.Value));
        Assert.Equal("the quoted field that starts on this line is never closed (the text ends inside it)", error.Reason);
    }

    [Fact]
    public void Read_RowLongerThanMaxRowLength_IsRejectedAndTheLinesAfterItRead()
    {
        // The quote on line 3 never closes before the limit; lines 4 and 5 are read again as rows.
        var options = new TransitionLogCsvOptions { MaxRowLength = 40 };
        var csv = Header + "before,attention,1,\n\"runaway,attention,1,\nafter,interest,2,\nlast,desire,3,\n" + new string('z', 100) + ",attention,1,\n";

        var (result, keys, _) = ReadKeys(csv, options);

        Assert.Equal(["before", "after", "last"], keys);
        Assert.Equal(5, result.RowsRead);
        Assert.Equal([3L, 6L], result.Errors.Select(e => e.LineNumber));
        Assert.All(result.Errors, e => Assert.Contains("longer than 40 characters", e.Reason, StringComparison.Ordinal));
        Assert.Equal([1, 1], result.Errors.Select(e => e.ColumnNumber));
    }

    [Fact]
    public void Read_LongBadValue_IsShownCutAndEscaped()
    {
        var value = "a\nb" + new string('x', 200);

        var error = ReadOneBadRow($"x,\"{value}\",5,");

        Assert.StartsWith("'a\\nbxxx", error.Reason, StringComparison.Ordinal);
        Assert.Contains("... (203 characters)", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadChunksAsync_MultiLineRowsAtChunkEdges_KeepLinesAndKeys()
    {
        var lines = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            lines.Add(i % 3 == 0 ? $"\"lead\n{i % 7}\",attention,{i}," : $"lead-{i % 5},interest,{i},");
        }

        lines.Insert(20, "bad,nowhere,1,");
        var csv = Header + string.Join("\n", lines) + "\n";
        var whole = ReadKeys(csv);

        foreach (var chunkRows in new[] { 1, 2, 3, 7 })
        {
            var reader = new TransitionLogCsvReader(new StringReader(csv), Aida, new TransitionLogCsvOptions { ChunkRows = chunkRows });
            var chunks = new List<TransitionLogCsvResult>();
            await foreach (var chunk in reader.ReadChunksAsync())
            {
                chunks.Add(chunk);
            }

            Assert.Equal(whole.Keys, chunks.SelectMany(c => c.Log.EntityIds.ToArray()).Select(reader.Entities.GetKey));
            Assert.Equal(whole.Result.Log.Timestamps.ToArray(), chunks.SelectMany(c => c.Log.Timestamps.ToArray()));
            Assert.Equal(whole.Result.Errors.Select(e => e.ToString()), chunks.SelectMany(c => c.Errors).Select(e => e.ToString()));
            Assert.Equal(51, chunks.Sum(c => c.RowsRead));
        }

        // Row 21 (0-based 20 among the data rows) starts after 7 two-line rows: line 2 + 20 + 7.
        Assert.Equal(29, Assert.Single(whole.Result.Errors).LineNumber);
    }
}
