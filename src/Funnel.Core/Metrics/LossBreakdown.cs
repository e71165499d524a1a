using System.Collections.Immutable;

namespace Funnel.Core.Metrics;

/// <summary>Losses by reason, with the split into recoverable (retargeting, an abandoned-cart e-mail) and not.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class LossBreakdown
{
    internal LossBreakdown(ImmutableArray<ReasonCount> byReason)
    {
        ByReason = byReason;
        Total = byReason.Sum(r => r.Count);
        Recoverable = byReason.Where(r => r.Reason.IsRecoverable).Sum(r => r.Count);
    }

    /// <summary>Gets the count for every loss reason of the definition, in the definition's order (zeros included).</summary>
    public ImmutableArray<ReasonCount> ByReason { get; }

    /// <summary>Gets the total number of losses.</summary>
    public long Total { get; }

    /// <summary>Gets the number of losses whose reason is recoverable.</summary>
    public long Recoverable { get; }

    /// <summary>Gets the number of losses whose reason is not recoverable.</summary>
    public long NotRecoverable => Total - Recoverable;

    /// <summary>Gets the count for one reason.</summary>
    /// <param name="reason">The reason key.</param>
    /// <returns>The count; 0 for a reason the definition does not have.</returns>
    public long this[LossReasonKey reason] => ByReason.FirstOrDefault(r => r.Reason.Key == reason)?.Count ?? 0;

    internal static LossBreakdown FromRow(FunnelDefinition definition, long[] matrix, int row, int columns)
    {
        var builder = ImmutableArray.CreateBuilder<ReasonCount>(columns);
        for (var c = 0; c < columns; c++)
        {
            builder.Add(new ReasonCount(definition.LossReasons[c], matrix[(row * columns) + c]));
        }

        return new LossBreakdown(builder.MoveToImmutable());
    }

    internal static LossBreakdown FromCounts(FunnelDefinition definition, long[] counts)
    {
        var builder = ImmutableArray.CreateBuilder<ReasonCount>(counts.Length);
        for (var c = 0; c < counts.Length; c++)
        {
            builder.Add(new ReasonCount(definition.LossReasons[c], counts[c]));
        }

        return new LossBreakdown(builder.MoveToImmutable());
    }
}
