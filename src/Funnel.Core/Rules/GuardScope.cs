namespace Funnel.Core.Rules;

/// <summary>
/// Which changes a guard is asked about: the whole funnel, a stage being entered or left, one transition, or one
/// kind of change (lost, won, reopen). Guards outside their scope are not called.
/// </summary>
/// <remarks>The <see langword="default"/> value is <see cref="Funnel"/>. This type is an immutable value and is thread-safe.</remarks>
public readonly struct GuardScope : IEquatable<GuardScope>
{
    private GuardScope(GuardScopeKind kind, StageKey stage, StageKey to, MoveKind moveKind)
    {
        Kind = kind;
        Stage = stage;
        To = to;
        MoveKind = moveKind;
    }

    /// <summary>Gets the scope of every change (the <see langword="default"/>).</summary>
    public static GuardScope Funnel => default;

    /// <summary>Gets which changes the scope covers.</summary>
    public GuardScopeKind Kind { get; }

    /// <summary>Gets the stage entered or left, or the source stage of a transition; the default key otherwise.</summary>
    public StageKey Stage { get; }

    /// <summary>Gets the target stage of a transition scope; the default key otherwise.</summary>
    public StageKey To { get; }

    /// <summary>Gets the kind of change of a <see cref="GuardScopeKind.MoveKind"/> scope.</summary>
    public MoveKind MoveKind { get; }

    /// <summary>Creates a scope covering changes that enter a stage.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException"><paramref name="stage"/> is the default key.</exception>
    public static GuardScope Entering(StageKey stage) => new(GuardScopeKind.EnteringStage, Guard.Against.InvalidStageKey(stage), default, default);

    /// <summary>Creates a scope covering changes that leave a stage.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException"><paramref name="stage"/> is the default key.</exception>
    public static GuardScope Leaving(StageKey stage) => new(GuardScopeKind.LeavingStage, Guard.Against.InvalidStageKey(stage), default, default);

    /// <summary>Creates a scope covering moves from one stage to another.</summary>
    /// <param name="from">The source stage.</param>
    /// <param name="to">The target stage.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException">A key is the default key.</exception>
    public static GuardScope Transition(StageKey from, StageKey to) => new(GuardScopeKind.Transition, Guard.Against.InvalidStageKey(from), Guard.Against.InvalidStageKey(to), default);

    /// <summary>Creates a scope covering one kind of change, such as every loss.</summary>
    /// <param name="kind">Move, Won, Lost, Reopen or Attempt.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a guarded kind.</exception>
    public static GuardScope OfKind(MoveKind kind)
    {
        if (kind is not (MoveKind.Move or MoveKind.Won or MoveKind.Lost or MoveKind.Reopen or MoveKind.Attempt))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Guards see Move, Won, Lost, Reopen and Attempt changes.");
        }

        return new(GuardScopeKind.MoveKind, default, default, kind);
    }

    /// <summary>Tells whether a proposed change is in the scope.</summary>
    /// <param name="arguments">The proposed change.</param>
    /// <returns><see langword="true"/> when the guard should be asked.</returns>
    public bool Covers(in GuardArguments arguments) => Kind switch
    {
        GuardScopeKind.Funnel => true,
        GuardScopeKind.EnteringStage => arguments.EntersStage && arguments.To.Key == Stage,
        GuardScopeKind.LeavingStage => arguments.EntersStage && arguments.From.Key == Stage,
        GuardScopeKind.Transition => arguments.EntersStage && arguments.From.Key == Stage && arguments.To.Key == To,
        _ => arguments.Kind == MoveKind,
    };

    /// <summary>Compares two scopes.</summary>
    /// <param name="left">The first scope.</param>
    /// <param name="right">The second scope.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(GuardScope left, GuardScope right) => left.Equals(right);

    /// <summary>Compares two scopes.</summary>
    /// <param name="left">The first scope.</param>
    /// <param name="right">The second scope.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(GuardScope left, GuardScope right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(GuardScope other) => Kind == other.Kind && Stage == other.Stage && To == other.To && MoveKind == other.MoveKind;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GuardScope other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Stage, To, MoveKind);

    /// <summary>Returns the scope as text.</summary>
    /// <returns>A text such as <c>entering invoice-issued</c>.</returns>
    public override string ToString() => Kind switch
    {
        GuardScopeKind.Funnel => "funnel",
        GuardScopeKind.EnteringStage => "entering " + Stage,
        GuardScopeKind.LeavingStage => "leaving " + Stage,
        GuardScopeKind.Transition => $"{Stage} -> {To}",
        _ => "kind " + MoveKind,
    };
}
