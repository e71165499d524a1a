using System.Globalization;
using System.Net;
using Funnel.Core;
using Funnel.Core.Metrics;

namespace Funnel.Reporting.Internal;

/// <summary>Culture-invariant number, percentage and duration texts, and markup escaping, shared by the renderers.</summary>
internal static class Format
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Px(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Money(decimal value) => value.ToString("N2", CultureInfo.InvariantCulture);

    public static string Money(decimal? value) => value is { } v ? Money(v) : "–";

    public static string PValue(double p) => p < 0.001 ? "&lt; 0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Interval(Proportion p) =>
        p.HasData ? $"{Percent(p.Interval.Lower)} – {Percent(p.Interval.Upper)}" : "no data";

    public static string KindLabel(StageKind kind) => kind switch
    {
        StageKind.Key => "key stage",
        StageKind.Technical => "technical",
        _ => string.Empty,
    };

    /// <summary>Cuts a text to at most <paramref name="length"/> characters, ending a cut text with an ellipsis.</summary>
    public static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    /// <summary>Escapes text for HTML and SVG (XML) content and attribute values.</summary>
    public static string Escape(string text) => WebUtility.HtmlEncode(text);
}
