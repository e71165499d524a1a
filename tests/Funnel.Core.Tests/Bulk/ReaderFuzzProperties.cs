using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Bulk;
using Funnel.Fuzz.Tests;

namespace Funnel.Core.Tests.Bulk;

/// <summary>
/// Fuzz properties of the bulk readers (issue 18): any bytes, and random mutations of valid files, given to the CSV
/// readers (the streaming reader and <see cref="TransitionLogCsvReader.ReadFile"/>) and the binary reader give a
/// result or the documented <see cref="TransitionLogFormatException"/> with its location (CSV line, byte offset) —
/// never another exception, a hang or an allocation sized by what a hostile header claims. CSV results keep their
/// counts consistent, the file fast path equals the streaming reader, and a reader that reported a bad header
/// keeps reporting it.
/// </summary>
[Properties(Arbitrary = [typeof(ReaderFuzzArbitraries)], MaxTest = 300)]
public sealed class ReaderFuzzProperties
{
    private const long CsvAllocationLimit = 64L << 20;
    private const long BinaryAllocationLimit = 16L << 20;

    private static readonly FunnelDefinition Aida = FunnelTemplates.Aida;

    [Property]
    public Property CsvRead_AnyBytes_GivesAResultOrAHeaderErrorWithItsLine(CsvFuzzCase c) => CheckCsvStreaming(c);

    [Property]
    public Property CsvRead_MutatedValidFile_GivesAResultOrAHeaderErrorWithItsLine(CsvMutationCase c) => CheckCsvStreaming(c.Case);

    [Property(MaxTest = 150)]
    public Property CsvReadFile_AnyBytes_GivesAResultOrAHeaderErrorAndEqualsTheStreamingReader(CsvFuzzCase c) => CheckCsvFile(c);

    [Property(MaxTest = 150)]
    public Property CsvReadFile_MutatedValidFile_GivesAResultOrAHeaderErrorAndEqualsTheStreamingReader(CsvMutationCase c) => CheckCsvFile(c.Case);

    [Property]
    public Property BinaryRead_AnyBytes_GivesALogOrAFormatErrorWithItsOffset(BinaryFuzzCase c) => CheckBinary(c.Bytes);

    [Property]
    public Property BinaryRead_MutatedValidFile_GivesALogOrAFormatErrorWithItsOffset(BinaryMutationCase c) => CheckBinary(c.Bytes);

    private static Property CheckCsvStreaming(CsvFuzzCase c)
    {
        var problem = ByteFuzz.Check(
            () =>
            {
                using var text = new StreamReader(new MemoryStream(c.Bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                var reader = new TransitionLogCsvReader(text, Aida, c.Options);
                TransitionLogFormatException? headerError = null;
                var rows = 0L;
                try
                {
                    for (var chunk = reader.ReadChunk(c.ChunkRows); chunk is not null; chunk = reader.ReadChunk(c.ChunkRows))
                    {
                        CheckResult(chunk);
                        rows += chunk.RowsRead;
                    }
                }
                catch (TransitionLogFormatException e)
                {
                    headerError = e;
                }

                if (headerError is null)
                {
                    return;
                }

                // Defect 9: asking again gives the same error, not an ArgumentOutOfRangeException.
                var again = Assert.Throws<TransitionLogFormatException>(() => reader.ReadChunk(c.ChunkRows));
                Assert.Equal(headerError.Message, again.Message);
                Assert.Equal(0, rows);
                throw headerError;
            },
            CsvJudge,
            CsvAllocationLimit);
        return (problem is null).Label($"{problem}\n{c}");
    }

    private static Property CheckCsvFile(CsvFuzzCase c)
    {
        var problem = ByteFuzz.Check(
            () =>
            {
                string fast;
                try
                {
                    var result = CsvFastPath.ReadBytes(c.Bytes, Aida, c.Options, c.FileChunkBytes, c.FileBufferBytes);
                    CheckResult(result);
                    fast = CsvFastPath.Describe(result);
                }
                catch (TransitionLogFormatException e) when (e.LineNumber is not null)
                {
                    fast = "header: " + e.Message;
                }

                string streaming;
                try
                {
                    streaming = CsvFastPath.Describe(CsvFastPath.ReadStreaming(c.Bytes, Aida, c.Options));
                }
                catch (TransitionLogFormatException e)
                {
                    streaming = "header: " + e.Message;
                }

                Assert.Equal(streaming, fast);
            },
            CsvJudge,
            CsvAllocationLimit);
        return (problem is null).Label($"{problem}\n{c}");
    }

    private static void CheckResult(TransitionLogCsvResult result)
    {
        Assert.Equal(result.RowsRead, result.RowsKept + result.RowsRejected);
        Assert.All(result.Errors, e => Assert.True(e.LineNumber >= 2, $"a row error on line {e.LineNumber}: {e}"));
    }

    private static string? CsvJudge(Exception e) =>
        e is TransitionLogFormatException { LineNumber: >= 1 } ? null : "not a TransitionLogFormatException with a line";

    private static Property CheckBinary(byte[] bytes)
    {
        // Seekable (the length is known before reading) and not (the reader must not trust the header's count).
        var problem = ByteFuzz.Check(() => TransitionLogBinaryFormat.Read(new MemoryStream(bytes)), BinaryJudge, BinaryAllocationLimit)
            ?? ByteFuzz.Check(() => TransitionLogBinaryFormat.Read(new ForwardOnlyStream(bytes)), BinaryJudge, BinaryAllocationLimit);
        return (problem is null).Label($"{problem}\n{ByteFuzz.Show(bytes)}");
    }

    private static string? BinaryJudge(Exception e) =>
        e is TransitionLogFormatException { ByteOffset: >= 0 } ? null : "not a TransitionLogFormatException with a byte offset";
}

/// <summary>
/// CSV bytes with the options to read them with, the rows per chunk of the streaming reader, and the chunk and buffer
/// sizes that the file fast path is forced to (<see langword="null"/>: its defaults; small: many parallel chunks).
/// </summary>
public sealed record CsvFuzzCase(byte[] Bytes, TransitionLogCsvOptions Options, int ChunkRows, long? FileChunkBytes = null, int? FileBufferBytes = null)
{
    public override string ToString() =>
        $"delimiter U+{(int)Options.Delimiter:X4}, max row {Options.MaxRowLength}, unit {Options.TimestampUnit}, format {Options.TimestampFormat ?? "none"}, chunk {ChunkRows} rows, file chunks {FileChunkBytes?.ToString(CultureInfo.InvariantCulture) ?? "default"} bytes, buffer {FileBufferBytes?.ToString(CultureInfo.InvariantCulture) ?? "default"}, {ByteFuzz.Show(Bytes)}";
}

/// <summary>A mutated valid CSV file.</summary>
public sealed record CsvMutationCase(CsvFuzzCase Case)
{
    public override string ToString() => Case.ToString();
}

/// <summary>Any bytes for the binary reader, starting with its magic most of the time.</summary>
public sealed record BinaryFuzzCase(byte[] Bytes)
{
    public override string ToString() => ByteFuzz.Show(Bytes);
}

/// <summary>A mutated valid binary file.</summary>
public sealed record BinaryMutationCase(byte[] Bytes)
{
    public override string ToString() => ByteFuzz.Show(Bytes);
}

public static class ReaderFuzzArbitraries
{
    private static readonly byte[] CsvAlphabet = "entity,stage,timestamp,loss_reason,segment\r\n\";\t 0123456789-.:TZ+attentioninterestdesireactionprice"u8.ToArray();

    private static readonly string[] Entities = ["lead-1", "lead-2", "\"q,uoted\"", "\"two\nlines\"", "ünï", "\"\"\"\"", " spaced "];
    private static readonly string[] Stages = ["attention", "interest", "desire", "action", "0", "3", " 2 "];
    private static readonly string[] Times = ["1767225600", "-5", "12.75", "2026-01-01T00:00:00Z", "2026-01-01 01:00:00+01:00", "253402300799", "1767225600000"];
    private static readonly string[] Reasons = ["", "", "price", "-1", "0"];

    private static Gen<TransitionLogCsvOptions> Options =>
        Gen.Elements(
            TransitionLogCsvOptions.Default,
            new TransitionLogCsvOptions { Delimiter = ';' },
            new TransitionLogCsvOptions { Delimiter = '\t', MaxRowLength = 40 },
            new TransitionLogCsvOptions { MaxRowLength = 24 },
            new TransitionLogCsvOptions { TimestampUnit = CsvTimestampUnit.Milliseconds },
            new TransitionLogCsvOptions { TimestampFormat = "yyyy-MM-dd HH:mm:ss" });

    private static Gen<byte[]> ValidCsv =>
        from bom in Gen.Elements(false, false, true)
        from segments in Gen.Elements(false, true)
        from rows in Gen.Zip(Gen.Zip(Gen.Elements(Entities), Gen.Elements(Stages)), Gen.Zip(Gen.Elements(Times), Gen.Elements(Reasons))).ListOf().Where(r => r.Count <= 12)
        select Encoding.UTF8.GetBytes(
            (bom ? "\uFEFF" : "")
            + (segments ? "entity,stage,timestamp,loss_reason,segment\n" : "entity,stage,timestamp,loss_reason\r\n")
            + string.Concat(rows.Select(r => $"{r.Item1.Item1},{r.Item1.Item2},{r.Item2.Item1},{r.Item2.Item2}{(segments ? ",src" : "")}\n")));

    private static Gen<byte[]> ValidBinary =>
        from segments in Gen.Elements(false, true)
        from rows in Gen.Zip(Gen.Choose(0, 5), Gen.Choose(0, 3)).ListOf().Where(r => r.Count <= 12)
        select WriteBinary(rows, segments);

    private static Gen<(long?, int?)> FileChunks => Gen.Elements<(long?, int?)>((null, null), (7, 16), (40, 8), (64, null));

    public static Arbitrary<CsvFuzzCase> CsvFuzzCases() =>
        (from bytes in Gen.OneOf(ByteFuzz.Bytes(CsvAlphabet, 300), ValidCsv.Select(v => v.Concat(Encoding.UTF8.GetBytes("x,\"")).ToArray()))
         from options in Options
         from chunk in Gen.Elements(1, 3, int.MaxValue)
         from file in FileChunks
         select new CsvFuzzCase(bytes, options, chunk, file.Item1, file.Item2)).ToArbitrary();

    public static Arbitrary<CsvMutationCase> CsvMutationCases() =>
        (from bytes in ByteFuzz.Mutations(ValidCsv)
         from options in Options
         from chunk in Gen.Elements(1, 3, int.MaxValue)
         from file in FileChunks
         select new CsvMutationCase(new CsvFuzzCase(bytes, options, chunk, file.Item1, file.Item2))).ToArbitrary();

    public static Arbitrary<BinaryFuzzCase> BinaryFuzzCases() =>
        (from magic in Gen.Elements(true, true, false)
         from bytes in ByteFuzz.Bytes([0, 1, 0xFF, 0x7F, 0x80], 120)
         select new BinaryFuzzCase(magic ? [.. TransitionLogBinaryFormat.Magic, 1, 0, .. bytes] : bytes)).ToArbitrary();

    public static Arbitrary<BinaryMutationCase> BinaryMutationCases() =>
        ByteFuzz.Mutations(ValidBinary).Select(b => new BinaryMutationCase(b)).ToArbitrary();

    private static byte[] WriteBinary(List<(int Entity, int Stage)> rows, bool segments)
    {
        var builder = new TransitionLogBuilder(withSegments: segments);
        var time = 1_767_225_600L;
        foreach (var (entity, stage) in rows)
        {
            builder.Add(entity, stage, time += 3600, stage == 3 ? 1 : TransitionLog.NoLossReason, segments ? entity % 2 : TransitionLog.NoSegment);
        }

        using var stream = new MemoryStream();
        TransitionLogBinaryFormat.Write(builder.Build(), stream);
        return stream.ToArray();
    }
}
