namespace Funnel.Formats.Tests;

/// <summary>Checks that the lines between <c>// docs:</c> markers in a test file appear verbatim in a doc page.</summary>
internal static class DocsSnippet
{
    public static void AssertShownIn(string docPage, string testFile, string marker)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Funnel.Core.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("The repository root was not found.");
        }

        var lines = File.ReadAllLines(Path.Combine(root, testFile));
        var start = Array.FindIndex(lines, l => l.Trim() == $"// docs: {marker}");
        var end = Array.FindIndex(lines, start + 1, l => l.Trim() == "// docs: end");
        Assert.True(start >= 0 && end > start, $"no '// docs: {marker}' region in {testFile}");
        var indent = lines[start].Length - lines[start].TrimStart().Length;
        var snippet = string.Join("\n", lines[(start + 1)..end].Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
        var page = File.ReadAllText(Path.Combine(root, docPage)).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(page.Contains(snippet, StringComparison.Ordinal), $"{docPage} does not show the '{marker}' snippet of {testFile} verbatim:\n{snippet}");
    }
}
