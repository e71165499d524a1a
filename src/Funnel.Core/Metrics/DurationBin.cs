using System.Globalization;

namespace Funnel.Core.Metrics;

/// <summary>
/// One bin of a <see cref="DurationHistogram"/>: the durations d with <see cref="FromSeconds"/> ≤ d &lt;
/// <see cref="ToSeconds"/>, in whole seconds, and how many there are.
/// </summary>
/// <param name="FromSeconds">The inclusive lower edge in seconds, or <see langword="null"/> for an open start (−∞; only the first bin of explicit edges, for values below the first edge).</param>
/// <param name="ToSeconds">The exclusive upper edge in seconds, or <see langword="null"/> for an open end (+∞; only the last bin of explicit edges).</param>
/// <param name="Count">The number of durations in the bin; not negative.</param>
/// <remarks>An immutable value; thread-safe.</remarks>
public readonly record struct DurationBin(long? FromSeconds, long? ToSeconds, long Count)
{
    /// <summary>Returns the bin as text.</summary>
    /// <returns>A text such as <c>[3600, 7200): 4</c> or <c>[86400, ∞): 1</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(FromSeconds is { } f ? "[" + f.ToString(CultureInfo.InvariantCulture) : "(-∞")}, {(ToSeconds is { } t ? t.ToString(CultureInfo.InvariantCulture) : "∞")}): {Count}");
}
