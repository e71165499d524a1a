using Funnel.Core.Internal;

namespace Funnel.Core;

/// <summary>
/// The stage or loss-reason key that a text which is not a key of a <see cref="FunnelDefinition"/> most likely means,
/// for a "did you mean" hint: keys are matched exactly, so an export that spells a key otherwise (other case, spaces
/// for dashes, a typing slip, the display name instead of the key) has every such row rejected. The CSV, Parquet and
/// Arrow readers list the unknown keys they met (<see cref="Bulk.TransitionLogCsvResult.UnknownKeys"/>); an app that
/// imports an export, or takes a key typed by a user, can suggest the key with <see cref="ForStage"/> and
/// <see cref="ForLossReason"/>.
/// </summary>
/// <remarks>
/// The rules, in order: the one key equal ignoring case; the one key equal ignoring case and the separators space,
/// <c>-</c>, <c>_</c>, <c>.</c>; for a text of 3 characters or more, the one nearest key within 1 edit (keys up to 4
/// characters), 2 (up to 8) or 3 (longer), counting insertions, deletions, substitutions and swaps of neighbours;
/// last, the one stage or loss reason whose display name equals the text ignoring case. Two equally good candidates
/// give no suggestion. Instances are immutable and thread-safe.
/// </remarks>
public sealed class KeySuggestion
{
    private KeySuggestion(string key, string displayName, KeyMatch match)
    {
        Key = key;
        DisplayName = displayName;
        Match = match;
    }

    /// <summary>Gets the key of the definition that the text most likely means.</summary>
    public string Key { get; }

    /// <summary>Gets the display name of the stage or loss reason with that key.</summary>
    public string DisplayName { get; }

    /// <summary>Gets how the text matched the key.</summary>
    public KeyMatch Match { get; }

    /// <summary>Suggests the stage key that <paramref name="text"/> most likely means.</summary>
    /// <param name="definition">The definition whose stages are the candidates.</param>
    /// <param name="text">The text found where a stage key was expected.</param>
    /// <returns>The suggestion, or <see langword="null"/> when no stage is near, two are equally near, or <paramref name="text"/> is a stage key already.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="text"/> is <see langword="null"/>.</exception>
    public static KeySuggestion? ForStage(FunnelDefinition definition, string text)
    {
        Guard.Against.Null(definition);
        Guard.Against.Null(text);
        return Suggest(text, definition.Stages.Select(s => (s.Key.Value, s.DisplayName)));
    }

    /// <summary>Suggests the loss-reason key that <paramref name="text"/> most likely means.</summary>
    /// <param name="definition">The definition whose loss reasons are the candidates.</param>
    /// <param name="text">The text found where a loss-reason key was expected.</param>
    /// <returns>The suggestion, or <see langword="null"/> when no loss reason is near, two are equally near, or <paramref name="text"/> is a loss-reason key already.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="text"/> is <see langword="null"/>.</exception>
    public static KeySuggestion? ForLossReason(FunnelDefinition definition, string text)
    {
        Guard.Against.Null(definition);
        Guard.Against.Null(text);
        return Suggest(text, definition.LossReasons.Select(r => (r.Key.Value, r.DisplayName)));
    }

    /// <summary>
    /// Finds the name among <paramref name="candidates"/> that <paramref name="text"/> most likely means, by the
    /// rules of this type without the display names: for names that are not keys of a definition (a template, a
    /// command, a column).
    /// </summary>
    /// <param name="text">The text given.</param>
    /// <param name="candidates">The names it may mean.</param>
    /// <returns>The candidate, or <see langword="null"/> when none is near, two are equally near, or <paramref name="text"/> is one of them.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="candidates"/> is <see langword="null"/>.</exception>
    public static string? Nearest(string text, IEnumerable<string> candidates)
    {
        Guard.Against.Null(text);
        Guard.Against.Null(candidates);
        var list = candidates.ToList();
        return list.Contains(text, StringComparer.Ordinal) ? null : NearMatch.Find(text, list);
    }

    /// <summary>Returns the suggestion as text.</summary>
    /// <returns>A text such as <c>'won'</c>, or <c>'won' (display name 'Closed Won')</c> when the display name matched.</returns>
    public override string ToString() => Match == KeyMatch.DisplayName ? $"'{Key}' (display name '{DisplayName}')" : $"'{Key}'";

    private static KeySuggestion? Suggest(string text, IEnumerable<(string Key, string DisplayName)> candidates)
    {
        var list = candidates.ToList();
        if (list.Exists(c => string.Equals(c.Key, text, StringComparison.Ordinal)))
        {
            return null;
        }

        if (NearMatch.Find(text, list.Select(c => c.Key), out var how) is { } near)
        {
            return new KeySuggestion(near, list.First(c => string.Equals(c.Key, near, StringComparison.Ordinal)).DisplayName, how);
        }

        // An export may carry the display name ("Closed Won") where the log needs the key ("won").
        var byName = list.Where(c => string.Equals(c.DisplayName, text, StringComparison.OrdinalIgnoreCase)).ToList();
        return byName.Count == 1 ? new KeySuggestion(byName[0].Key, byName[0].DisplayName, KeyMatch.DisplayName) : null;
    }
}
