using System.Collections.Concurrent;
using System.Text;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>The bytes-read progress of the file fast path (<see cref="TransitionLogCsvReader.ReadFile(string, FunnelDefinition, TransitionLogCsvOptions, IProgress{long})"/>), which the CLI's progress bar shows.</summary>
public sealed class TransitionLogCsvProgressTests
{
    private static readonly FunnelDefinition Aida = FunnelTemplates.Aida;

    [Theory]
    [InlineData(null, null)]
    [InlineData(4096L, 512)] // many chunks on every core, many small buffers each
    public void ReadFile_WithProgress_ReportsGrowingTotalsUpToTheFileLengthAndReadsTheSame(long? chunkBytes, int? bufferBytes)
    {
        var text = new StringBuilder("entity,stage,timestamp,loss_reason\n");
        for (var i = 0; i < 3000; i++)
        {
            text.Append("lead-").Append(i % 700).Append(i % 3 == 0 ? ",attention," : ",interest,").Append(1000 + i).Append(i % 11 == 0 ? ",price\n" : ",\n");
        }

        var path = Path.Combine(Path.GetTempPath(), $"funnel-progress-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text.ToString());
        try
        {
            var reports = new Recorder();
            var withProgress = chunkBytes is null
                ? TransitionLogCsvReader.ReadFile(path, Aida, null, reports)
                : CsvFileIngest.Read(path, Aida, null, chunkBytes, bufferBytes, reports);
            var without = TransitionLogCsvReader.ReadFile(path, Aida);

            var length = new FileInfo(path).Length;
            Assert.Equal(CsvFastPath.Describe(without), CsvFastPath.Describe(withProgress));
            Assert.Equal(length, reports.Values.Last());
            Assert.All(reports.Values, v => Assert.InRange(v, 1, length));
            Assert.True(reports.Values.Count >= (bufferBytes is null ? 1 : 10), $"{reports.Values.Count} reports");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadFile_WithoutAProgress_IsRefused() =>
        Assert.Throws<ArgumentNullException>(() => TransitionLogCsvReader.ReadFile("x.csv", Aida, null, null!));

    /// <summary>Records every report, from any thread, in the order they arrive.</summary>
    private sealed class Recorder : IProgress<long>
    {
        private readonly ConcurrentQueue<long> _values = new();

        public List<long> Values => [.. _values];

        public void Report(long value) => _values.Enqueue(value);
    }
}
