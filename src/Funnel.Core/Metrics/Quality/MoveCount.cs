namespace Funnel.Core.Metrics;

/// <summary>How many times the leads of a log made one move between two stages.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class MoveCount
{
    internal MoveCount(Stage from, Stage to, long count)
    {
        From = from;
        To = to;
        Kind = FunnelDefinition.ClassifyTransition(from, to);
        Count = count;
    }

    /// <summary>Gets the stage the move starts from.</summary>
    public Stage From { get; }

    /// <summary>Gets the stage the move ends in.</summary>
    public Stage To { get; }

    /// <summary>Gets the shape of the move (forward, skip, back or re-entry), judged by the order of its stages.</summary>
    public TransitionKind Kind { get; }

    /// <summary>Gets the number of times the move was made (consecutive events of one lead).</summary>
    public long Count { get; }

    /// <summary>Returns the move and its count as text.</summary>
    /// <returns>A text such as <c>research -> awareness (Back): 1530</c>.</returns>
    public override string ToString() => $"{From.Key} -> {To.Key} ({Kind}): {Count}";
}
