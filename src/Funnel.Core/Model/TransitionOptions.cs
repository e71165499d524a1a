namespace Funnel.Core;

/// <summary>
/// Moves that a definition allows between any stages, on top of the explicit transitions it declares.
/// A new builder starts from <see cref="Default"/>: forward one stage at a time.
/// </summary>
[Flags]
public enum TransitionOptions
{
    /// <summary>Only the explicitly declared transitions: a strict graph of allowed moves.</summary>
    None = 0,

    /// <summary>From each stage to the next one.</summary>
    Forward = 1,

    /// <summary>Any forward move that skips stages.</summary>
    Skips = 2,

    /// <summary>Any move back to an earlier stage.</summary>
    BackMoves = 4,

    /// <summary>Re-entering the stage a lead is in.</summary>
    Reentry = 8,

    /// <summary>What a new builder starts with: forward one stage at a time.</summary>
    Default = Forward,

    /// <summary>A free-form funnel: every move between any two stages.</summary>
    FreeForm = Forward | Skips | BackMoves | Reentry,
}
