using System.Globalization;
using System.Text;

namespace Funnel.Core.Storage;

/// <summary>
/// The one rule for text that a store keeps (journey ids, keys, attribute names and values, actors, notes, override
/// records, event entity ids and segments): well-formed UTF-16 without NUL, so that every database stores exactly the
/// text it was given (docs/storage.md, "Text rules").
/// </summary>
internal static class StoredText
{
    /// <summary>Describes why <paramref name="text"/> cannot be stored, or returns <see langword="null"/> when it can.</summary>
    public static string? FindProblem(string text)
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
    public static string Printable(string text)
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
}
