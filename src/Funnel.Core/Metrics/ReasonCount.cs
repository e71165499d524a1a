namespace Funnel.Core.Metrics;

/// <summary>How many losses had one loss reason.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class ReasonCount
{
    internal ReasonCount(LossReason reason, long count)
    {
        Reason = reason;
        Count = count;
    }

    /// <summary>Gets the loss reason.</summary>
    public LossReason Reason { get; }

    /// <summary>Gets the number of losses with that reason.</summary>
    public long Count { get; }

    /// <summary>Returns the reason and count as text.</summary>
    /// <returns>A text such as <c>price: 3</c>.</returns>
    public override string ToString() => $"{Reason.Key}: {Count}";
}
