using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Funnel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Funnel.Extensions.DependencyInjection.Internal;

/// <summary>The default registry: the validated definitions of <see cref="FunnelOptions"/>, in a frozen dictionary.</summary>
internal sealed partial class FunnelRegistry : IFunnelRegistry
{
    private readonly FrozenDictionary<string, FunnelDefinition> _definitions;

    public FunnelRegistry(IOptions<FunnelOptions> options, ILoggerFactory? loggerFactory = null)
    {
        var definitions = options.Value.Definitions;
        _definitions = definitions.ToFrozenDictionary(d => d.Key, StringComparer.Ordinal);
        Keys = [.. definitions.Select(d => d.Key)];
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Funnel.Registry");
        foreach (var definition in definitions)
        {
            LogLoaded(logger, definition.Key, definition.Stages.Length, definition.GoalStage.Key.Value);
        }
    }

    public IReadOnlyList<string> Keys { get; }

    public bool TryGetDefinition(string key, [NotNullWhen(true)] out FunnelDefinition? definition)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _definitions.TryGetValue(key, out definition);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Funnel definition {Key} registered: {StageCount} stages, won at {GoalStage}")]
    private static partial void LogLoaded(ILogger logger, string key, int stageCount, string goalStage);
}
