using System.Collections.Immutable;
using Funnel.Core;
using Funnel.Extensions.DependencyInjection.Internal;

namespace Funnel.Extensions.DependencyInjection;

/// <summary>
/// The options behind <see cref="IFunnelRegistry"/>: where the definitions come from and, once loaded, the
/// definitions themselves. Filled by <see cref="FunnelBuilder"/>; read it through <c>IOptions&lt;FunnelOptions&gt;</c>.
/// </summary>
/// <remarks>The options system creates and fills an instance once; after that it is only read, from any thread.</remarks>
public sealed class FunnelOptions
{
    /// <summary>Gets the definitions loaded from every source, in registration order; empty until the options are created by the options system.</summary>
    public ImmutableArray<FunnelDefinition> Definitions { get; internal set; } = [];

    internal List<DefinitionSource> Sources { get; } = [];

    internal ImmutableArray<string> Problems { get; set; } = [];
}
