using System.Globalization;
using Funnel.Core.Metrics;

namespace Funnel.Samples.MarketingJourney;

/// <summary>Culture-invariant formatting for the console, so the output is the same on every machine.</summary>
internal static class Text
{
    public static string Percent(double value) => value.ToString("0.0%", CultureInfo.InvariantCulture);

    public static string Money(decimal value) => value.ToString("#,##0.00", CultureInfo.InvariantCulture);

    public static string Money(decimal? value) => value is { } v ? Money(v) : "-";

    /// <summary>A rate with its Wilson interval, such as <c>10.2% [9.6%, 10.9%]</c>.</summary>
    public static string Rate(Proportion p) => $"{Percent(p.Value)} [{Percent(p.Interval.Lower)}, {Percent(p.Interval.Upper)}]";

    /// <summary>A p-value to three decimals, or <c>&lt; 0.001</c>.</summary>
    public static string PValue(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
