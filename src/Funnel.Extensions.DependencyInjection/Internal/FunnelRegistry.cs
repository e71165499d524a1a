using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Funnel.Extensions.DependencyInjection.Internal;

/// <summary>The default registry: the validated funnels of <see cref="FunnelOptions"/>, in a frozen dictionary.</summary>
internal sealed partial class FunnelRegistry : IFunnelRegistry
{
    private readonly FrozenDictionary<string, RegisteredFunnel> _funnels;

    public FunnelRegistry(IOptions<FunnelOptions> options, ILoggerFactory? loggerFactory = null)
    {
        var funnels = options.Value.Funnels;
        _funnels = funnels.ToFrozenDictionary(f => f.Definition.Key, StringComparer.Ordinal);
        Keys = [.. funnels.Select(f => f.Definition.Key)];
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Funnel.Registry");
        foreach (var funnel in funnels)
        {
            LogLoaded(logger, funnel.Definition.Key, funnel.Definition.Stages.Length, funnel.Definition.GoalStage.Key.Value, funnel.Rules.Rules.Length);
        }
    }

    public IReadOnlyList<string> Keys { get; }

    public bool TryGetFunnel(string key, [NotNullWhen(true)] out RegisteredFunnel? funnel)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _funnels.TryGetValue(key, out funnel);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Funnel definition {Key} registered: {StageCount} stages, won at {GoalStage}, {RuleCount} rules")]
    private static partial void LogLoaded(ILogger logger, string key, int stageCount, string goalStage, int ruleCount);
}
