namespace Funnel.Core.Metrics;

/// <summary>Which median a report shows for durations (time in stage, time to convert). See docs/metrics.md.</summary>
public enum MedianKind
{
    /// <summary>
    /// The lower median: element ⌊(n − 1) / 2⌋ of the sorted values, always an observed value and exact in whole
    /// seconds. The <see langword="default"/>; the median of {3600, 7200} is 3600.
    /// </summary>
    Lower = 0,

    /// <summary>
    /// The textbook median: the mean of elements ⌊(n − 1) / 2⌋ and ⌊n / 2⌋ of the sorted values, which may fall between
    /// observed values (a half second at most off a whole one); the median of {3600, 7200} is 5400.
    /// </summary>
    Interpolated = 1,
}
