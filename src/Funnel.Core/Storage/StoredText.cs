using System.Globalization;
using System.Text;

namespace Funnel.Core.Storage;

/// <summary>
/// The one rule for the text of a journey — its id, attribute names and values, actors, notes, override records and
/// the keys it carries — that every store and the JSON journey format share: well-formed UTF-16 (no unpaired
/// surrogate) without NUL (U+0000). Such text is the same string in every database and in JSON; text that breaks
/// the rule would be changed silently by one (SQLite and the JSON writer turn an unpaired surrogate into U+FFFD) and
/// refused by another (PostgreSQL stores no NUL), so it is refused everywhere, naming the field. See docs/storage.md,
/// "Text rules".
/// </summary>
/// <remarks>A static class; thread-safe.</remarks>
public static class StoredText
{
    /// <summary>Tells whether a text follows the rule: no NUL character and no unpaired surrogate.</summary>
    /// <param name="text">The text.</param>
    /// <returns><see langword="true"/> when every store keeps the text exactly.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static bool IsValid(string text)
    {
        Guard.Against.Null(text);
        return FindProblem(text) is null;
    }

    /// <summary>Checks every key and text of a journey against the rule (lengths are the stores' own limits, not checked here).</summary>
    /// <param name="journey">The journey.</param>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A key or text holds a NUL character or an unpaired surrogate; the message names the field (and history entry) and the position.</exception>
    public static void Validate(Journey journey)
    {
        Guard.Against.Null(journey);
        CheckJourney(journey, int.MaxValue, limitKeyBytes: false);
    }

    /// <summary>Checks a journey's keys and texts: the rule, at most <paramref name="max"/> characters each, and keys at most <see cref="JourneyStoreOptions.MaxKeyByteLength"/> UTF-8 bytes when asked.</summary>
    internal static void CheckJourney(Journey journey, int max, bool limitKeyBytes)
    {
        var id = journey.Id;
        CheckKey(id, "journey id", id, max, limitKeyBytes);
        CheckKey(journey.Definition.Key, "funnel key", id, max, limitKeyBytes);
        CheckKey(journey.CurrentStage.Key.Value, "current stage key", id, max, limitKeyBytes);
        for (var i = 0; i < journey.History.Length; i++)
        {
            var entry = journey.History[i];
            if (!entry.From.IsDefault)
            {
                CheckKey(entry.From.Value, "from-stage key", id, max, limitKeyBytes, i);
            }

            CheckKey(entry.To.Value, "to-stage key", id, max, limitKeyBytes, i);
            if (!entry.LossReason.IsDefault)
            {
                CheckKey(entry.LossReason.Value, "loss reason key", id, max, limitKeyBytes, i);
            }

            CheckText(entry.Actor, "actor", id, max, i);
            CheckText(entry.Note, "note", id, max, i);
            if (entry.Override is { } forced)
            {
                CheckText(forced.Actor, "override actor", id, max, i);
                CheckText(forced.Reason, "override reason", id, max, i);
                for (var v = 0; v < forced.Overridden.Length; v++)
                {
                    var violation = forced.Overridden[v];
                    var which = string.Create(CultureInfo.InvariantCulture, $" of overridden violation {v}");
                    CheckText(violation.RuleId, "rule id" + which, id, max, i);
                    CheckText(violation.Message, "message" + which, id, max, i);
                    foreach (var (name, value) in violation.Data)
                    {
                        CheckText(name, "data name" + which, id, max, i);
                        CheckText(value, $"data '{Printable(name)}'{which}", id, max, i);
                    }
                }
            }
        }

        foreach (var (name, value) in journey.Attributes)
        {
            CheckKey(name, "attribute name", id, max, limitKeyBytes);
            if (Problem(value, max, keyBytes: false) is { } problem)
            {
                throw Invalid($"value of attribute '{Printable(name)}'", id, -1, problem);
            }
        }

        foreach (var (stage, _) in journey.Attempts)
        {
            CheckKey(stage.Value, "attempt stage key", id, max, limitKeyBytes);
        }
    }

    /// <summary>Checks one key: the rule, at most <paramref name="max"/> characters, and <see cref="JourneyStoreOptions.MaxKeyByteLength"/> UTF-8 bytes when asked.</summary>
    internal static void CheckKey(string key, string what, string journeyId, int max, bool limitKeyBytes, int entry = -1)
    {
        if (Problem(key, max, limitKeyBytes) is { } problem)
        {
            throw Invalid(what, journeyId, entry, problem);
        }
    }

    /// <summary>Describes why <paramref name="text"/> breaks the rule, or returns <see langword="null"/> when it does not.</summary>
    internal static string? FindProblem(string text)
    {
        var span = text.AsSpan();
        var nul = span.IndexOf('\0');
        var surrogate = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (surrogate >= 0 && (nul < 0 || surrogate < nul))
        {
            if (char.IsHighSurrogate(span[surrogate]) && surrogate + 1 < span.Length && char.IsLowSurrogate(span[surrogate + 1]))
            {
                var next = span[(surrogate + 2)..].IndexOfAnyInRange('\uD800', '\uDFFF');
                surrogate = next < 0 ? -1 : surrogate + 2 + next;
                continue;
            }

            return string.Create(
                CultureInfo.InvariantCulture,
                $"an unpaired surrogate (U+{(int)span[surrogate]:X4}) at index {surrogate}; stored text must be well-formed Unicode");
        }

        return nul < 0 ? null : string.Create(CultureInfo.InvariantCulture, $"a NUL character (U+0000) at index {nul}; stored text must not contain U+0000");
    }

    /// <summary>Returns text for an error message: at most 64 characters, with control characters and surrogates escaped.</summary>
    internal static string Printable(string text)
    {
        var shown = text.Length <= 64 ? text : text[..64];
        var builder = new StringBuilder(shown.Length + 8);
        foreach (var c in shown)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return text.Length <= 64 ? builder.ToString() : builder.Append('…').ToString();
    }

    private static void CheckText(string? text, string what, string journeyId, int max, int entry)
    {
        if (text is not null && Problem(text, max, keyBytes: false) is { } problem)
        {
            throw Invalid(what, journeyId, entry, problem);
        }
    }

    // Keys are indexed: besides the rule they must fit MaxKeyByteLength UTF-8 bytes (PostgreSQL's B-tree entry limit).
    private static string? Problem(string text, int max, bool keyBytes)
    {
        if (text.Length > max)
        {
            return string.Create(CultureInfo.InvariantCulture, $"is {text.Length} characters long; at most {max} are allowed");
        }

        if (FindProblem(text) is { } problem)
        {
            return "contains " + problem;
        }

        var bytes = keyBytes ? Encoding.UTF8.GetByteCount(text) : 0;
        return bytes > JourneyStoreOptions.MaxKeyByteLength
            ? string.Create(CultureInfo.InvariantCulture, $"is {bytes} bytes long in UTF-8; keys are limited to {JourneyStoreOptions.MaxKeyByteLength} bytes")
            : null;
    }

    private static ArgumentException Invalid(string what, string journeyId, int entry, string problem)
    {
        var where = entry < 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" of history entry {entry}");
        return new ArgumentException($"The {what}{where} of journey '{Printable(journeyId)}' {problem}.");
    }
}
