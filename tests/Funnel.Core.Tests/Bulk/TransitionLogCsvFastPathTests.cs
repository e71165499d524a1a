using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>
/// <see cref="TransitionLogCsvReader.ReadFile(string, FunnelDefinition, TransitionLogCsvOptions)"/> (the byte-level, parallel fast path) gives exactly what the
/// streaming reader gives for the same file (issue 15, item 1): the same log, keys, ids, errors, lines and columns,
/// for every input — checked on generated hostile files cut into tiny chunks read through tiny buffers.
/// </summary>
public sealed class TransitionLogCsvFastPathTests
{
    private static readonly FunnelDefinition Aida = FunnelTemplates.Aida;

    [Property(MaxTest = 1500)]
    public Property ReadFile_GeneratedHostileFilesInTinyChunks_EqualsTheStreamingReader() =>
        Prop.ForAll(CsvFastPathGenerators.Files(), c =>
            SameAsStreaming(c.Bytes, new TransitionLogCsvOptions { Delimiter = c.Delimiter, TimestampUnit = c.Unit }, c.ChunkBytes, c.BufferBytes));

    [Property(MaxTest = 1000)]
    public Property ReadFile_GeneratedHostileFilesInLargeBuffers_EqualsTheStreamingReader()
    {
        // Buffers of 64 bytes and more: rows are read by the vector path (a row that ends within 64 bytes without a
        // quote) where they can be, byte by byte otherwise; row length limits around the rows' lengths.
        var cases = from c in CsvFastPathGenerators.Files().Generator
                    from buffer in Gen.Elements(64, 65, 100, 1 << 16)
                    from maxRow in Gen.Elements(8, 20, 30, 64, 1 << 20)
                    select (c, buffer, maxRow);
        return Prop.ForAll(cases.ToArbitrary(), x =>
        {
            var (c, buffer, maxRow) = x;
            var options = new TransitionLogCsvOptions { Delimiter = c.Delimiter, TimestampUnit = c.Unit, MaxRowLength = maxRow };
            return SameAsStreaming(c.Bytes, options, c.ChunkBytes * 4, buffer).Label($"buffer {buffer}, max row {maxRow}");
        });
    }

    /// <summary>The fast path (in chunks of <paramref name="chunkBytes"/>, buffers of <paramref name="bufferBytes"/>) gives what the streaming reader gives, or the same header error.</summary>
    private static Property SameAsStreaming(byte[] bytes, TransitionLogCsvOptions options, long chunkBytes, int bufferBytes)
    {
        string expected;
        try
        {
            expected = CsvFastPath.Describe(CsvFastPath.ReadStreaming(bytes, Aida, options));
        }
        catch (TransitionLogFormatException e)
        {
            expected = "header: " + e.Message;
        }

        string actual;
        try
        {
            actual = CsvFastPath.Describe(CsvFastPath.ReadBytes(bytes, Aida, options, chunkBytes, bufferBytes));
        }
        catch (TransitionLogFormatException e)
        {
            actual = "header: " + e.Message;
        }

        return (expected == actual).Label($"streaming:\n{expected}\nfast path:\n{actual}");
    }

    [Fact]
    public void ReadFile_QuotedLineBreakWhereAChunkIsGuessed_KeepsTheRowWhole()
    {
        // The cut lands in the middle of a key holding line breaks: the chunk guessed after the first LF inside the
        // quotes parses garbage and is dropped, because the chunk before it never starts a row there.
        var csv = "entity,stage,timestamp,loss_reason\n\"multi\nline\nkey,attention,1,\nfake,row\",attention,5,\nnext,interest,6,\n";
        var bytes = Encoding.UTF8.GetBytes(csv);

        for (var chunk = 1; chunk < bytes.Length; chunk++)
        {
            var result = CsvFastPath.ReadBytes(bytes, Aida, chunkBytes: chunk, bufferBytes: 7);

            Assert.True(result.IsClean, string.Join("; ", result.Errors));
            Assert.Equal(["multi\nline\nkey,attention,1,\nfake,row", "next"], result.Entities.ToImmutableArray().ToArray());
            Assert.Equal([0, 1], result.Log.EntityIds.ToArray());
        }
    }

    [Fact]
    public void ReadFile_LargeFile_UsesChunksAndEqualsTheStreamingReader()
    {
        // Over 1 MiB, so the default path cuts it into one chunk per core; keys repeat across the cut.
        var log = TransitionLogGenerator.Generate(40_000);
        var definition = GeneratedFunnel();
        var keys = Enumerable.Range(0, log.EntityIdLimit).Select(i => i % 7 == 0 ? $"lead \"{i}\",\nx" : $"lead-{i}").ToArray();
        ReadLargeFile(log, definition, keys);
    }

    [Fact]
    public void ReadFile_LargeFileOfDecimalKeys_UsesChunksAndEqualsTheStreamingReader()
    {
        // Over 1 MiB of decimal keys (found by value in the chunks' tables), mixed with keys that look decimal but
        // are hashed: leading zeros, signs, 10 digits, values above a chunk's direct limit.
        var log = TransitionLogGenerator.Generate(40_000);
        var definition = GeneratedFunnel();
        var keys = Enumerable.Range(0, log.EntityIdLimit).Select(i => (i % 11) switch
        {
            0 => $"0{i}",
            1 => $"-{i}",
            2 => $"{4_000_000_000L + i}",
            3 => $"{900_000_000 + i}",
            _ => $"{i * 3}",
        }).ToArray();
        var fast = ReadLargeFile(log, definition, keys);

        Assert.Equal(log.EntityIdLimit, fast.Log.EntityIdLimit);
        Assert.Equal(log.IsTimeOrdered, fast.Log.IsTimeOrdered);
    }

    [Fact]
    public void ReadFile_ChunkThatReadsPastItsRange_SpillsAndKeepsFileOrderAndLimits()
    {
        // Every cut lands inside the quoted key, so the first chunk reads on through later chunks' byte ranges (more
        // rows than line ends of its own range): its extra rows spill and are closed up behind it. Bad rows and
        // an out-of-order time leave gaps that are closed up too; the log's limits are those of the kept rows.
        var csv = "entity,stage,timestamp,loss_reason\n\"7\n\n\n\n\n\n\n\n\nx\",attention,9,\n1,interest,1,\n,attention,2,\n2,desire,3,price\n\n1,action,4,\n12,attention,x,\n";
        var bytes = Encoding.UTF8.GetBytes(csv);
        var streaming = CsvFastPath.ReadStreaming(bytes, Aida);
        Assert.Equal((3, 4, 6, false, 4), (streaming.Log.EntityIdLimit, streaming.Log.StageLimit, streaming.Log.LossReasonLimit, streaming.Log.IsTimeOrdered, streaming.Log.Count));

        for (var chunk = 1; chunk < bytes.Length; chunk++)
        {
            var fast = CsvFastPath.ReadBytes(bytes, Aida, chunkBytes: chunk, bufferBytes: 5);

            Assert.Equal(CsvFastPath.Describe(streaming), CsvFastPath.Describe(fast));
            Assert.Equal(
                (streaming.Log.EntityIdLimit, streaming.Log.StageLimit, streaming.Log.LossReasonLimit, streaming.Log.IsTimeOrdered),
                (fast.Log.EntityIdLimit, fast.Log.StageLimit, fast.Log.LossReasonLimit, fast.Log.IsTimeOrdered));
        }
    }

    /// <summary>Writes the log with the keys (over 2 MiB), reads it with the fast path's default chunks, and checks it against the streaming reader and the log.</summary>
    private static TransitionLogCsvResult ReadLargeFile(TransitionLog log, FunnelDefinition definition, string[] keys)
    {
        var text = new StringWriter();
        TransitionLogCsvWriter.Write(text, log, definition, keys);
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        Assert.True(bytes.Length > 2 << 20);

        var fast = CsvFastPath.ReadBytes(bytes, definition);

        Assert.Equal(CsvFastPath.Describe(CsvFastPath.ReadStreaming(bytes, definition)), CsvFastPath.Describe(fast));
        Assert.True(fast.IsClean);
        Assert.Equal(TransitionLogCsvWriterTests.Rows(log).Select(r => (keys[r.Item1], r.Item2, r.Item3, r.Item4)), TransitionLogCsvWriterTests.Rows(fast.Log).Select(r => (fast.Entities.GetKey(r.Item1), r.Item2, r.Item3, r.Item4)));
        return fast;
    }

    [Fact]
    public void ReadFile_Utf16File_IsReadAsTheStreamingReaderReadsIt()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("entity,stage,timestamp\nl\u00e9ad,attention,5\n")).ToArray();

        var result = CsvFastPath.ReadBytes(bytes, Aida);

        Assert.True(result.IsClean);
        Assert.Equal(["l\u00e9ad"], result.Entities.ToImmutableArray().ToArray());
    }

    [Fact]
    public void ReadFile_InvalidUtf8_GivesTheReplacementCharacterKeysOfTheStreamingReader()
    {
        // Two different invalid bytes decode to the same U+FFFD: one key, as the streaming reader reads them.
        var bytes = Encoding.UTF8.GetBytes("entity,stage,timestamp\nx?,attention,5\nx?,interest,6\n");
        bytes[24] = 0xC3;
        bytes[39] = 0xFF;

        var result = CsvFastPath.ReadBytes(bytes, Aida, chunkBytes: 4, bufferBytes: 8);

        Assert.Equal(["x\uFFFD"], result.Entities.ToImmutableArray().ToArray());
        Assert.Equal([0, 0], result.Log.EntityIds.ToArray());
    }

    [Fact]
    public void ReadFile_MissingFile_Throws()
    {
        Assert.Throws<FileNotFoundException>(() => TransitionLogCsvReader.ReadFile(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.csv"), Aida));
        Assert.Throws<ArgumentNullException>(() => TransitionLogCsvReader.ReadFile(null!, Aida));
    }

    [Fact]
    public void ReadFile_EmptyFile_ThrowsTheStreamingReadersHeaderError()
    {
        var error = Assert.Throws<TransitionLogFormatException>(() => CsvFastPath.ReadBytes([], Aida));

        Assert.Equal("The CSV text is empty; line 1 must be a header.", error.Message);
    }

    [Fact]
    public void ReadFile_Interners_LookUpKeysOfTheFile()
    {
        var result = CsvFastPath.ReadBytes(Encoding.UTF8.GetBytes("entity,stage,timestamp,segment\nb,attention,1,ads\na,attention,2,\nb,interest,3,mail\n"), Aida, chunkBytes: 5);

        Assert.True(result.Entities.TryGetId("a", out var a));
        Assert.Equal(1, a);
        Assert.Equal(2, result.Entities.Intern("c"));
        Assert.Equal(["ads", "mail"], result.Segments.ToImmutableArray().ToArray());
        Assert.Equal([0, -1, 1], result.Log.Segments.ToArray());
    }

    [Fact]
    public void ReadFile_KeysView_MakesEachKeyWhenReadAndFollowsLaterInterning()
    {
        // Three chunks: keys of the later chunks that the first lacks take the next ids, as in the streaming reader.
        var result = CsvFastPath.ReadBytes(Encoding.UTF8.GetBytes("entity,stage,timestamp\nb,attention,1\nä,attention,2\nb,interest,3\nc,interest,4\nä,desire,5\n"), Aida, chunkBytes: 12);
        var view = result.Entities.AsReadOnlyList();

        Assert.Equal(["b", "ä", "c"], view.ToArray());
        Assert.Equal("ä", view[1]);
        Assert.Equal(3, view.Count);

        // Interning makes the keys strings; the view shows the new key too.
        Assert.Equal(3, result.Entities.Intern("d"));
        Assert.Equal(["b", "ä", "c", "d"], view.ToArray());
        Assert.Equal(["b", "ä", "c", "d"], result.Entities.ToImmutableArray().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => view[4]);
    }

    [Fact]
    public void KeysView_OfAnInterner_IsLiveAndReadOnly()
    {
        var interner = new EntityInterner<string>();
        var view = interner.AsReadOnlyList();
        Assert.Empty(view);

        interner.Intern("a");
        interner.Intern("b");
        interner.Intern("a");

        Assert.Equal(["a", "b"], view.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => view[-1]);
        Assert.False(view is ICollection<string> { IsReadOnly: false });
    }

    /// <summary>A funnel with the generator's 6 stages and 4 loss reasons.</summary>
    internal static FunnelDefinition GeneratedFunnel()
    {
        var builder = new FunnelDefinitionBuilder("generated");
        for (var s = 0; s < TransitionLogGenerator.StageCount; s++)
        {
            builder.AddStage($"stage-{s}");
        }

        for (var r = 0; r < TransitionLogGenerator.LossReasonCount; r++)
        {
            builder.AddLossReason($"reason-{r}");
        }

        return builder.WonAt($"stage-{TransitionLogGenerator.StageCount - 1}").WithTransitionOptions(TransitionOptions.FreeForm).Build();
    }
}
