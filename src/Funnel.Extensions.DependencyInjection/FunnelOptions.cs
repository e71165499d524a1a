using System.Collections.Immutable;
using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Extensions.DependencyInjection.Internal;

namespace Funnel.Extensions.DependencyInjection;

/// <summary>
/// The options behind <see cref="IFunnelRegistry"/>: where the definitions, rules and rule types come from and, once
/// loaded, the funnels themselves. Filled by <see cref="FunnelBuilder"/>; read it through <c>IOptions&lt;FunnelOptions&gt;</c>.
/// </summary>
/// <remarks>The options system creates and fills an instance once; after that it is only read, from any thread.</remarks>
public sealed class FunnelOptions
{
    /// <summary>Gets every registered funnel (definition and rule set), in registration order; empty until the options system has created the options.</summary>
    public ImmutableArray<RegisteredFunnel> Funnels { get; internal set; } = [];

    /// <summary>Gets the rule types JSON definitions may use: the built-in ones and those added with <see cref="FunnelBuilder.AddRuleType"/>; set when the options are created.</summary>
    public RuleTypeRegistry RuleTypes { get; internal set; } = RuleTypeRegistry.Default;

    internal List<DefinitionSource> Sources { get; } = [];

    internal List<(string DefinitionKey, Action<RuleSetBuilder> Configure)> RuleConfigurations { get; } = [];

    internal List<(string TypeName, Func<RuleParameters, RuleRegistration> Factory)> RuleTypeAdditions { get; } = [];

    internal ImmutableArray<string> Problems { get; set; } = [];
}
