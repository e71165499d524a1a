using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Extensions.DependencyInjection.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Extensions.DependencyInjection;

/// <summary>
/// Adds definitions to Funnel.Core's registration; returned by
/// <see cref="FunnelServiceCollectionExtensions.AddFunnel(IServiceCollection, Action{FunnelBuilder}?)"/>. Other
/// Funnel packages add extension methods on it, and reach the container through <see cref="Services"/>.
/// </summary>
/// <remarks>
/// Nothing is built or read when a method is called: definitions are built, JSON files read and everything
/// validated when <see cref="IFunnelRegistry"/> is first resolved, or at host start-up (validate-on-start).
/// This type is not thread-safe; use it while the services are being registered.
/// </remarks>
public sealed class FunnelBuilder
{
    internal FunnelBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the service collection the builder registers into.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds a definition built in code (without rules; add them with <see cref="AddRules"/>).</summary>
    /// <param name="definition">The definition.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    public FunnelBuilder AddDefinition(FunnelDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return AddSource(new DefinitionSource($"definition '{definition.Key}' (added in code)", _ => DefinitionLoad.Of(definition)));
    }

    /// <summary>
    /// Adds a definition described with a <see cref="FunnelDefinitionBuilder"/>; it is built, and its problems
    /// reported, at start-up.
    /// </summary>
    /// <param name="key">The definition key.</param>
    /// <param name="displayName">The name shown to people; optional.</param>
    /// <param name="configure">Adds the stages, goal, loss reasons and transitions.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public FunnelBuilder AddDefinition(string key, string? displayName, Action<FunnelDefinitionBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(configure);
        return AddSource(new DefinitionSource($"definition '{key}' (added in code)", _ =>
        {
            var builder = new FunnelDefinitionBuilder(key, displayName);
            configure(builder);
            return builder.TryBuild(out var definition, out var problems)
                ? DefinitionLoad.Of(definition)
                : DefinitionLoad.Failed([.. problems.Select(p => p.ToString())]);
        }));
    }

    /// <summary>
    /// Adds the definitions in JSON files: one file, or every <c>*.json</c> file of a folder (not its subfolders).
    /// Files are read and validated at start-up; every problem is reported with its file, JSON path and line.
    /// </summary>
    /// <param name="path">A file or folder; a relative path is resolved against <see cref="AppContext.BaseDirectory"/>
    /// (the app's output folder, where files marked <c>CopyToOutputDirectory</c> land).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    public FunnelBuilder AddJsonDefinitions(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path, AppContext.BaseDirectory);
        return AddSource(new DefinitionSource($"JSON definitions at '{full}'", ruleTypes => DefinitionLoad.FromJsonPath(full, ruleTypes)));
    }

    /// <summary>
    /// Adds one definition given as JSON text (for example inline in configuration). It is read and validated at
    /// start-up; every problem is reported with <paramref name="sourceName"/>, its JSON path and line.
    /// </summary>
    /// <param name="json">The definition document (the format of <c>FunnelJson.DefinitionSchema</c>).</param>
    /// <param name="sourceName">Where the text comes from, for messages, such as <c>Funnel:Definitions:0:Json</c>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank.</exception>
    public FunnelBuilder AddJsonDefinition(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        return AddSource(new DefinitionSource(sourceName, ruleTypes => DefinitionLoad.FromJsonText(json, sourceName, ruleTypes)));
    }

    /// <summary>
    /// Adds rules in code to a registered definition: custom guards and automations, or built-in rules with options.
    /// They join the rules the definition's JSON file declares; the rule set is built and checked at start-up.
    /// </summary>
    /// <param name="definitionKey">The key of a definition registered with this builder.</param>
    /// <param name="configure">Adds rules, such as <c>rules =&gt; rules.AddGuard("discount", new DiscountGuard())</c>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="definitionKey"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    public FunnelBuilder AddRules(string definitionKey, Action<RuleSetBuilder> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(definitionKey);
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure<FunnelOptions>(options => options.RuleConfigurations.Add((definitionKey, configure)));
        return this;
    }

    /// <summary>
    /// Adds a custom rule type by name, so that definition JSON files can declare it
    /// (<c>{"type": "discount-approval", "parameters": {...}}</c>) next to the built-in types.
    /// </summary>
    /// <param name="typeName">The type name; not blank, not a name already known.</param>
    /// <param name="factory">Creates the rule from its parameters (see <see cref="RuleParameters"/>).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="typeName"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public FunnelBuilder AddRuleType(string typeName, Func<RuleParameters, RuleRegistration> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typeName);
        ArgumentNullException.ThrowIfNull(factory);
        Services.Configure<FunnelOptions>(options => options.RuleTypeAdditions.Add((typeName, factory)));
        return this;
    }

    private FunnelBuilder AddSource(DefinitionSource source)
    {
        Services.Configure<FunnelOptions>(options => options.Sources.Add(source));
        return this;
    }
}
