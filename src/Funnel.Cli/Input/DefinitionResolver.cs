using Funnel.Core;
using Funnel.Serialization.Json;

namespace Funnel.Cli.Input;

/// <summary>Loads a definition from a JSON file or, when no such file exists, a built-in template name.</summary>
internal static class DefinitionResolver
{
    /// <summary>The names of the built-in templates, in <see cref="FunnelTemplates.All"/> order.</summary>
    public static string TemplateNames => string.Join(", ", FunnelTemplates.All.Select(t => t.Key));

    /// <summary>Loads a definition; on JSON problems prints each as <c>file:line: path: message</c> and throws.</summary>
    /// <exception cref="CliException">Neither a readable valid file nor a template name (exit code 1).</exception>
    public static FunnelDefinition Resolve(string fileOrTemplate, CliContext context)
    {
        if (File.Exists(fileOrTemplate))
        {
            return ReadFile(fileOrTemplate, context);
        }

        if (FunnelTemplates.TryGet(fileOrTemplate, out var template))
        {
            return template;
        }

        throw new CliException(
            $"'{fileOrTemplate}' is neither an existing definition file nor a template name (templates: {TemplateNames}).");
    }

    /// <summary>Reads and validates a definition file, printing every problem before throwing.</summary>
    /// <exception cref="CliException">The file is missing, unreadable or invalid (exit code 1).</exception>
    public static FunnelDefinition ReadFile(string path, CliContext context)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"{path}: file not found.");
        }

        try
        {
            return FunnelJson.ReadDefinitionFile(path);
        }
        catch (FunnelJsonException ex)
        {
            WriteProblems(path, ex, context.Error);
            throw new CliException($"{path}: {Count(ex.Problems.Length)} found; the definition is not valid.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot read the file: {ex.Message}", ex);
        }
    }

    /// <summary>Writes each problem as <c>file:line: $.path: message</c> (line omitted when unknown).</summary>
    public static void WriteProblems(string path, FunnelJsonException exception, TextWriter writer)
    {
        foreach (var problem in exception.Problems)
        {
            var where = problem.Line > 0 ? $"{path}:{problem.Line}" : path;
            writer.WriteLine($"{where}: {problem.Path}: {problem.Message}");
        }
    }

    private static string Count(int problems) => problems == 1 ? "1 problem" : $"{problems} problems";
}
