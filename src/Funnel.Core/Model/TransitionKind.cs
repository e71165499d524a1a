namespace Funnel.Core;

/// <summary>The shape of a move between two stages, judged by their order in the funnel.</summary>
public enum TransitionKind
{
    /// <summary>To the next stage. Allowed by default.</summary>
    Forward = 0,

    /// <summary>Forward past one or more stages.</summary>
    Skip = 1,

    /// <summary>Back to an earlier stage.</summary>
    Back = 2,

    /// <summary>From a stage to the same stage again.</summary>
    Reentry = 3,
}
