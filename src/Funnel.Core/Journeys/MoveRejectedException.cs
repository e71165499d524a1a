using System.Collections.Immutable;

namespace Funnel.Core;

/// <summary>Thrown by <see cref="JourneyResult.GetJourneyOrThrow"/> when a move was rejected; lists every violation.</summary>
public sealed class MoveRejectedException : FunnelException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="journeyId">The id of the journey the move was tried on.</param>
    /// <param name="kind">The kind of move.</param>
    /// <param name="violations">Every reason the move was rejected.</param>
    public MoveRejectedException(string journeyId, MoveKind kind, ImmutableArray<MoveViolation> violations)
        : base($"{kind} on journey '{journeyId}' was rejected: {string.Join("; ", violations.IsDefault ? [] : violations)}")
    {
        JourneyId = journeyId;
        Kind = kind;
        Violations = violations.IsDefault ? [] : violations;
    }

    /// <summary>Gets the id of the journey the move was tried on.</summary>
    public string JourneyId { get; }

    /// <summary>Gets the kind of move.</summary>
    public MoveKind Kind { get; }

    /// <summary>Gets every reason the move was rejected.</summary>
    public ImmutableArray<MoveViolation> Violations { get; }
}
