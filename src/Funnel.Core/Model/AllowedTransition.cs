namespace Funnel.Core;

/// <summary>One move between two stages that a <see cref="FunnelDefinition"/> allows.</summary>
/// <remarks>The <see langword="default"/> value has default keys and names no move. This type is immutable and thread-safe.</remarks>
public readonly struct AllowedTransition : IEquatable<AllowedTransition>
{
    /// <summary>Creates a transition.</summary>
    /// <param name="from">The stage the move starts from.</param>
    /// <param name="to">The stage the move ends in.</param>
    /// <param name="kind">The shape of the move.</param>
    public AllowedTransition(StageKey from, StageKey to, TransitionKind kind)
    {
        From = from;
        To = to;
        Kind = kind;
    }

    /// <summary>Gets the stage the move starts from.</summary>
    public StageKey From { get; }

    /// <summary>Gets the stage the move ends in.</summary>
    public StageKey To { get; }

    /// <summary>Gets the shape of the move.</summary>
    public TransitionKind Kind { get; }

    /// <summary>Compares two transitions for equality.</summary>
    /// <param name="left">The first transition.</param>
    /// <param name="right">The second transition.</param>
    /// <returns><see langword="true"/> when both have the same stages and kind.</returns>
    public static bool operator ==(AllowedTransition left, AllowedTransition right) => left.Equals(right);

    /// <summary>Compares two transitions for inequality.</summary>
    /// <param name="left">The first transition.</param>
    /// <param name="right">The second transition.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(AllowedTransition left, AllowedTransition right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(AllowedTransition other) => From == other.From && To == other.To && Kind == other.Kind;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AllowedTransition other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(From, To, Kind);

    /// <summary>Returns the move as text.</summary>
    /// <returns>A text such as <c>interest -> desire (Forward)</c>.</returns>
    public override string ToString() => $"{From} -> {To} ({Kind})";
}
