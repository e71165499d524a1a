using System.Collections.Immutable;
using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Serialization.Json;

namespace Funnel.Extensions.DependencyInjection.Internal;

/// <summary>The definitions (with the rules they declare) one source produced, or the problems that stopped it.</summary>
internal sealed record DefinitionLoad(ImmutableArray<FunnelDefinitionDocument> Definitions, ImmutableArray<string> Problems)
{
    public static DefinitionLoad Of(FunnelDefinition definition) => new([new FunnelDefinitionDocument(definition)], []);

    public static DefinitionLoad Failed(ImmutableArray<string> problems) => new([], problems);

    public static DefinitionLoad FromJsonText(string json, string sourceName, RuleTypeRegistry ruleTypes)
    {
        try
        {
            return new DefinitionLoad([FunnelJson.ReadDefinitionDocument(json, ruleTypes, sourceName)], []);
        }
        catch (FunnelJsonException ex)
        {
            return Failed([.. ex.Problems.Select(p => p.ToString())]);
        }
    }

    public static DefinitionLoad FromJsonPath(string path, RuleTypeRegistry ruleTypes)
    {
        string[] files;
        if (Directory.Exists(path))
        {
            files = Directory.GetFiles(path, "*.json", SearchOption.TopDirectoryOnly);
            Array.Sort(files, StringComparer.Ordinal);
            if (files.Length == 0)
            {
                return Failed([$"The folder '{path}' holds no *.json definition file."]);
            }
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            return Failed([$"No definition file or folder at '{path}'."]);
        }

        var definitions = ImmutableArray.CreateBuilder<FunnelDefinitionDocument>();
        var problems = ImmutableArray.CreateBuilder<string>();
        foreach (var file in files)
        {
            try
            {
                definitions.Add(FunnelJson.ReadDefinitionDocumentFile(file, ruleTypes));
            }
            catch (FunnelJsonException ex)
            {
                problems.AddRange(ex.Problems.Select(p => $"{file}: {p}"));
            }
            catch (IOException ex)
            {
                problems.Add($"{file}: cannot be read: {ex.Message}");
            }
            catch (UnauthorizedAccessException ex)
            {
                problems.Add($"{file}: cannot be read: {ex.Message}");
            }
        }

        return new DefinitionLoad(definitions.ToImmutable(), problems.ToImmutable());
    }
}
