using System.Collections.Immutable;
using Funnel.Core;
using Microsoft.Extensions.Options;

namespace Funnel.Extensions.DependencyInjection.Internal;

/// <summary>Loads every definition source once, after the options are configured; the validator reports what failed.</summary>
internal sealed class FunnelOptionsLoader : IPostConfigureOptions<FunnelOptions>
{
    public void PostConfigure(string? name, FunnelOptions options)
    {
        var definitions = ImmutableArray.CreateBuilder<FunnelDefinition>();
        var problems = ImmutableArray.CreateBuilder<string>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in options.Sources)
        {
            DefinitionLoad load;
            try
            {
                load = source.Load();
            }
            catch (FunnelException ex)
            {
                load = DefinitionLoad.Failed([ex.Message]);
            }

            problems.AddRange(load.Problems.Select(p => $"{source.Description}: {p}"));
            foreach (var definition in load.Definitions)
            {
                if (seen.TryGetValue(definition.Key, out var first))
                {
                    if (!definitions.First(d => d.Key == definition.Key).Equals(definition))
                    {
                        problems.Add($"{source.Description}: the definition key '{definition.Key}' is already used by {first}.");
                    }

                    continue;
                }

                seen.Add(definition.Key, source.Description);
                definitions.Add(definition);
            }
        }

        options.Definitions = definitions.ToImmutable();
        options.Problems = problems.ToImmutable();
    }
}
