namespace Funnel.Cli.Tests.Commands;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Validate_DefinitionWrittenByInit_IsValidAndExitsZero()
    {
        Assert.Equal(0, CliRun.Start(_folder.Path, "init", "b2b-pipeline").ExitCode);

        var run = CliRun.Start(_folder.Path, "validate", "b2b-pipeline.json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("b2b-pipeline.json: valid funnel 'b2b-pipeline' (6 stages, goal 'won'", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefinitionWithSeveralProblems_ListsEachWithPathAndLineAndExitsOne()
    {
        _folder.Write("bad.json", """
            {
              "key": "shop",
              "displayName": "Shop",
              "stages": [
                { "key": "visit", "displayName": "Visit" },
                { "key": "cart", "displayName": "Cart", "winProbability": 2 },
                { "key": "visit", "displayName": "Again" }
              ],
              "wonAt": "paid"
            }
            """);

        var run = CliRun.Start(_folder.Path, "validate", "bad.json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("bad.json:6: $.stages[1].winProbability: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("bad.json:7: $.stages[2].key: ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("bad.json:9: $.wonAt: ", lines[2], StringComparison.Ordinal);
        Assert.Contains("funnel: error: bad.json: 3 problems; the definition is not valid.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralShapeProblems_ListsEveryOneWithPathAndLine()
    {
        _folder.Write("shape.json", """
            {
              "key": "shop",
              "stages": [
                { "key": "visit", "winProbability": "high" },
                { "key": "cart", "idleLimit": 5 },
                "paid"
              ],
              "wonAt": "paid",
              "colour": "blue"
            }
            """);

        var run = CliRun.Start(_folder.Path, "validate", "shape.json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            ["shape.json:4: $.stages[0].winProbability: ", "shape.json:5: $.stages[1].idleLimit: ", "shape.json:6: $.stages[2]: ", "shape.json:9: $.colour: "],
            lines.Select(l => l[..(l.IndexOf(": ", l.IndexOf(": ", StringComparison.Ordinal) + 2, StringComparison.Ordinal) + 2)]));
        Assert.Contains("funnel: error: shape.json: 4 problems; the definition is not valid.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MalformedJson_ReportsTheLineAndExitsOne()
    {
        _folder.Write("broken.json", "{ \"key\": \"x\",\n  \"stages\": [ }\n");

        var run = CliRun.Start(_folder.Path, "validate", "broken.json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("broken.json:2: $.stages: malformed JSON", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aida", 4)]
    [InlineData("b2b-pipeline", 6)]
    public void Validate_TemplateKey_IsValidAndExitsZero(string template, int stages)
    {
        var run = CliRun.Start(_folder.Path, "validate", template);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith($"template '{template}': valid funnel '{template}' ({stages} stages, goal ", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FileNamedLikeATemplate_IsReadAsTheFile()
    {
        _folder.Write("aida", "{ \"key\": \"x\" }");

        var run = CliRun.Start(_folder.Path, "validate", "aida");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("aida:1: $.stages: the property 'stages' is required", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MisspeltTemplate_SuggestsIt()
    {
        var run = CliRun.Start(_folder.Path, "validate", "five-stages");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("'five-stages' is neither an existing definition file nor a template name; did you mean 'five-stage'?", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Directory_SaysItIsADirectory()
    {
        Directory.CreateDirectory(_folder.File("defs"));

        var run = CliRun.Start(_folder.Path, "validate", "defs");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("funnel: error: defs: is a directory, not a file; give a definition JSON file.", run.Error.Trim());
    }

    [Fact]
    public void Validate_MissingFile_ExitsOneNamingTheFile()
    {
        var run = CliRun.Start(_folder.Path, "validate", "nope.json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("funnel: error: nope.json: file not found.", run.Error.Trim());
    }
}
