using Funnel.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Funnel.Extensions.Hosting.Internal;

/// <summary>Fails start-up when a keyed funnel names a definition that is not registered.</summary>
internal sealed class KeyedFunnelValidator(string definitionKey) : IValidateOptions<FunnelOptions>
{
    public ValidateOptionsResult Validate(string? name, FunnelOptions options)
    {
        // A definition that failed to load is reported by Funnel's own validator too; this names the key that needs it.
        if (options.Funnels.Any(f => f.Definition.Key == definitionKey))
        {
            return ValidateOptionsResult.Success;
        }

        var known = options.Funnels.IsEmpty ? "(none)" : string.Join(", ", options.Funnels.Select(f => f.Definition.Key));
        return ValidateOptionsResult.Fail($"AddKeyedFunnel('{definitionKey}'): no definition '{definitionKey}' is registered; registered: {known}.");
    }
}
