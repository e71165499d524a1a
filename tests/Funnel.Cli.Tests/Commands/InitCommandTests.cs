using Funnel.Core;

namespace Funnel.Cli.Tests.Commands;

public sealed class InitCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Templates_ListsEveryBuiltInTemplateWithItsStages()
    {
        var run = CliRun.Start(_folder.Path, "templates");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var template in FunnelTemplates.All)
        {
            Assert.Contains(template.Key.ToString(), run.Out, StringComparison.Ordinal);
            Assert.Contains(string.Join(" → ", template.Stages.Select(s => s.Key.ToString())), run.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Init_Template_WritesTheDefinitionJsonToTheGivenFile()
    {
        var run = CliRun.Start(_folder.Path, "init", "aida", "--out", "shop/funnel.json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var json = File.ReadAllText(_folder.File("shop/funnel.json"));
        Assert.Contains("\"key\": \"aida\"", json, StringComparison.Ordinal);
        Assert.Contains("\"wonAt\": \"action\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_ExistingFile_RefusesWithoutForceAndOverwritesWithIt()
    {
        _folder.Write("aida.json", "keep me");

        var refused = CliRun.Start(_folder.Path, "init", "aida");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("aida.json: the file exists; pass --force to overwrite it.", refused.Error, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(_folder.File("aida.json")));

        var forced = CliRun.Start(_folder.Path, "init", "aida", "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("\"key\": \"aida\"", File.ReadAllText(_folder.File("aida.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Init_OutDirectory_SaysItIsADirectory()
    {
        Directory.CreateDirectory(_folder.File("defs"));

        var run = CliRun.Start(_folder.Path, "init", "aida", "--out", "defs");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("funnel: error: --out defs: is a directory, not a file; name a file (in it, or elsewhere).", run.Error.Trim());
    }

    [Fact]
    public void Init_UnknownTemplate_ExitsOneListingTheTemplates()
    {
        var run = CliRun.Start(_folder.Path, "init", "pyramid");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("unknown template 'pyramid' (templates: aida, five-stage, customer-journey, b2b-pipeline, real-estate)", run.Error, StringComparison.Ordinal);
    }
}
