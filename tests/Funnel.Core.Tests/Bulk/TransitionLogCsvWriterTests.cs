using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

public sealed class TransitionLogCsvWriterTests
{
    private static readonly FunnelDefinition Aida = FunnelTemplates.Aida;

    /// <summary>Every row of a log as (entity, stage, timestamp, loss reason, segment), for comparing logs.</summary>
    internal static (int, short, long, short, int)[] Rows(TransitionLog log) =>
        Enumerable.Range(0, log.Count)
            .Select(i => (log.EntityIds[i], log.Stages[i], log.Timestamps[i], log.LossReasons[i], log.HasSegments ? log.Segments[i] : TransitionLog.NoSegment))
            .ToArray();

    private static string Write(TransitionLog log, IReadOnlyList<string> entities, IReadOnlyList<string>? segments = null, TransitionLogCsvOptions? options = null, FunnelDefinition? definition = null)
    {
        var text = new StringWriter();
        TransitionLogCsvWriter.Write(text, log, definition ?? Aida, entities, segments, options);
        return text.ToString();
    }

    [Fact]
    public void Write_PlainKeys_WritesUnquotedKeysAndIntegerSeconds()
    {
        var price = Aida.LossReasons.Select(r => r.Key.Value).ToList().IndexOf("price");
        var log = new TransitionLogBuilder()
            .Add(0, 0, 1767225600)
            .Add(1, 1, TransitionLog.MinTimestamp)
            .Add(0, 2, TransitionLog.MaxTimestamp, price)
            .Build();

        var csv = Write(log, ["lead-a", "007"]);

        Assert.Equal(
            "entity,stage,timestamp,loss_reason\n" +
            "lead-a,attention,1767225600,\n" +
            "007,interest,-62135596800,\n" +
            "lead-a,desire,253402300799,price\n",
            csv);
    }

    [Fact]
    public void Write_KeysThatNeedQuotes_QuotesOnlyThoseAndDoublesTheirQuotes()
    {
        var log = new TransitionLogBuilder().Add(0, 0, 1).Add(1, 0, 2).Add(2, 0, 3).Add(3, 0, 4).Add(4, 0, 5).Add(5, 0, 6).Build();

        var csv = Write(log, ["a,b", "say \"hi\"", "two\nlines", "cr\rlf", " padded ", "caf\u00e9"]);

        Assert.Equal(
            "entity,stage,timestamp,loss_reason\n" +
            "\"a,b\",attention,1,\n" +
            "\"say \"\"hi\"\"\",attention,2,\n" +
            "\"two\nlines\",attention,3,\n" +
            "\"cr\rlf\",attention,4,\n" +
            "\" padded \",attention,5,\n" +
            "caf\u00e9,attention,6,\n",
            csv);
    }

    [Fact]
    public void Write_OtherDelimiter_QuotesByThatDelimiter()
    {
        var log = new TransitionLogBuilder().Add(0, 0, 1).Add(1, 0, 2).Build();

        var csv = Write(log, ["a;b", "a,b"], options: new TransitionLogCsvOptions { Delimiter = ';' });

        Assert.Equal("entity;stage;timestamp;loss_reason\n\"a;b\";attention;1;\na,b;attention;2;\n", csv);
    }

    [Fact]
    public void Write_LogWithSegments_AddsTheSegmentColumnAndLeavesNoneEmpty()
    {
        var log = new TransitionLogBuilder(withSegments: true).Add(0, 0, 1, segment: 1).Add(0, 1, 2).Add(1, 0, 3, segment: 0).Build();

        var csv = Write(log, ["a", "b"], ["ads ", "e-mail"]);

        Assert.Equal("entity,stage,timestamp,loss_reason,segment\na,attention,1,,e-mail\na,interest,2,,\nb,attention,3,,\"ads \"\n", csv);
    }

    [Fact]
    public void Write_ThenRead_GivesTheSameRowsAndKeys()
    {
        var log = new TransitionLogBuilder(withSegments: true)
            .Add(0, 0, 5, segment: 0)
            .Add(1, 3, 1, 2, 1)
            .Add(0, 1, 5)
            .Build();
        string[] entities = ["x\r\ny", "X\r\ny"];
        string[] segments = ["\"", ","];

        var reader = new TransitionLogCsvReader(new StringReader(Write(log, entities, segments)), Aida);
        var result = reader.ReadChunk(100)!;

        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        Assert.Equal(Rows(log), Rows(result.Log));
        Assert.Equal(log.HasSegments, result.Log.HasSegments);
        Assert.Equal(log.EntityIds.ToArray(), result.Log.EntityIds.ToArray());
        Assert.Equal(log.Segments.ToArray(), result.Log.Segments.ToArray());
        Assert.Equal<string>(entities, reader.Entities.ToImmutableArray());
        Assert.Equal<string>(segments, reader.Segments.ToImmutableArray());
    }

    [Fact]
    public void Write_DefinitionWithKeysThatNeedQuotes_ReadsBack()
    {
        var definition = new FunnelDefinitionBuilder("odd")
            .AddStage("first, of all")
            .AddStage("\"second\"")
            .AddStage(" third ")
            .WonAt(" third ")
            .AddLossReason("too \"pricey\", sadly")
            .Build();
        var log = new TransitionLogBuilder().Add(0, 0, 1).Add(0, 1, 2).Add(0, 2, 3).Add(1, 1, 4, 0).Build();

        var csv = Write(log, ["a", "b"], definition: definition);
        var result = TransitionLogCsvReader.Read(new StringReader(csv), definition);

        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        Assert.Equal(log.Stages.ToArray(), result.Log.Stages.ToArray());
        Assert.Equal(log.LossReasons.ToArray(), result.Log.LossReasons.ToArray());
    }

    [Fact]
    public void WriteFile_ThenRead_RoundTripsWithoutAByteOrderMark()
    {
        var path = Path.Combine(Path.GetTempPath(), $"funnel-csv-{Guid.NewGuid():N}.csv");
        try
        {
            var log = new TransitionLogBuilder().Add(0, 0, 1).Add(1, 1, 2).Build();

            TransitionLogCsvWriter.WriteFile(path, log, Aida, ["Straße", "caf\u00e9"]);

            var bytes = File.ReadAllBytes(path);
            Assert.NotEqual(0xEF, bytes[0]);
            using var text = new StreamReader(path);
            var reader = new TransitionLogCsvReader(text, Aida);
            var result = reader.ReadChunk(10)!;
            Assert.Equal(Rows(log), Rows(result.Log));
            Assert.Equal<string>(["Straße", "caf\u00e9"], reader.Entities.ToImmutableArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Write_EmptyOrNullEntityKey_ThrowsAndWritesNothing(string? key)
    {
        var log = new TransitionLogBuilder().Add(0, 0, 1).Build();
        var text = new StringWriter();

        var error = Assert.Throws<ArgumentException>(() => TransitionLogCsvWriter.Write(text, log, Aida, [key!]));

        Assert.Equal("entityKeys", error.ParamName);
        Assert.Contains("entity key of id 0", error.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, text.ToString());
    }

    [Fact]
    public void Write_TwoIdsWithOneKey_ThrowsNamingBoth()
    {
        var log = new TransitionLogBuilder().Add(0, 0, 1).Add(1, 0, 1).Build();

        var error = Assert.Throws<ArgumentException>(() => Write(log, ["a", "a"]));

        Assert.Contains("entity ids 0 and 1 have the same key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_EmptySegmentKey_Throws()
    {
        var log = new TransitionLogBuilder(withSegments: true).Add(0, 0, 1, segment: 0).Build();

        var error = Assert.Throws<ArgumentException>(() => Write(log, ["a"], [string.Empty]));

        Assert.Equal("segmentKeys", error.ParamName);
    }

    [Fact]
    public void Write_LogWithSegmentsButNoSegmentKeys_Throws()
    {
        var log = new TransitionLogBuilder(withSegments: true).Add(0, 0, 1, segment: 0).Build();

        Assert.Throws<ArgumentNullException>(() => Write(log, ["a"]));
    }

    [Fact]
    public void Write_RowTheDefinitionCannotExplain_ThrowsNamingTheRow()
    {
        var stage = new TransitionLogBuilder().Add(0, 0, 1).Add(0, 9, 2).Build();
        var reason = new TransitionLogBuilder().Add(0, 0, 1, 99).Build();
        var entity = new TransitionLogBuilder().Add(0, 0, 1).Add(5, 0, 2).Build();

        Assert.Contains("Row 1: the stage ordinal 9", Assert.Throws<ArgumentException>(() => Write(stage, ["a"])).Message, StringComparison.Ordinal);
        Assert.Contains("Row 0: the loss-reason ordinal 99", Assert.Throws<ArgumentException>(() => Write(reason, ["a"])).Message, StringComparison.Ordinal);
        Assert.Contains("Row 1: the entity id 5 has no key", Assert.Throws<ArgumentException>(() => Write(entity, ["a"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_QuoteAsDelimiter_Throws()
    {
        var log = new TransitionLogBuilder().Add(0, 0, 1).Build();

        Assert.Throws<ArgumentException>(() => Write(log, ["a"], options: new TransitionLogCsvOptions { Delimiter = '"' }));
    }
}
