using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Funnel.Core.Bulk;
using Funnel.Fuzz.Tests;

namespace Funnel.Core.Tests.Bulk;

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
