namespace Funnel.Core.Metrics;

/// <summary>The length of the entry periods that group leads into cohorts (in UTC).</summary>
public enum CohortPeriod
{
    /// <summary>A calendar day. The <see langword="default"/>.</summary>
    Day = 0,

    /// <summary>An ISO 8601 week (Monday to Sunday, numbered within the ISO week-year).</summary>
    IsoWeek = 1,

    /// <summary>A calendar month.</summary>
    Month = 2,
}
