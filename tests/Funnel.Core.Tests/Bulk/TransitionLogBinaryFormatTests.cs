using System.Buffers.Binary;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

public sealed class TransitionLogBinaryFormatTests
{
    private static byte[] Write(TransitionLog log)
    {
        using var stream = new MemoryStream();
        TransitionLogBinaryFormat.Write(log, stream);
        return stream.ToArray();
    }

    private static TransitionLog Read(byte[] bytes) => TransitionLogBinaryFormat.Read(new MemoryStream(bytes));

    [Fact]
    public void WriteThenRead_GeneratedLog_RoundTrips()
    {
        var log = TransitionLogGenerator.Generate(3000);

        var bytes = Write(log);
        var back = Read(bytes);

        Assert.Equal(TransitionLogBinaryFormat.HeaderSize + log.SizeInBytes, bytes.Length);
        Assert.True(log.EntityIds.SequenceEqual(back.EntityIds));
        Assert.True(log.Stages.SequenceEqual(back.Stages));
        Assert.True(log.Timestamps.SequenceEqual(back.Timestamps));
        Assert.True(log.LossReasons.SequenceEqual(back.LossReasons));
        Assert.False(back.HasSegments);
    }

    [Fact]
    public void WriteThenRead_WithSegments_RoundTrips()
    {
        var log = new TransitionLogBuilder(withSegments: true).Add(1, 0, 100, segment: 3).Add(0, 1, 101, lossReason: 2).Build();

        var back = Read(Write(log));

        Assert.True(back.HasSegments);
        Assert.Equal([3, -1], back.Segments.ToArray());
        Assert.Equal([-1, 2], back.LossReasons.ToArray().Select(r => (int)r));
    }

    [Fact]
    public void Write_LayoutIsLittleEndianAsDocumented()
    {
        var bytes = Write(new TransitionLogBuilder().Add(0x01020304, 5, 0x1122334455, 2).Build());

        Assert.Equal("FUNNELTL"u8.ToArray(), bytes[..8]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(10)));
        Assert.Equal(1, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(new byte[] { 4, 3, 2, 1 }, bytes[24..28]);
        Assert.Equal(5, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(28)));
        Assert.Equal(0x1122334455, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(30)));
        Assert.Equal(2, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(38)));
        Assert.Equal(40, bytes.Length);
    }

    [Fact]
    public void Read_WrongMagic_ThrowsAtOffsetZero()
    {
        var bytes = Write(TransitionLog.Empty);
        bytes[0] = (byte)'X';

        var error = Assert.Throws<TransitionLogFormatException>(() => Read(bytes));

        Assert.Equal(0, error.ByteOffset);
        Assert.Contains("magic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownVersion_Throws()
    {
        var bytes = Write(TransitionLog.Empty);
        bytes[8] = 2;

        var error = Assert.Throws<TransitionLogFormatException>(() => Read(bytes));

        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownFlag_Throws()
    {
        var bytes = Write(TransitionLog.Empty);
        bytes[10] = 0x02;

        Assert.Equal(10, Assert.Throws<TransitionLogFormatException>(() => Read(bytes)).ByteOffset);
    }

    [Fact]
    public void Read_TruncatedColumn_ThrowsNamingTheColumn()
    {
        var bytes = Write(new TransitionLogBuilder().Add(1, 0, 10).Add(2, 0, 11).Build());

        var error = Assert.Throws<TransitionLogFormatException>(() => Read(bytes[..^3]));

        Assert.Contains("loss reason column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedHeader_Throws()
    {
        var bytes = Write(TransitionLog.Empty);

        Assert.Throws<TransitionLogFormatException>(() => Read(bytes[..12]));
    }

    [Fact]
    public void Read_TrailingBytes_Throws()
    {
        var bytes = Write(new TransitionLogBuilder().Add(1, 0, 10).Build()).Append((byte)0).ToArray();

        Assert.Contains("after the last column", Assert.Throws<TransitionLogFormatException>(() => Read(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NegativeCount_Throws()
    {
        var bytes = Write(TransitionLog.Empty);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), -1);

        Assert.Equal(16, Assert.Throws<TransitionLogFormatException>(() => Read(bytes)).ByteOffset);
    }

    [Fact]
    public void Read_InvalidValue_ThrowsNamingTheRow()
    {
        var bytes = Write(new TransitionLogBuilder().Add(1, 0, 10).Add(2, 0, 11).Build());
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24 + 4), -5); // entity id of row 1

        var error = Assert.Throws<TransitionLogFormatException>(() => Read(bytes));

        Assert.Contains("Row 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(24 + 4, error.ByteOffset);
    }

    [Fact]
    public void Read_InvalidTimestamp_NamesTheColumnAndTheByteOffsetOfTheValue()
    {
        // Regression (fuzzing, issue 18): an invalid value was reported without a byte offset.
        var bytes = Write(new TransitionLogBuilder(withSegments: true).Add(1, 0, 10).Add(2, 0, 11).Build());
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(24 + (6 * 2) + 8), long.MinValue); // timestamp of row 1

        var error = Assert.Throws<TransitionLogFormatException>(() => Read(bytes));

        Assert.Equal(24 + (6 * 2) + 8, error.ByteOffset);
        Assert.Contains("timestamp column at byte 44", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(268_435_457L, false)] // the first count whose timestamp column (8n bytes) overflowed an int
    [InlineData(268_435_457L, true)]
    [InlineData(0x7FFF_FFC7L, true)] // Array.MaxLength
    public void Read_HeaderClaimingAHugeCountWithoutTheData_ThrowsTheDocumentedErrorWithoutAllocatingForIt(long count, bool seekable)
    {
        // Defect 4 (issue 18): counts >= 268,435,457 threw OverflowException, and the reader allocated what the header
        // claimed before reading a byte. Now sizes are 64-bit and the columns are never sized by an unconfirmed count.
        var bytes = Write(TransitionLog.Empty);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), count);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<TransitionLogFormatException>(() =>
            TransitionLogBinaryFormat.Read(seekable ? new MemoryStream(bytes) : new ForwardOnlyStream(bytes)));

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4 << 20);
        Assert.Equal(24, error.ByteOffset);
        Assert.Contains($"The file ends in the entity id column at byte 24: 0 of {count} values present", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_SparseFileCutInTheTimestampColumnBeyond2GiB_NamesTheOffsetIn64BitsBeforeAllocating()
    {
        // Defect 4 (issue 18): a 2.4 GB file (sparse: nothing is written) that ends 43 bytes into its timestamp column,
        // which starts past int.MaxValue. The length check reports it before any column is allocated.
        const long Count = 400_000_000;
        var path = Path.Combine(Path.GetTempPath(), $"funnel-{Guid.NewGuid():N}.ftl");
        try
        {
            using (var file = new FileStream(path, FileMode.CreateNew))
            {
                var header = Write(TransitionLog.Empty);
                BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), Count);
                file.Write(header);
                file.SetLength(24 + (6 * Count) + 43);
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            var error = Assert.Throws<TransitionLogFormatException>(() => TransitionLogBinaryFormat.ReadFile(path));

            Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4 << 20);
            Assert.Equal(2_400_000_067L, error.ByteOffset);
            Assert.Contains("The file ends in the timestamp column at byte 2400000067: 5 of 400000000 values present", error.Message, StringComparison.Ordinal);
            Assert.Contains("a file of 6400000024 bytes", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_ForwardOnlyStream_ReadsAValidLogAndReportsTruncationLikeASeekableOne()
    {
        var log = TransitionLogGenerator.Generate(40_000);
        Assert.True(log.Count > 1 << 16, "more rows than the first allocation of a column whose count is unconfirmed");
        var bytes = Write(log);

        var back = TransitionLogBinaryFormat.Read(new ForwardOnlyStream(bytes));
        var cut = Assert.Throws<TransitionLogFormatException>(() => TransitionLogBinaryFormat.Read(new ForwardOnlyStream(bytes[..^3])));
        var cutSeekable = Assert.Throws<TransitionLogFormatException>(() => Read(bytes[..^3]));

        Assert.True(log.Timestamps.SequenceEqual(back.Timestamps));
        Assert.True(log.LossReasons.SequenceEqual(back.LossReasons));
        Assert.Equal(cutSeekable.Message, cut.Message);
        Assert.Equal(bytes.Length - 3, cut.ByteOffset);
    }

    [Fact]
    public void Read_TrailingBytesOnAForwardOnlyStream_ThrowsAsOnASeekableOne()
    {
        var bytes = Write(new TransitionLogBuilder().Add(1, 0, 10).Build()).Append((byte)0).ToArray();

        var error = Assert.Throws<TransitionLogFormatException>(() => TransitionLogBinaryFormat.Read(new ForwardOnlyStream(bytes)));

        Assert.Equal(Assert.Throws<TransitionLogFormatException>(() => Read(bytes)).Message, error.Message);
        Assert.Equal(bytes.Length - 1, error.ByteOffset);
    }

    [Fact]
    public void WriteFileThenReadFile_RoundTrips()
    {
        var path = Path.Combine(Path.GetTempPath(), $"funnel-{Guid.NewGuid():N}.ftl");
        try
        {
            var log = TransitionLogGenerator.Generate(100);
            TransitionLogBinaryFormat.WriteFile(log, path);

            Assert.True(log.Timestamps.SequenceEqual(TransitionLogBinaryFormat.ReadFile(path).Timestamps));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
