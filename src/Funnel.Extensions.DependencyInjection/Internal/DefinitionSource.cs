using Funnel.Core.Rules;

namespace Funnel.Extensions.DependencyInjection.Internal;

/// <summary>Where definitions come from, and how to load them (at start-up, not at registration) with the final rule types.</summary>
internal sealed record DefinitionSource(string Description, Func<RuleTypeRegistry, DefinitionLoad> Load);
