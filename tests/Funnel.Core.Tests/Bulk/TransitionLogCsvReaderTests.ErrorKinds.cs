using System.Text;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>What a bad row's error says for a program: its kind and the value at fault (both paths: the streaming reader and ReadFile).</summary>
public sealed partial class TransitionLogCsvReaderTests
{
    [Theory]
    [InlineData("x,attention", RowErrorKind.FieldCount, null)]
    [InlineData("x,attention,5,,extra", RowErrorKind.FieldCount, null)]
    [InlineData("\"\",attention,5,", RowErrorKind.MissingValue, null)]
    [InlineData("x,1.5,5,", RowErrorKind.UnknownStage, "1.5")]
    [InlineData("x,Interest,5,", RowErrorKind.UnknownStage, "Interest")]
    [InlineData("x,\" interest\",5,", RowErrorKind.UnknownStage, " interest")]
    [InlineData("x,9,5,", RowErrorKind.UnknownStage, "9")]
    [InlineData("x,attention,3/4,", RowErrorKind.InvalidTimestamp, "3/4")]
    [InlineData("x,attention,26-02-2018 19:58,", RowErrorKind.InvalidTimestamp, "26-02-2018 19:58")]
    [InlineData("x,attention,1767225600000,", RowErrorKind.TimestampOutOfRange, "1767225600000")]
    [InlineData("x,attention,99999999999999999999,", RowErrorKind.TimestampOutOfRange, "99999999999999999999")]
    [InlineData("x,attention,10000-01-01T00:00Z,", RowErrorKind.InvalidTimestamp, "10000-01-01T00:00Z")]
    [InlineData("x,attention,5,nope", RowErrorKind.UnknownLossReason, "nope")]
    [InlineData("x,attention,5,\"Price too high\"", RowErrorKind.UnknownLossReason, "Price too high")]
    [InlineData("x,attention,5,99", RowErrorKind.UnknownLossReason, "99")]
    [InlineData("\"x\"y,attention,5,", RowErrorKind.TextAfterQuote, null)]
    [InlineData("", RowErrorKind.EmptyLine, null)]
    public void Read_BadRow_ErrorHasItsKindAndTheValueAsInTheFile(string badRow, RowErrorKind kind, string? value)
    {
        var error = ReadOneBadRow(badRow);

        Assert.Equal((kind, value), (error.Kind, error.Value));
    }

    [Fact]
    public void Read_TimestampNotOfTheFormatOption_IsAnInvalidTimestamp()
    {
        var options = new TransitionLogCsvOptions { TimestampFormat = "dd-MM-yyyy HH:mm" };

        var (result, keys, _) = ReadKeys(Header + "a,attention,26-02-2018 19:58,\nb,attention,2018-02-26 19:58,\n", options);

        Assert.Equal(["a"], keys);
        var error = Assert.Single(result.Errors);
        Assert.Equal((RowErrorKind.InvalidTimestamp, "2018-02-26 19:58", "timestamp"), (error.Kind, error.Value, error.Column));
    }

    [Fact]
    public void Read_QuoteNeverClosed_IsAnUnclosedQuote()
    {
        var (result, _, _) = ReadKeys(Header + "before,attention,1,\nx,\"attention,5,\nafter,interest,2,\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal((RowErrorKind.UnclosedQuote, null, "stage"), (error.Kind, error.Value, error.Column));
    }

    [Fact]
    public void Read_RowLongerThanTheLimit_IsRowTooLong()
    {
        var options = new TransitionLogCsvOptions { MaxRowLength = 40 };

        var (result, _, _) = ReadKeys(Header + "before,attention,1,\n" + new string('z', 100) + ",attention,1,\n", options);

        var error = Assert.Single(result.Errors);
        Assert.Equal((RowErrorKind.RowTooLong, (string?)null), (error.Kind, error.Value));
    }

    [Fact]
    public void Read_ManyBadRows_CountsEveryOneByColumnAndListsTheUnknownKeysMostFrequentFirst()
    {
        var csv = Header
            + "a,attention,1,\n"
            + "b,Interest,2,\n"
            + "c,Interest,3,\n"
            + "d,atention,4,\n"
            + "e,attention,5,Price too high\n"
            + "f,attention,x,\n"
            + "g,attention\n"
            + "\n"
            + "h,Interest,9,\n"
            + "i,desire,10,price\n";

        var (result, keys, _) = ReadKeys(csv);

        Assert.Equal(["a", "i"], keys);
        Assert.Equal(8, result.RowsRejected);
        Assert.Equal([("stage", 4L), ("timestamp", 2L), (null, 1L), ("loss_reason", 1L)], result.ErrorCountsByColumn.Select(c => (c.Column, c.Rows)));
        Assert.Equal(result.RowsRejected, result.ErrorCountsByColumn.Sum(c => c.Rows));
        Assert.Equal(
            ["stage 'Interest': 3 rows", "loss reason 'Price too high': 1 row", "stage 'atention': 1 row"],
            result.UnknownKeys.Select(u => u.ToString()));
        Assert.Equal(
            ["'interest'", "'price' (display name 'Price too high')", "'attention'"],
            result.UnknownKeys.Select(u => u.Suggest(Aida)?.ToString()));
    }

    [Fact]
    public void ReadFile_BadRows_GivesTheSameKindsValuesAndSummariesAsTheStreamingReader()
    {
        var csv = Header + "a,attention,1,\nb,Interest,2,\nc,attention,3,nope\nd,attention,\"1767225600000\",\n\"\",attention,4,\n";
        var path = Path.Combine(Path.GetTempPath(), $"funnel-kinds-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, csv, new UTF8Encoding(false));
        try
        {
            var file = TransitionLogCsvReader.ReadFile(path, Aida);
            var stream = TransitionLogCsvReader.Read(new StringReader(csv), Aida);

            Assert.Equal(
                [RowErrorKind.UnknownStage, RowErrorKind.UnknownLossReason, RowErrorKind.TimestampOutOfRange, RowErrorKind.MissingValue],
                file.Errors.Select(e => e.Kind));
            Assert.Equal(["Interest", "nope", "1767225600000", null], file.Errors.Select(e => e.Value));
            Assert.Equal(CsvFastPath.Describe(stream), CsvFastPath.Describe(file));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
