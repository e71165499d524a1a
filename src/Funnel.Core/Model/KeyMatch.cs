namespace Funnel.Core;

/// <summary>How a text not a key of the definition was matched to the key it most likely means (<see cref="KeySuggestion.Match"/>).</summary>
public enum KeyMatch
{
    /// <summary>The text is the key in other letter case (<c>Interest</c> for <c>interest</c>).</summary>
    IgnoringCase = 0,

    /// <summary>The text is the key ignoring case and the separators space, <c>-</c>, <c>_</c> and <c>.</c> (<c>closed won</c> for <c>closed-won</c>).</summary>
    IgnoringSeparators = 1,

    /// <summary>The text is a few typing edits from the key (insertions, deletions, substitutions, swaps of neighbours: <c>atention</c> for <c>attention</c>).</summary>
    Typo = 2,

    /// <summary>The text is the display name of a stage or loss reason, ignoring case (<c>Closed Won</c> for the key <c>won</c>).</summary>
    DisplayName = 3,
}
