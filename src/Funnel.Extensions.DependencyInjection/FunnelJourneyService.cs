using Funnel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Funnel.Extensions.DependencyInjection;

/// <summary>
/// Starts and moves journeys of the registered definitions, stamping every change with the container's
/// <see cref="TimeProvider"/> and logging rejected moves. Registered by
/// <see cref="FunnelServiceCollectionExtensions.AddFunnel"/> as a singleton.
/// </summary>
/// <remarks>This type is thread-safe: it keeps no state beyond its dependencies; journeys are immutable values.</remarks>
public sealed partial class FunnelJourneyService
{
    private readonly IFunnelRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    /// <param name="registry">The definitions.</param>
    /// <param name="timeProvider">The clock for every change.</param>
    /// <param name="loggerFactory">Logs rejected moves; when <see langword="null"/>, nothing is logged.</param>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public FunnelJourneyService(IFunnelRegistry registry, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _registry = registry;
        _time = timeProvider;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Funnel.Journeys");
    }

    /// <summary>Starts a journey of a registered definition now.</summary>
    /// <param name="definitionKey">The definition key.</param>
    /// <param name="id">The lead's id; not blank.</param>
    /// <param name="actor">Who started it, or <see langword="null"/>.</param>
    /// <param name="attributes">Initial attributes; optional.</param>
    /// <returns>The new journey.</returns>
    /// <exception cref="ArgumentException">No definition has that key, <paramref name="id"/> is blank, or required attributes are missing.</exception>
    public Journey Start(string definitionKey, string id, string? actor = null, IEnumerable<KeyValuePair<string, string>>? attributes = null) =>
        Journey.Start(_registry.GetDefinition(definitionKey), id, _time.GetUtcNow(), actor, attributes);

    /// <summary>Moves a journey to a stage now; see <see cref="Journey.MoveTo"/>.</summary>
    /// <param name="journey">The journey.</param>
    /// <param name="stage">The target stage.</param>
    /// <param name="actor">Who moved it, or <see langword="null"/>.</param>
    /// <param name="note">A note, or <see langword="null"/>.</param>
    /// <returns>The result: the new journey, or the rejection with every reason (also logged).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    public JourneyResult MoveTo(Journey journey, StageKey stage, string? actor = null, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(journey);
        return Logged(journey.MoveTo(stage, _time.GetUtcNow(), actor, note));
    }

    /// <summary>Marks a journey won now; see <see cref="Journey.MarkWon"/>.</summary>
    /// <param name="journey">The journey.</param>
    /// <param name="actor">Who marked it, or <see langword="null"/>.</param>
    /// <returns>The result: the new journey, or the rejection with every reason (also logged).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    public JourneyResult MarkWon(Journey journey, string? actor = null)
    {
        ArgumentNullException.ThrowIfNull(journey);
        return Logged(journey.MarkWon(_time.GetUtcNow(), actor));
    }

    /// <summary>Marks a journey lost now; see <see cref="Journey.MarkLost"/>.</summary>
    /// <param name="journey">The journey.</param>
    /// <param name="reason">The loss reason.</param>
    /// <param name="actor">Who marked it, or <see langword="null"/>.</param>
    /// <param name="note">A note, or <see langword="null"/>.</param>
    /// <returns>The result: the new journey, or the rejection with every reason (also logged).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    public JourneyResult MarkLost(Journey journey, LossReasonKey reason, string? actor = null, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(journey);
        return Logged(journey.MarkLost(reason, _time.GetUtcNow(), actor, note));
    }

    private JourneyResult Logged(JourneyResult result)
    {
        if (!result.Succeeded && _logger.IsEnabled(LogLevel.Information))
        {
            var violations = string.Join("; ", result.Violations);
            LogRejected(_logger, result.Kind, result.Journey.Id, violations);
        }

        return result;
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Kind} of journey {JourneyId} rejected: {Violations}")]
    private static partial void LogRejected(ILogger logger, MoveKind kind, string journeyId, string violations);
}
