namespace Funnel.Extensions.DependencyInjection.Internal;

/// <summary>Where definitions come from, and how to load them (at start-up, not at registration).</summary>
internal sealed record DefinitionSource(string Description, Func<DefinitionLoad> Load);
