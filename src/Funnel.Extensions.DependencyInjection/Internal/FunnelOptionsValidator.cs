using Microsoft.Extensions.Options;

namespace Funnel.Extensions.DependencyInjection.Internal;

/// <summary>Fails the options (and, with validate-on-start, the host) with every problem of every definition.</summary>
internal sealed class FunnelOptionsValidator : IValidateOptions<FunnelOptions>
{
    public ValidateOptionsResult Validate(string? name, FunnelOptions options) =>
        options.Problems.IsEmpty ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Problems);
}
