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
        if (File.Exists(fileOrTemplate) || Directory.Exists(fileOrTemplate))
        {
            return ReadFile(fileOrTemplate, context);
        }

        if (FunnelTemplates.TryGet(fileOrTemplate, out var template))
        {
            return template;
        }

        throw NotFound(fileOrTemplate);
    }

    /// <summary>Gets the template named <paramref name="fileOrTemplate"/> when no file or directory has that name.</summary>
    public static bool TryGetTemplate(string fileOrTemplate, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FunnelDefinition? template)
    {
        template = null;
        return !File.Exists(fileOrTemplate) && !Directory.Exists(fileOrTemplate) && FunnelTemplates.TryGet(fileOrTemplate, out template);
    }

    /// <summary>
    /// The error for a definition that is neither a file nor a template: "file not found" for what looks like a
    /// path (a <c>.json</c> name or a folder in it), else the template names, with a near match when there is one.
    /// </summary>
    public static CliException NotFound(string fileOrTemplate)
    {
        if (fileOrTemplate.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || fileOrTemplate.IndexOfAny(['/', '\\']) >= 0)
        {
            return new CliException($"{fileOrTemplate}: file not found.");
        }

        var near = KeySuggestion.Nearest(fileOrTemplate, FunnelTemplates.All.Select(t => t.Key));
        return new CliException(
            $"'{fileOrTemplate}' is neither an existing definition file nor a template name{(near is null ? "" : $"; did you mean '{near}'?")} (templates: {TemplateNames}).");
    }

    /// <summary>Reads and validates a definition file, printing every problem before throwing.</summary>
    /// <exception cref="CliException">The file is missing, unreadable or invalid (exit code 1).</exception>
    public static FunnelDefinition ReadFile(string path, CliContext context)
    {
        InputFile.Require(path, "a definition JSON file");
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
