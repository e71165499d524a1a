using System.Text;
using Funnel.Core.Bulk;
using Funnel.Formats.Tests;

namespace Funnel.Core.Tests.Docs;

/// <summary>The bad-rows snippet of docs/bulk.md ("What is wrong, for a program"), compiled and run.</summary>
public sealed class BadRowsDocsTests
{
    [Fact]
    public void BulkMd_BadRowsSnippet_CompilesRunsAndIsShownVerbatim()
    {
        var path = Path.Combine(Path.GetTempPath(), $"funnel-docs-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "entity,stage,timestamp,loss_reason\na,attention,1,\nb,Interest,2,\nc,Interest,3,\nd,attention,26-02-2018,\ne,attention\n", new UTF8Encoding(false));
        var definition = FunnelTemplates.Aida;

        // docs: bad-rows
        var result = TransitionLogCsvReader.ReadFile(path, definition);
        foreach (var count in result.ErrorCountsByColumn)
        {
            Console.Error.WriteLine(count);                                 // stage: 2 rows
        }

        foreach (var unknown in result.UnknownKeys.Take(10))
        {
            if (unknown.Suggest(definition) is { } key)
            {
                Console.Error.WriteLine($"{unknown}; did you mean {key}?"); // stage 'Interest': 2 rows; did you mean 'interest'?
            }
        }

        var misdated = result.Errors.Count(e => e.Kind == RowErrorKind.InvalidTimestamp);
        // docs: end

        File.Delete(path);
        Assert.Equal(1, misdated);
        Assert.Equal(["stage: 2 rows", "timestamp: 2 rows"], result.ErrorCountsByColumn.Select(c => c.ToString()));
        var interest = Assert.Single(result.UnknownKeys);
        Assert.Equal("stage 'Interest': 2 rows; did you mean 'interest'?", $"{interest}; did you mean {interest.Suggest(definition)}?");
        DocsSnippet.AssertShownIn("docs/bulk.md", "tests/Funnel.Core.Tests/Docs/BadRowsDocsTests.cs", "bad-rows");
    }
}
