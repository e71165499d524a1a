namespace Funnel.Core.Rules;

/// <summary>
/// A proposed change to a journey for <see cref="RuleSet.Evaluate(Journey, MoveRequest)"/>: a move, a win, a loss, a
/// reopening or an attempt, with its time, actor and note; optionally forced past the rules by an actor with a
/// stated reason (an audited bypass).
/// </summary>
/// <remarks>
/// Create requests with the static methods; the <see langword="default"/> value is not a valid request. This type is
/// an immutable value and is thread-safe.
/// </remarks>
public readonly struct MoveRequest
{
    private MoveRequest(MoveKind kind, StageKey stage, LossReasonKey lossReason, DateTimeOffset at, string? actor, string? note, string? forceReason)
    {
        Kind = kind;
        Stage = stage;
        LossReason = lossReason;
        At = at;
        Actor = actor;
        Note = note;
        ForceReason = forceReason;
    }

    /// <summary>Gets the kind of change: Move, Won, Lost, Reopen or Attempt.</summary>
    public MoveKind Kind { get; }

    /// <summary>Gets the target stage of a move; the default key otherwise.</summary>
    public StageKey Stage { get; }

    /// <summary>Gets the loss reason of a loss; the default key otherwise.</summary>
    public LossReasonKey LossReason { get; }

    /// <summary>Gets when the change happens.</summary>
    public DateTimeOffset At { get; }

    /// <summary>Gets who asks for it, or <see langword="null"/>.</summary>
    public string? Actor { get; }

    /// <summary>Gets the note (for a loss, the comment), or <see langword="null"/>.</summary>
    public string? Note { get; }

    /// <summary>Gets the reason the actor gave for forcing the change past the rules, or <see langword="null"/> for an ordinary change.</summary>
    public string? ForceReason { get; }

    /// <summary>Gets a value indicating whether the change is forced past the rules.</summary>
    public bool IsForced => ForceReason is not null;

    /// <summary>Proposes a move to a stage.</summary>
    /// <param name="stage">The target stage.</param>
    /// <param name="at">When.</param>
    /// <param name="actor">Who, or <see langword="null"/>.</param>
    /// <param name="note">A note, or <see langword="null"/>.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException"><paramref name="stage"/> is the default key.</exception>
    public static MoveRequest MoveTo(StageKey stage, DateTimeOffset at, string? actor = null, string? note = null)
    {
        Guard.Against.InvalidStageKey(stage);

        return new(MoveKind.Move, stage, default, at, actor, note, null);
    }

    /// <summary>Proposes marking the lead won.</summary>
    /// <param name="at">When.</param>
    /// <param name="actor">Who, or <see langword="null"/>.</param>
    /// <param name="note">A note, or <see langword="null"/>.</param>
    /// <returns>The request.</returns>
    public static MoveRequest Won(DateTimeOffset at, string? actor = null, string? note = null) => new(MoveKind.Won, default, default, at, actor, note, null);

    /// <summary>Proposes marking the lead lost.</summary>
    /// <param name="reason">The loss reason.</param>
    /// <param name="at">When.</param>
    /// <param name="actor">Who, or <see langword="null"/>.</param>
    /// <param name="comment">A comment on the loss, or <see langword="null"/>.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is the default key.</exception>
    public static MoveRequest Lost(LossReasonKey reason, DateTimeOffset at, string? actor = null, string? comment = null)
    {
        Guard.Against.InvalidLossReasonKey(reason);

        return new(MoveKind.Lost, default, reason, at, actor, comment, null);
    }

    /// <summary>Proposes reopening a won or lost lead.</summary>
    /// <param name="at">When.</param>
    /// <param name="actor">Who, or <see langword="null"/>.</param>
    /// <param name="note">A note, or <see langword="null"/>.</param>
    /// <returns>The request.</returns>
    public static MoveRequest Reopen(DateTimeOffset at, string? actor = null, string? note = null) => new(MoveKind.Reopen, default, default, at, actor, note, null);

    /// <summary>Proposes recording an attempt (a call, an e-mail) at the current stage.</summary>
    /// <param name="at">When.</param>
    /// <param name="actor">Who, or <see langword="null"/>.</param>
    /// <returns>The request.</returns>
    public static MoveRequest Attempt(DateTimeOffset at, string? actor = null) => new(MoveKind.Attempt, default, default, at, actor, null, null);

    /// <summary>
    /// Returns the same request forced past the rules by an actor with a stated reason. Guards and the transition
    /// graph are overridden and the history records who, why and what was overridden; the other built-in checks still
    /// apply. Attempts cannot be forced.
    /// </summary>
    /// <param name="actor">Who forces it; not blank.</param>
    /// <param name="reason">Why; not blank.</param>
    /// <returns>The forced request.</returns>
    /// <exception cref="ArgumentException"><paramref name="actor"/> or <paramref name="reason"/> is blank.</exception>
    /// <exception cref="InvalidOperationException">The request is an attempt or the <see langword="default"/> value.</exception>
    public MoveRequest ForcedBy(string actor, string reason)
    {
        Guard.Against.NullOrBlank(actor);
        Guard.Against.NullOrBlank(reason);
        if (Kind is not (MoveKind.Move or MoveKind.Won or MoveKind.Lost or MoveKind.Reopen))
        {
            throw new InvalidOperationException($"A {Kind} request cannot be forced; only moves, wins, losses and reopenings can.");
        }

        return new(Kind, Stage, LossReason, At, actor, Note, reason);
    }

    /// <summary>Returns the request as text.</summary>
    /// <returns>A text such as <c>Move to deciding</c>.</returns>
    public override string ToString() => Kind switch
    {
        MoveKind.Move => $"Move to {Stage}",
        MoveKind.Lost => $"Lost ({LossReason})",
        _ => Kind.ToString(),
    } + (IsForced ? $" forced by {Actor}" : "");
}
