using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Formats.Tests;
using static Funnel.Formats.Arrow.Tests.ArrowTestFiles;

namespace Funnel.Formats.Arrow.Tests;

/// <summary>The Arrow snippet of docs/bulk.md ("Parquet and Arrow input"), compiled and run.</summary>
public sealed class DocsSnippetTests
{
    [Fact]
    public void BulkMd_ArrowSnippet_CompilesRunsAndIsShownVerbatim()
    {
        using var folder = new TempFolder();
        var path = folder.File("events.arrow");
        Write(path, [Batch(("lead_id", Int64s([7, 7])), ("stage", Strings(["s0", "s1"])), ("event_time", Int64s([100, 160])))]);
        FunnelDefinition definition = FormatTestData.Definition;

        // docs: arrow
        var options = new TransitionLogColumns { EntityColumn = "lead_id", TimestampColumn = "event_time" };
        var read = TransitionLogArrowReader.Read(path, definition, options);   // an IPC file (.arrow, Feather v2) or stream
        Console.WriteLine($"{read.RowsKept} of {read.RowsRead} rows kept, {read.Entities.Count} leads");
        // docs: end

        Assert.Equal(2, read.RowsKept);
        Assert.Equal("7", read.Entities.GetKey(0));
        DocsSnippet.AssertShownIn("docs/bulk.md", "tests/Funnel.Formats.Arrow.Tests/DocsSnippetTests.cs", "arrow");
    }
}
