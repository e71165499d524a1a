namespace Funnel.Formats;

/// <summary>Exact conversions of timestamp units to whole Unix seconds, rounding down (toward the past).</summary>
internal static class TimeConversion
{
    private const long UnixEpochTicks = 621_355_968_000_000_000L;

    /// <summary>Floors a count of <paramref name="unitsPerSecond"/> units since the Unix epoch to whole seconds.</summary>
    public static long FloorToSeconds(long value, long unitsPerSecond)
    {
        var seconds = value / unitsPerSecond;
        return value % unitsPerSecond < 0 ? seconds - 1 : seconds;
    }

    /// <summary>Floors a <see cref="DateTime"/> to whole Unix seconds, reading its ticks as UTC whatever its <see cref="DateTime.Kind"/>.</summary>
    public static long FloorToSeconds(DateTime value) => FloorToSeconds(value.Ticks - UnixEpochTicks, TimeSpan.TicksPerSecond);
}
