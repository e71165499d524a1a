using System.Globalization;

namespace Funnel.Core;

/// <summary>One entry of a journey's history: a start, a move, a win, a loss or a reopening.</summary>
/// <remarks>Instances are immutable and thread-safe. Two entries are equal when all their properties are equal.</remarks>
public sealed class JourneyTransition : IEquatable<JourneyTransition>
{
    /// <summary>Creates a history entry.</summary>
    /// <param name="kind">What happened; one of <see cref="MoveKind.Start"/>, <see cref="MoveKind.Move"/>, <see cref="MoveKind.Won"/>, <see cref="MoveKind.Lost"/>, <see cref="MoveKind.Reopen"/>.</param>
    /// <param name="from">The stage before; the <see langword="default"/> key for a start.</param>
    /// <param name="to">The stage after.</param>
    /// <param name="at">When it happened.</param>
    /// <param name="actor">Who did it (a user, a rule, an integration), or <see langword="null"/>.</param>
    /// <param name="note">A free-text note, or <see langword="null"/>.</param>
    /// <param name="lossReason">The loss reason of a <see cref="MoveKind.Lost"/> entry; otherwise the <see langword="default"/> key.</param>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not a history kind, <paramref name="to"/> is the default key, or a loss has no reason.</exception>
    public JourneyTransition(MoveKind kind, StageKey from, StageKey to, DateTimeOffset at, string? actor = null, string? note = null, LossReasonKey lossReason = default)
        : this(kind, from, to, at, actor, note, lossReason, bypass: null)
    {
    }

    /// <summary>Creates a history entry that may record an audited bypass (a change forced past rules).</summary>
    /// <param name="kind">What happened; one of <see cref="MoveKind.Start"/>, <see cref="MoveKind.Move"/>, <see cref="MoveKind.Won"/>, <see cref="MoveKind.Lost"/>, <see cref="MoveKind.Reopen"/>.</param>
    /// <param name="from">The stage before; the <see langword="default"/> key for a start.</param>
    /// <param name="to">The stage after.</param>
    /// <param name="at">When it happened.</param>
    /// <param name="actor">Who did it (a user, a rule, an integration), or <see langword="null"/>.</param>
    /// <param name="note">A free-text note, or <see langword="null"/>.</param>
    /// <param name="lossReason">The loss reason of a <see cref="MoveKind.Lost"/> entry; otherwise the <see langword="default"/> key.</param>
    /// <param name="bypass">The audit record when the change was forced past rules; <see langword="null"/> for an ordinary change.</param>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not a history kind, <paramref name="to"/> is the default key, a loss has no reason, or a start is forced.</exception>
    public JourneyTransition(MoveKind kind, StageKey from, StageKey to, DateTimeOffset at, string? actor, string? note, LossReasonKey lossReason, MoveOverride? bypass)
    {
        if (kind is MoveKind.Attempt or MoveKind.Attribute or < MoveKind.Start or > MoveKind.Attribute)
        {
            throw new ArgumentException($"'{kind}' is not kept in a journey's history.", nameof(kind));
        }

        Guard.Against.InvalidStageKey(to, "The target stage must not be the default key.");

        if ((kind == MoveKind.Lost) == lossReason.IsDefault)
        {
            throw new ArgumentException("A loss entry needs a loss reason, and only a loss entry has one.", nameof(lossReason));
        }

        if (bypass is not null && kind == MoveKind.Start)
        {
            throw new ArgumentException("A start cannot be forced.", nameof(bypass));
        }

        Kind = kind;
        Override = bypass;
        From = from;
        To = to;
        At = at;
        Actor = actor;
        Note = note;
        LossReason = lossReason;
    }

    /// <summary>Gets what happened.</summary>
    public MoveKind Kind { get; }

    /// <summary>Gets the stage before; the <see langword="default"/> key for a start.</summary>
    public StageKey From { get; }

    /// <summary>Gets the stage after. For a loss, a win at the current stage or a reopening, the same as <see cref="From"/>.</summary>
    public StageKey To { get; }

    /// <summary>Gets when it happened.</summary>
    public DateTimeOffset At { get; }

    /// <summary>Gets who did it, or <see langword="null"/>.</summary>
    public string? Actor { get; }

    /// <summary>Gets the free-text note, or <see langword="null"/>.</summary>
    public string? Note { get; }

    /// <summary>Gets the loss reason of a <see cref="MoveKind.Lost"/> entry; otherwise the <see langword="default"/> key.</summary>
    public LossReasonKey LossReason { get; }

    /// <summary>
    /// Gets the audit record when the change was forced past rules (who forced it, why, and every rule violation it
    /// overrode); <see langword="null"/> for an ordinary change.
    /// </summary>
    public MoveOverride? Override { get; }

    /// <summary>Gets a value indicating whether the change was forced past rules (see <see cref="Override"/>).</summary>
    public bool IsForced => Override is not null;

    /// <inheritdoc />
    public bool Equals(JourneyTransition? other) =>
        other is not null
        && Kind == other.Kind
        && From == other.From
        && To == other.To
        && At == other.At
        && At.Offset == other.At.Offset
        && string.Equals(Actor, other.Actor, StringComparison.Ordinal)
        && string.Equals(Note, other.Note, StringComparison.Ordinal)
        && LossReason == other.LossReason
        && Equals(Override, other.Override);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as JourneyTransition);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, From, To, At);

    /// <summary>Returns the entry as text.</summary>
    /// <returns>A text such as <c>2026-01-01 10:00:00 +00:00 Move interest -> desire</c>.</returns>
    public override string ToString() =>
        Kind == MoveKind.Lost
            ? string.Create(CultureInfo.InvariantCulture, $"{At:yyyy-MM-dd HH:mm:ss zzz} Lost at {From} ({LossReason}){(Override is null ? "" : " " + Override)}")
            : string.Create(CultureInfo.InvariantCulture, $"{At:yyyy-MM-dd HH:mm:ss zzz} {Kind} {(From.IsDefault ? "" : From + " -> ")}{To}{(Override is null ? "" : " " + Override)}");
}
