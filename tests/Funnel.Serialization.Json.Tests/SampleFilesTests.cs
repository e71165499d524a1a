using System.Text.Json;

namespace Funnel.Serialization.Json.Tests;

/// <summary>Every definition file the samples ship refers to the schema, follows its required structure, and reads.</summary>
public class SampleFilesTests
{
    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Funnel.Core.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The repository root (Funnel.Core.sln) was not found above " + AppContext.BaseDirectory);
    }

    public static TheoryData<string> DefinitionFiles()
    {
        var data = new TheoryData<string>();
        var samples = Path.Combine(RepositoryRoot(), "samples");
        foreach (var file in Directory.GetFiles(samples, "*.json", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            if (File.ReadAllText(file).Contains("funnel-definition.schema.json", StringComparison.Ordinal))
            {
                data.Add(Path.GetRelativePath(RepositoryRoot(), file));
            }
        }

        return data;
    }

    [Fact]
    public void Samples_ShipAtLeastOneDefinitionFile()
    {
        Assert.NotEmpty(DefinitionFiles());
    }

    [Theory]
    [MemberData(nameof(DefinitionFiles))]
    public void SampleDefinitionFile_FollowsTheSchema_AndReads(string relativePath)
    {
        var path = Path.Combine(RepositoryRoot(), relativePath);
        using var file = JsonDocument.Parse(File.ReadAllText(path));

        Assert.Empty(PublishedSchemas.Definition.Problems(file.RootElement));
        var schemaReference = file.RootElement.GetProperty("$schema").GetString()!;
        var schemaFile = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, schemaReference));
        Assert.True(File.Exists(schemaFile), $"$schema '{schemaReference}' does not point at the schema file.");
        Assert.Equal(FunnelJson.DefinitionSchema, File.ReadAllText(schemaFile));
        var document = FunnelJson.ReadDefinitionDocumentFile(path);
        Assert.NotEmpty(document.Definition.Stages);
    }

    [Fact]
    public void DefinitionSchema_RefusesWhatTheReaderRefuses_AtEachPlace()
    {
        var problems = PublishedSchemas.Definition.Problems(
            """{ "key": "", "stages": [ { "key": "a", "kind": "money", "winProbability": 2, "extra": 1 } ], "transitionOptions": ["sideways"] }""");

        Assert.Contains(problems, e => e.StartsWith(": required:", StringComparison.Ordinal) && e.Contains("wonAt", StringComparison.Ordinal));
        Assert.Contains(problems, e => e.StartsWith("/key: minLength:", StringComparison.Ordinal));
        Assert.Contains(problems, e => e.StartsWith("/stages/0/kind: enum:", StringComparison.Ordinal));
        Assert.Contains(problems, e => e.StartsWith("/stages/0/winProbability: maximum:", StringComparison.Ordinal));
        Assert.Contains(problems, e => e.StartsWith("/stages/0/extra: ", StringComparison.Ordinal));
        Assert.Contains(problems, e => e.StartsWith("/transitionOptions/0: enum:", StringComparison.Ordinal));
    }
}
