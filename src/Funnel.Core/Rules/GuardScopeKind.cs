namespace Funnel.Core.Rules;

/// <summary>Which changes a <see cref="GuardScope"/> covers.</summary>
public enum GuardScopeKind
{
    /// <summary>Every change of the funnel (moves, wins, losses, reopenings, attempts). The <see langword="default"/>.</summary>
    Funnel = 0,

    /// <summary>Changes that enter a given stage (moves to it, a win that moves to it).</summary>
    EnteringStage = 1,

    /// <summary>Changes that leave a given stage (moves from it, a win that moves away from it).</summary>
    LeavingStage = 2,

    /// <summary>Moves from one given stage to another.</summary>
    Transition = 3,

    /// <summary>Changes of one kind (for example every loss).</summary>
    MoveKind = 4,
}
