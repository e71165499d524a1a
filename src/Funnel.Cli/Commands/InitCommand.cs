using System.CommandLine;
using Funnel.Cli.Input;
using Funnel.Cli.Output;
using Funnel.Core;
using Funnel.Serialization.Json;

namespace Funnel.Cli.Commands;

/// <summary><c>funnel init &lt;template&gt; [--out file] [--force]</c>: writes a template's definition JSON to start from.</summary>
internal static class InitCommand
{
    public static Command Create(CliContext context)
    {
        var template = new Argument<string>("template") { Description = "The template to start from (see 'funnel templates')." };
        var output = new Option<string>("--out", "-o") { HelpName = "file",  Description = "The file to write; default <template>.json in the current folder. '-' writes to stdout." };
        var force = new Option<bool>("--force") { Description = "Overwrite the file if it exists." };
        var command = new Command("init", "Write a built-in template as a definition JSON file to edit and start from.") { template, output, force };
        command.SetAction(parse =>
        {
            var name = parse.GetRequiredValue(template);
            if (!FunnelTemplates.TryGet(name, out var definition))
            {
                throw new CliException($"unknown template '{name}' (templates: {DefinitionResolver.TemplateNames}).");
            }

            var json = FunnelJson.WriteDefinition(definition) + Environment.NewLine;
            var path = parse.GetValue(output) ?? definition.Key + ".json";
            if (path == "-")
            {
                context.Out.Write(json);
                return ExitCodes.Success;
            }

            OutputFile.RejectDirectory(path);
            if (File.Exists(path) && !parse.GetValue(force))
            {
                throw new CliException($"{path}: the file exists; pass --force to overwrite it.");
            }

            try
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(path));
                if (folder is not null)
                {
                    Directory.CreateDirectory(folder);
                }

                File.WriteAllText(path, json);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"{path}: cannot write the file: {ex.Message}", ex);
            }

            context.Out.WriteLine($"Wrote {path} (template '{definition.Key}', {definition.Stages.Length} stages). Check it with: funnel validate {path}");
            return ExitCodes.Success;
        });
        return command;
    }
}
