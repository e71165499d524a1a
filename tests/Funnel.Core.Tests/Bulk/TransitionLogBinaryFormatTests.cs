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
