using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

public sealed partial class TransitionLogCsvReaderTests
{
    private static readonly FunnelDefinition Aida = FunnelTemplates.Aida;

    private static int ReasonOrdinal(string key) => Aida.LossReasons.Select(r => r.Key.Value).ToList().IndexOf(key);

    [Theory]
    [InlineData("entity,stage\na,attention\n", "lacks the required column 'timestamp'")]
    [InlineData("", "The CSV text is empty")]
    [InlineData("\nentity,stage,timestamp\n", "Line 1 is empty")]
    [InlineData("entity,entity,stage,timestamp\n", "names the column 'entity' twice")]
    public void ReadChunk_AgainAfterABadHeader_ThrowsTheSameError(string csv, string expected)
    {
        // Defect 9 (issue 18): the second call read rows without columns (ArgumentOutOfRangeException) or returned null.
        var reader = new TransitionLogCsvReader(new StringReader(csv), Aida);

        var first = Assert.Throws<TransitionLogFormatException>(() => reader.ReadChunk(10));
        var second = Assert.Throws<TransitionLogFormatException>(() => reader.ReadChunk(10));
        var third = Assert.Throws<TransitionLogFormatException>(() => reader.ReadChunk(1));

        Assert.Contains(expected, first.Message, StringComparison.Ordinal);
        Assert.Equal(first.Message, second.Message);
        Assert.Equal(first.Message, third.Message);
        Assert.Equal(1, second.LineNumber);
        Assert.Same(first, second.InnerException);
    }

    [Fact]
    public void Read_CommonNames_AcceptsTheAlternativeHeaderNamesAndSaysWhichSegmentColumn()
    {
        const string csv = "Lead_ID,at,stage,reason,channel,source\na,100,attention,,web,x\na,200,interest,price,web,x\n";

        var read = TransitionLogCsvReader.Read(new StringReader(csv), Aida, TransitionLogCsvOptions.CommonNames);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, csv);
            var fromFile = TransitionLogCsvReader.ReadFile(path, Aida, TransitionLogCsvOptions.CommonNames);

            // The first field that names the segment column by any of its names is the column: channel, not source.
            Assert.Equal(("channel", "channel"), (read.SegmentColumn, fromFile.SegmentColumn));
            Assert.Equal(["web"], fromFile.Segments.ToImmutableArray().ToArray());
            Assert.Equal(read.Log.Timestamps.ToArray(), fromFile.Log.Timestamps.ToArray());
        }
        finally
        {
            File.Delete(path);
        }

        Assert.True(read.IsClean);
        Assert.Equal([100L, 200L], read.Log.Timestamps.ToArray());
        Assert.Equal(ReasonOrdinal("price"), (int)read.Log.LossReasons[1]);
        Assert.Equal(["web"], read.Segments.ToImmutableArray().ToArray());
    }

    [Fact]
    public void Read_WithoutAlternatives_RefusesAnAlternativeNameAndTheMessageListsThemWhenGiven()
    {
        const string csv = "lead_id,stage,at\na,attention,100\n";

        var plain = Assert.Throws<TransitionLogFormatException>(() => TransitionLogCsvReader.Read(new StringReader(csv), Aida));
        var common = Assert.Throws<TransitionLogFormatException>(() => TransitionLogCsvReader.Read(new StringReader("who,stage,when\n"), Aida, TransitionLogCsvOptions.CommonNames));

        Assert.Contains("lacks the required columns 'entity', 'timestamp'; found: lead_id, stage, at.", plain.Message, StringComparison.Ordinal);
        Assert.Contains("lacks the required columns 'entity' (or 'entity_id', 'lead', 'lead_id'), 'timestamp' (or 'at', 'time'); found: who, stage, when.", common.Message, StringComparison.Ordinal);
        Assert.Null(TransitionLogCsvReader.Read(new StringReader("entity,stage,timestamp\na,attention,1\n"), Aida).SegmentColumn);
    }

    [Fact]
    public async Task ReadChunksAsync_AfterABadHeader_ThrowsTheSameErrorAgain()
    {
        var reader = new TransitionLogCsvReader(new StringReader("entity,stage\na,attention\n"), Aida);

        var first = await Assert.ThrowsAsync<TransitionLogFormatException>(async () => await reader.ReadChunksAsync().ToListAsync());
        var second = await Assert.ThrowsAsync<TransitionLogFormatException>(async () => await reader.ReadChunksAsync().ToListAsync());

        Assert.Equal(first.Message, second.Message);
    }

    [Fact]
    public void Read_ValidFile_MapsColumnsByNameAndKeysToOrdinals()
    {
        const string Csv = """
            Timestamp,Entity,Stage,Loss_Reason,Segment
            1767225600,lead-a,attention,,google
            2026-01-01T01:00:00Z,lead-b,0,,
            1767229200,lead-a,interest,,google
            1767232800,lead-b,attention,price,ads
            """;

        var result = TransitionLogCsvReader.Read(new StringReader(Csv), Aida);

        Assert.True(result.IsClean);
        Assert.Equal(4, result.RowsRead);
        Assert.Equal(4, result.RowsKept);
        var log = result.Log;
        Assert.Equal([0, 1, 0, 1], log.EntityIds.ToArray());
        Assert.Equal([0, 0, 1, 0], log.Stages.ToArray().Select(s => (int)s));
        Assert.Equal([1767225600L, 1767229200L, 1767229200L, 1767232800L], log.Timestamps.ToArray());
        Assert.Equal([-1, -1, -1, ReasonOrdinal("price")], log.LossReasons.ToArray().Select(r => (int)r));
        Assert.Equal([0, -1, 0, 1], log.Segments.ToArray());
    }

    [Fact]
    public void Read_BadRows_AreReportedWithLineNumbersAndTheRestKept()
    {
        const string Csv = """
            entity,stage,timestamp,loss_reason
            a,attention,100,
            b,nowhere,100,
            c,attention,yesterday,
            d,attention,100,not-a-reason

            e,attention
            f,"interest,200,
            g,9,100,
            ,attention,100,
            h,desire,300,
            """;

        var reader = new TransitionLogCsvReader(new StringReader(Csv), Aida);
        var result = reader.ReadChunk(100)!;

        Assert.Equal(["a", "h"], result.Log.EntityIds.ToArray().Select(reader.Entities.GetKey));
        Assert.Equal(10, result.RowsRead);
        Assert.Equal(2, result.RowsKept);
        Assert.Equal(8, result.RowsRejected);
        Assert.Equal(result.RowsRead, result.RowsKept + result.RowsRejected);
        Assert.Equal([3L, 4, 5, 6, 7, 8, 9, 10], result.Errors.Select(e => e.LineNumber));
        Assert.Equal(["stage", "timestamp", "loss_reason", null, "timestamp", "stage", "stage", "entity"], result.Errors.Select(e => e.Column));
        Assert.Equal([2, 3, 4, null, 3, 2, 2, 1], result.Errors.Select(e => e.ColumnNumber));
        Assert.Contains("'nowhere'", result.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("expected 4 fields", result.Errors[4].Reason, StringComparison.Ordinal);
        Assert.Contains("quoted", result.Errors[5].Reason, StringComparison.Ordinal);
        Assert.Equal("line 3, column 2 (stage): " + result.Errors[0].Reason, result.Errors[0].ToString());
        Assert.Equal([100L, 300L], result.Log.Timestamps.ToArray());
    }

    [Fact]
    public void Read_QuotedFields_AreUnquoted()
    {
        const string Csv = "entity;stage;timestamp\n\"lead \"\"1\"\"; x\";attention;5\n";

        var reader = new TransitionLogCsvReader(new StringReader(Csv), Aida, new TransitionLogCsvOptions { Delimiter = ';' });
        var result = reader.ReadChunk(10)!;

        Assert.True(result.IsClean);
        Assert.Equal("lead \"1\"; x", reader.Entities.GetKey(result.Log.EntityIds[0]));
    }

    [Fact]
    public void Read_MissingRequiredColumn_ThrowsNamingIt()
    {
        var error = Assert.Throws<TransitionLogFormatException>(() => TransitionLogCsvReader.Read(new StringReader("entity,when\na,1\n"), Aida));

        Assert.Equal(1, error.LineNumber);
        Assert.Contains("'stage'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'timestamp'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyText_Throws()
    {
        Assert.Throws<TransitionLogFormatException>(() => TransitionLogCsvReader.Read(new StringReader(string.Empty), Aida));
    }

    [Fact]
    public void Read_CustomColumnNames_AreUsed()
    {
        var options = new TransitionLogCsvOptions { EntityColumn = "deal", StageColumn = "status", TimestampColumn = "at" };

        var result = TransitionLogCsvReader.Read(new StringReader("at,status,deal\n7,desire,x\n"), Aida, options);

        Assert.Equal(2, result.Log.Stages[0]);
        Assert.Equal(7, result.Log.Timestamps[0]);
    }

    [Fact]
    public async Task ReadChunksAsync_KeepsIdsAndLineNumbersAcrossChunksAndAnalysesLikeOnePass()
    {
        var lines = new List<string> { "entity,stage,timestamp,loss_reason" };
        var random = new Random(5);
        for (var i = 0; i < 1000; i++)
        {
            var stage = random.Next(Aida.Stages.Length);
            var reason = random.Next(10) == 0 ? Aida.LossReasons[random.Next(Aida.LossReasons.Length)].Key.Value : string.Empty;
            lines.Add(i == 500 ? "broken" : $"lead-{random.Next(60)},{Aida.Stages[stage].Key},{1000 + (i / 3)},{reason}");
        }

        var text = string.Join('\n', lines);
        var reader = new TransitionLogCsvReader(new StringReader(text), Aida, new TransitionLogCsvOptions { ChunkRows = 128 });
        var chunks = new List<TransitionLogCsvResult>();
        await foreach (var chunk in reader.ReadChunksAsync())
        {
            chunks.Add(chunk);
        }

        var whole = TransitionLogCsvReader.Read(new StringReader(text), Aida);
        Assert.Equal(1000, chunks.Sum(c => c.RowsRead));
        Assert.Equal([502L], chunks.SelectMany(c => c.Errors).Select(e => e.LineNumber));
        Assert.Equal(whole.Log.EntityIds.ToArray(), chunks.SelectMany(c => c.Log.EntityIds.ToArray()));

        var analyzer = new TransitionAnalyzer(Aida, TimeSpan.FromSeconds(100));
        var streamed = await analyzer.AnalyzeAsync(chunks.Select(c => c.Log).ToAsyncEnumerable());
        ReferenceAnalyzer.AssertEqual(ReferenceAnalyzer.Analyze(whole.Log, Aida.Stages.Length, Aida.GoalStage.Order, Aida.LossReasons.Length, 100), streamed);
    }
}
