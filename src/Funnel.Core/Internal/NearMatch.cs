namespace Funnel.Core.Internal;

/// <summary>
/// Finds the name a user most likely meant — a stage key, a template, a command — for a "did you mean" hint: the same
/// ignoring case, the same ignoring case and separators (space, <c>-</c>, <c>_</c>, <c>.</c>), or a few typing
/// edits away (insertions, deletions, substitutions, swaps of neighbours).
/// </summary>
internal static class NearMatch
{
    /// <summary>The candidate <paramref name="text"/> most likely meant, or null when none is near or two are equally near.</summary>
    public static string? Find(string text, IEnumerable<string> candidates) => Find(text, candidates, out _);

    /// <summary>The candidate <paramref name="text"/> most likely meant and how it matched, or null when none is near or two are equally near.</summary>
    public static string? Find(string text, IEnumerable<string> candidates, out KeyMatch how)
    {
        var list = candidates.Where(c => !string.Equals(c, text, StringComparison.Ordinal)).ToList();
        var folded = Fold(text);
        how = KeyMatch.IgnoringCase;
        var match = Unique(list.Where(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase)));
        if (match is null)
        {
            how = KeyMatch.IgnoringSeparators;
            match = Unique(list.Where(c => Fold(c) == folded));
        }

        if (match is not null || folded.Length < 3)
        {
            return match;
        }

        how = KeyMatch.Typo;

        var best = int.MaxValue;
        string? found = null;
        var tie = false;
        foreach (var candidate in list)
        {
            var distance = Distance(folded, Fold(candidate));
            if (distance < best)
            {
                (best, found, tie) = (distance, candidate, false);
            }
            else if (distance == best)
            {
                tie = true;
            }
        }

        return found is not null && !tie && best <= Allowed(Math.Min(folded.Length, Fold(found).Length)) ? found : null;
    }

    /// <summary>The edits allowed for a name of this length: 1 up to 4 characters, 2 up to 8, 3 beyond.</summary>
    private static int Allowed(int length) => length <= 4 ? 1 : length <= 8 ? 2 : 3;

    private static string? Unique(IEnumerable<string> matches)
    {
        string? only = null;
        foreach (var m in matches)
        {
            if (only is not null)
            {
                return null;
            }

            only = m;
        }

        return only;
    }

    /// <summary>Lower case, trimmed, with every run of separators made one <c>-</c>.</summary>
    private static string Fold(string text)
    {
        var folded = new System.Text.StringBuilder(text.Length);
        var separator = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c) || c is '-' or '_' or '.')
            {
                separator = true;
                continue;
            }

            if (separator && folded.Length > 0)
            {
                folded.Append('-');
            }

            separator = false;
            folded.Append(char.ToLowerInvariant(c));
        }

        return folded.ToString();
    }

    /// <summary>The optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 3)
        {
            return int.MaxValue;
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
