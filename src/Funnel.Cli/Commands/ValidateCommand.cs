using System.CommandLine;
using Funnel.Cli.Input;
using Funnel.Core;
using Funnel.Serialization.Json;

namespace Funnel.Cli.Commands;

/// <summary>
/// <c>funnel validate &lt;definition&gt;</c>: every problem of a definition JSON file with its JSON path and line; exit
/// 0 when valid, 1 otherwise. A template key is accepted wherever a definition is (and is valid by construction).
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("definition") { Description = "The definition JSON file to check, or a template name (see 'funnel templates')." };
        var command = new Command("validate", "Check a funnel definition JSON file (or a template) and list every problem with its JSON path and line (exit 0 when valid, 1 otherwise).")
        {
            file,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(file);
            if (DefinitionResolver.TryGetTemplate(path, out var template))
            {
                context.Out.WriteLine($"template '{template.Key}': {Describe(template)}");
                return ExitCodes.Success;
            }

            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw DefinitionResolver.NotFound(path);
            }

            InputFile.Require(path, "a definition JSON file");
            try
            {
                var definition = FunnelJson.ReadDefinitionFile(path);
                context.Out.WriteLine($"{path}: {Describe(definition)}");
                return ExitCodes.Success;
            }
            catch (FunnelJsonException ex)
            {
                // The problems are the result of this command, so they go to stdout; the verdict to stderr.
                DefinitionResolver.WriteProblems(path, ex, context.Out);
                context.WriteError($"{path}: {(ex.Problems.Length == 1 ? "1 problem" : $"{ex.Problems.Length} problems")}; the definition is not valid.");
                return ExitCodes.InvalidInput;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"{path}: cannot read the file: {ex.Message}", ex);
            }
        });
        return command;
    }

    private static string Describe(FunnelDefinition definition) =>
        $"valid funnel '{definition.Key}' ({definition.Stages.Length} stages, goal '{definition.GoalStage.Key}', {definition.LossReasons.Length} loss reasons).";
}
