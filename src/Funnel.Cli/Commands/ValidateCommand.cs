using System.CommandLine;
using Funnel.Cli.Input;
using Funnel.Serialization.Json;

namespace Funnel.Cli.Commands;

/// <summary><c>funnel validate &lt;definition.json&gt;</c>: every problem with its JSON path and line; exit 0 when valid, 1 otherwise.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("definition") { Description = "The definition JSON file to check." };
        var command = new Command("validate", "Check a funnel definition JSON file and list every problem with its JSON path and line (exit 0 when valid, 1 otherwise).")
        {
            file,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(file);
            if (!File.Exists(path))
            {
                throw new CliException($"{path}: file not found.");
            }

            try
            {
                var definition = FunnelJson.ReadDefinitionFile(path);
                context.Out.WriteLine(
                    $"{path}: valid funnel '{definition.Key}' ({definition.Stages.Length} stages, goal '{definition.GoalStage.Key}', {definition.LossReasons.Length} loss reasons).");
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
}
