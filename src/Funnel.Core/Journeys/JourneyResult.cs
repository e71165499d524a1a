using System.Collections.Immutable;

namespace Funnel.Core;

/// <summary>
/// The outcome of a move on a <see cref="Journey"/>: the new journey when the move was accepted, or every reason
/// it was rejected. Rejections are ordinary results, not exceptions; <see cref="GetJourneyOrThrow"/> builds the
/// exception only when asked.
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class JourneyResult
{
    private JourneyResult(MoveKind kind, Journey journey, ImmutableArray<MoveViolation> violations)
    {
        Kind = kind;
        Journey = journey;
        Violations = violations;
    }

    /// <summary>Gets the kind of move that was attempted.</summary>
    public MoveKind Kind { get; }

    /// <summary>Gets a value indicating whether the move was accepted.</summary>
    public bool Succeeded => Violations.IsEmpty;

    /// <summary>Gets the journey after the move when it was accepted; otherwise the unchanged journey the move was tried on.</summary>
    public Journey Journey { get; }

    /// <summary>Gets every reason the move was rejected, in a deterministic order; empty when it was accepted.</summary>
    public ImmutableArray<MoveViolation> Violations { get; }

    /// <summary>Creates an accepted result.</summary>
    /// <param name="kind">The kind of move.</param>
    /// <param name="journey">The journey after the move.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    public static JourneyResult Accepted(MoveKind kind, Journey journey)
    {
        Guard.Against.Null(journey);
        return new JourneyResult(kind, journey, []);
    }

    /// <summary>Creates a rejected result.</summary>
    /// <param name="kind">The kind of move.</param>
    /// <param name="journey">The unchanged journey.</param>
    /// <param name="violations">Every reason the move was rejected; not empty.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="violations"/> is empty.</exception>
    public static JourneyResult Rejected(MoveKind kind, Journey journey, ImmutableArray<MoveViolation> violations)
    {
        Guard.Against.Null(journey);
        if (violations.IsDefaultOrEmpty)
        {
            throw new ArgumentException("A rejection needs at least one violation.", nameof(violations));
        }

        return new JourneyResult(kind, journey, violations);
    }

    /// <summary>Gets the new journey, or throws when the move was rejected.</summary>
    /// <returns>The journey after the move.</returns>
    /// <exception cref="MoveRejectedException">The move was rejected; the exception lists every violation.</exception>
    public Journey GetJourneyOrThrow() =>
        Succeeded ? Journey : throw new MoveRejectedException(Journey.Id, Kind, Violations);

    /// <summary>Returns whether the move was accepted and, if not, why.</summary>
    /// <returns>A text such as <c>Move rejected: funnel.transition-allowed: ...</c>.</returns>
    public override string ToString() =>
        Succeeded ? $"{Kind} accepted" : $"{Kind} rejected: {string.Join("; ", Violations)}";
}
