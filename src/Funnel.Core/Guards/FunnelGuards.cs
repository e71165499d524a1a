using System.Runtime.CompilerServices;
using Funnel.Core.Bulk;

namespace Funnel.Core;

/// <summary>
/// The domain's own preconditions as <c>Guard.Against.*</c> extensions (Ardalis.GuardClauses' extension point), so
/// that a public method's checks read as one line each: <c>Guard.Against.InvalidStageKey(stage)</c>.
/// </summary>
internal static class FunnelGuards
{
    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="stage"/> is the <see langword="default"/> key, which names no stage.</summary>
    /// <returns><paramref name="stage"/>.</returns>
    public static StageKey InvalidStageKey(this IGuardClause guardClause, StageKey stage, string message = "The stage must not be the default key.", [CallerArgumentExpression(nameof(stage))] string? parameterName = null) =>
        stage.IsDefault ? throw new ArgumentException(message, parameterName) : stage;

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="reason"/> is the <see langword="default"/> key, which names no loss reason.</summary>
    /// <returns><paramref name="reason"/>.</returns>
    public static LossReasonKey InvalidLossReasonKey(this IGuardClause guardClause, LossReasonKey reason, string message = "The loss reason must not be the default key.", [CallerArgumentExpression(nameof(reason))] string? parameterName = null) =>
        reason.IsDefault ? throw new ArgumentException(message, parameterName) : reason;

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="definition"/> has no stage <paramref name="key"/>.</summary>
    /// <returns>The stage.</returns>
    public static Stage UnknownStage(this IGuardClause guardClause, FunnelDefinition definition, StageKey key, [CallerArgumentExpression(nameof(key))] string? parameterName = null) =>
        definition.TryGetStage(key, out var stage) ? stage : throw new ArgumentException($"Funnel '{definition.Key}' has no stage '{key}'.", parameterName);

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="definition"/> has no loss reason <paramref name="key"/>.</summary>
    /// <returns>The loss reason.</returns>
    public static LossReason UnknownLossReason(this IGuardClause guardClause, FunnelDefinition definition, LossReasonKey key, [CallerArgumentExpression(nameof(key))] string? parameterName = null) =>
        definition.TryGetLossReason(key, out var reason) ? reason : throw new ArgumentException($"Funnel '{definition.Key}' has no loss reason '{key}'.", parameterName);

    /// <summary>The message of <see cref="MissingSegmentKeys"/>.</summary>
    internal const string SegmentKeysRequired = "The log has a segment column, so the segment keys must be given.";

    /// <summary>Throws <see cref="ArgumentNullException"/> when <paramref name="log"/> has a segment column and <paramref name="segmentKeys"/> is <see langword="null"/>.</summary>
    public static void MissingSegmentKeys(this IGuardClause guardClause, TransitionLog log, IReadOnlyList<string>? segmentKeys, [CallerArgumentExpression(nameof(segmentKeys))] string? parameterName = null)
    {
        if (log.HasSegments && segmentKeys is null)
        {
            throw new ArgumentNullException(parameterName, SegmentKeysRequired);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="delimiter"/> cannot separate CSV fields (a quote, CR or LF).</summary>
    /// <returns><paramref name="delimiter"/>.</returns>
    public static char InvalidCsvDelimiter(this IGuardClause guardClause, char delimiter, string? parameterName) =>
        delimiter is '"' or '\r' or '\n'
            ? throw new ArgumentException($"The delimiter may not be a quote, CR or LF (it is U+{(int)delimiter:X4}).", parameterName)
            : delimiter;
}
