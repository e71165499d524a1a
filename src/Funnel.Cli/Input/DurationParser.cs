using System.Globalization;

namespace Funnel.Cli.Input;

/// <summary>Parses durations such as <c>30d</c>, <c>2w</c>, <c>12h</c>, <c>90m</c>, <c>3600s</c> or <c>none</c> (no limit).</summary>
internal static class DurationParser
{
    /// <summary>Parses a window.</summary>
    /// <returns>True when the text is valid; <paramref name="window"/> is null for <c>none</c>.</returns>
    public static bool TryParse(string text, out TimeSpan? window)
    {
        window = null;
        text = text.Trim().ToLowerInvariant();
        if (text is "none" or "unbounded" or "unlimited")
        {
            return true;
        }

        if (text.Length < 2)
        {
            return false;
        }

        var unit = text[^1] switch
        {
            's' => 1L,
            'm' => 60L,
            'h' => 3600L,
            'd' => 86_400L,
            'w' => 7 * 86_400L,
            _ => 0L,
        };
        if (unit == 0 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count > 100L * 365 * 86_400 / unit)
        {
            return false;
        }

        window = TimeSpan.FromSeconds(count * unit);
        return true;
    }
}
