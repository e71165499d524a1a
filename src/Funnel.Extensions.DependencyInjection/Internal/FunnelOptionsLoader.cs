using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Serialization.Json;
using Microsoft.Extensions.Options;

namespace Funnel.Extensions.DependencyInjection.Internal;

/// <summary>
/// Loads every definition source once, after the options are configured, and builds each funnel's rule set; the
/// validator reports what failed, all at once. Rule sets record their measurements on a meter from the container's
/// <see cref="IMeterFactory"/> when one is registered (so each container has its own), else on Funnel.Core's static meter.
/// </summary>
/// <param name="meterFactory">The container's meter factory, if any.</param>
internal sealed class FunnelOptionsLoader(IMeterFactory? meterFactory = null) : IPostConfigureOptions<FunnelOptions>
{
    public void PostConfigure(string? name, FunnelOptions options)
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        var ruleTypes = RuleTypeRegistry.Default;
        foreach (var (typeName, factory) in options.RuleTypeAdditions)
        {
            try
            {
                ruleTypes = ruleTypes.With(typeName, factory);
            }
            catch (ArgumentException ex)
            {
                problems.Add($"rule type '{typeName}': {ex.Message}");
            }
        }

        var documents = new List<(FunnelDefinitionDocument Document, string Source)>();
        foreach (var source in options.Sources)
        {
            DefinitionLoad load;
            try
            {
                load = source.Load(ruleTypes);
            }
            catch (FunnelException ex)
            {
                load = DefinitionLoad.Failed([ex.Message]);
            }

            problems.AddRange(load.Problems.Select(p => $"{source.Description}: {p}"));
            foreach (var document in load.Definitions)
            {
                var key = document.Definition.Key;
                var existing = documents.FindIndex(d => d.Document.Definition.Key == key);
                if (existing < 0)
                {
                    documents.Add((document, source.Description));
                }
                else if (!documents[existing].Document.Equals(document))
                {
                    problems.Add($"{source.Description}: the definition key '{key}' is already used by {documents[existing].Source}.");
                }
            }
        }

        var funnels = ImmutableArray.CreateBuilder<RegisteredFunnel>();
        foreach (var (document, source) in documents)
        {
            var definition = document.Definition;
            try
            {
                var rules = new RuleSetBuilder().WithMeterFactory(meterFactory);
                foreach (var rule in document.Rules)
                {
                    rules.Add(rule, ruleTypes);
                }

                foreach (var (key, configure) in options.RuleConfigurations)
                {
                    if (key == definition.Key)
                    {
                        configure(rules);
                    }
                }

                var ruleSet = rules.Build();
                var misfits = ruleSet.Validate(definition);
                if (misfits.IsEmpty)
                {
                    funnels.Add(new RegisteredFunnel(definition, ruleSet));
                }
                else
                {
                    problems.AddRange(misfits.Select(p => $"{source}: rules of '{definition.Key}': {p}"));
                }
            }
            catch (Exception ex) when (ex is FunnelException or ArgumentException or InvalidOperationException)
            {
                problems.Add($"{source}: rules of '{definition.Key}': {ex.Message}");
            }
        }

        foreach (var key in options.RuleConfigurations.Select(c => c.DefinitionKey).Distinct(StringComparer.Ordinal))
        {
            if (!documents.Exists(d => d.Document.Definition.Key == key))
            {
                problems.Add($"AddRules('{key}'): no definition '{key}' is registered; registered: {(documents.Count == 0 ? "(none)" : string.Join(", ", documents.Select(d => d.Document.Definition.Key)))}.");
            }
        }

        options.RuleTypes = ruleTypes;
        options.Funnels = funnels.ToImmutable();
        options.Problems = problems.ToImmutable();
    }
}
