using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Formats.Tests;

namespace Funnel.Formats.Parquet.Tests;

/// <summary>The Parquet snippet of docs/bulk.md ("Parquet and Arrow input"), compiled and run.</summary>
public sealed class DocsSnippetTests
{
    [Fact]
    public void BulkMd_ParquetSnippet_CompilesRunsAndIsShownVerbatim()
    {
        using var folder = new TempFolder();
        var path = folder.File("events.parquet");
        DuckDb.CopyToParquet("SELECT 'lead-1' AS entity, 's0' AS stage, TIMESTAMP '2026-01-01 09:00:00.250' AS timestamp, NULL AS loss_reason", path);
        FunnelDefinition definition = FormatTestData.Definition;

        // docs: parquet
        var read = TransitionLogParquetReader.Read(path, definition);  // columns entity, stage, timestamp, loss_reason, segment
        foreach (var error in read.Errors.Take(10))
        {
            Console.Error.WriteLine(error);                             // row 7, column stage: 'foo' is neither a stage key ...
        }

        TransitionReport report = new TransitionAnalyzer(definition, TimeSpan.FromDays(30)).Analyze(read.Log);
        string firstLead = read.Entities.GetKey(0);                    // integer keys come back as their decimal text
        // docs: end

        Assert.Equal(1, report.Reached[0]);
        Assert.Equal("lead-1", firstLead);
        Assert.Equal(1_767_258_000, read.Log.Timestamps[0]);
        DocsSnippet.AssertShownIn("docs/bulk.md", "tests/Funnel.Formats.Parquet.Tests/DocsSnippetTests.cs", "parquet");
    }
}
