namespace Funnel.Core;

/// <summary>The kind of change a move makes to a journey.</summary>
public enum MoveKind
{
    /// <summary>The journey started at the first stage.</summary>
    Start = 0,

    /// <summary>The lead moved to a stage.</summary>
    Move = 1,

    /// <summary>The lead was marked won.</summary>
    Won = 2,

    /// <summary>The lead was marked lost with a reason.</summary>
    Lost = 3,

    /// <summary>A won or lost lead was reopened.</summary>
    Reopen = 4,

    /// <summary>An attempt (a call, an e-mail) was recorded at the current stage. Not kept in the history.</summary>
    Attempt = 5,

    /// <summary>An attribute was set or removed. Not kept in the history.</summary>
    Attribute = 6,
}
