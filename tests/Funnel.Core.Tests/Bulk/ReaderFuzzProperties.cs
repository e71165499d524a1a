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
/// readers (the streaming reader and <see cref="TransitionLogCsvReader.ReadFile(string, FunnelDefinition, TransitionLogCsvOptions)"/>) and the binary reader give a
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
        Assert.Equal(result.RowsRejected, result.ErrorCountsByColumn.Sum(c => c.Rows));
        Assert.Equal(result.Errors.Count(e => e.Kind is RowErrorKind.UnknownStage or RowErrorKind.UnknownLossReason), result.UnknownKeys.Sum(u => u.Rows));
        Assert.All(result.Errors, e => Assert.Equal(e.Kind is RowErrorKind.UnknownStage or RowErrorKind.UnknownLossReason or RowErrorKind.InvalidTimestamp or RowErrorKind.TimestampOutOfRange, e.Value is not null));
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
