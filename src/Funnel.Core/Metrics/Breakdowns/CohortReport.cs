using System.Collections.Immutable;
using System.Globalization;

namespace Funnel.Core.Metrics;

/// <summary>
/// Leads grouped by the period they entered the funnel (day, ISO week or month, in UTC), a report per cohort, the trend
/// of the conversion across cohorts and a test of whether the cohorts convert alike.
/// </summary>
/// <remarks>
/// <para>A lead's entry is its first event. Every cohort report uses the total's as-of time, so cohort numbers add up
/// to the total's. Younger cohorts have had less time to convert (right censoring): read a falling trend with that in
/// mind, or fix the as-of time and a conversion window.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class CohortReport
{
    private CohortReport(CohortPeriod period, FunnelReport total, ImmutableArray<Cohort> cohorts, double? trend, TestResult homogeneity)
    {
        Period = period;
        Total = total;
        Cohorts = cohorts;
        TrendPerPeriod = trend;
        Homogeneity = homogeneity;
    }

    /// <summary>Gets the period length.</summary>
    public CohortPeriod Period { get; }

    /// <summary>Gets the report over all leads.</summary>
    public FunnelReport Total { get; }

    /// <summary>Gets the cohorts that have leads, oldest first.</summary>
    public ImmutableArray<Cohort> Cohorts { get; }

    /// <summary>
    /// Gets the trend: the weighted least-squares slope of cohort conversion against <see cref="Cohort.Index"/> (each cohort
    /// weighted by its leads), in conversion points per period (0.01 = one percentage point better each period).
    /// <see langword="null"/> with fewer than two cohorts.
    /// </summary>
    public double? TrendPerPeriod { get; }

    /// <summary>
    /// Gets the test of whether all cohorts share one overall conversion (<see cref="Statistics.HomogeneityTest"/>):
    /// chi-square where Cochran's rule allows it, otherwise Fisher's exact test (two cohorts) or a Monte-Carlo
    /// permutation test with <see cref="Statistics.DefaultSeed"/> (flagged <see cref="TestResult.IsSmallSample"/>).
    /// </summary>
    public TestResult Homogeneity { get; }

    /// <summary>Groups journeys into cohorts by entry period.</summary>
    /// <param name="definition">The funnel definition.</param>
    /// <param name="journeys">The journeys.</param>
    /// <param name="period">The period length.</param>
    /// <param name="query">The semantics; <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <returns>The cohort report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="journeys"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is unknown.</exception>
    /// <exception cref="MetricsInputException">See <see cref="FunnelReport.Compute(FunnelDefinition, IEnumerable{Journey}, FunnelQuery?)"/>.</exception>
    public static CohortReport Compute(FunnelDefinition definition, IEnumerable<Journey> journeys, CohortPeriod period, FunnelQuery? query = null)
    {
        CheckPeriod(period);
        return FromTracks(definition, LeadTracks.FromJourneys(definition, journeys), period, query ?? FunnelQuery.Default);
    }

    /// <summary>Groups an event log's entities into cohorts by entry period.</summary>
    /// <param name="definition">The funnel definition.</param>
    /// <param name="events">The events.</param>
    /// <param name="period">The period length.</param>
    /// <param name="query">The semantics; <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <returns>The cohort report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="events"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is unknown.</exception>
    /// <exception cref="MetricsInputException">See <see cref="FunnelReport.Compute(FunnelDefinition, IEnumerable{FunnelEvent}, FunnelQuery?)"/>.</exception>
    public static CohortReport Compute(FunnelDefinition definition, IEnumerable<FunnelEvent> events, CohortPeriod period, FunnelQuery? query = null)
    {
        CheckPeriod(period);
        return FromTracks(definition, LeadTracks.FromEvents(definition, events), period, query ?? FunnelQuery.Default);
    }

    /// <summary>Gets the start of the period that contains a time (UTC).</summary>
    /// <param name="at">The time.</param>
    /// <param name="period">The period length.</param>
    /// <returns>Midnight UTC of the day, of the ISO week's Monday, or of the month's first day.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is unknown.</exception>
    public static DateTimeOffset PeriodStart(DateTimeOffset at, CohortPeriod period)
    {
        CheckPeriod(period);
        var day = at.UtcDateTime.Date;
        var start = period switch
        {
            CohortPeriod.Day => day,
            CohortPeriod.IsoWeek => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            _ => new DateTime(day.Year, day.Month, 1, 0, 0, 0, DateTimeKind.Utc),
        };
        return new DateTimeOffset(DateTime.SpecifyKind(start, DateTimeKind.Utc));
    }

    private static DateTimeOffset Next(DateTimeOffset start, CohortPeriod period) => period switch
    {
        CohortPeriod.Day => start.AddDays(1),
        CohortPeriod.IsoWeek => start.AddDays(7),
        _ => start.AddMonths(1),
    };

    private static int PeriodsBetween(DateTimeOffset first, DateTimeOffset start, CohortPeriod period) => period switch
    {
        CohortPeriod.Day => (int)(start - first).TotalDays,
        CohortPeriod.IsoWeek => (int)(start - first).TotalDays / 7,
        _ => ((start.Year - first.Year) * 12) + start.Month - first.Month,
    };

    private static string Label(DateTimeOffset start, CohortPeriod period) => period switch
    {
        CohortPeriod.Day => start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        CohortPeriod.IsoWeek => string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(start.UtcDateTime)}-W{ISOWeek.GetWeekOfYear(start.UtcDateTime):00}"),
        _ => start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
    };

    private static void CheckPeriod(CohortPeriod period)
    {
        if (!Enum.IsDefined(period))
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "Unknown cohort period.");
        }
    }

    /// <summary>Builds the report from the accumulated numbers of every lead and of each cohort (by period start).</summary>
    internal static CohortReport FromAccumulators(CohortPeriod period, ReportAccumulator total, Dictionary<DateTimeOffset, ReportAccumulator> groups)
    {
        var starts = groups.Keys.Order().ToList();
        var cohorts = ImmutableArray.CreateBuilder<Cohort>(starts.Count);
        foreach (var start in starts)
        {
            cohorts.Add(new Cohort(
                PeriodsBetween(starts[0], start, period),
                start,
                Next(start, period),
                Label(start, period),
                groups[start].ToReport()));
        }

        var list = cohorts.MoveToImmutable();
        var homogeneity = list.Length < 2
            ? new TestResult(0, 0, 1)
            : Statistics.HomogeneityTest([.. list.Select(c => c.Conversion.Successes)], [.. list.Select(c => c.Conversion.Trials)]);
        return new CohortReport(period, total.ToReport(), list, WeightedSlope(list), homogeneity);
    }

    private static CohortReport FromTracks(FunnelDefinition definition, List<LeadTrack> tracks, CohortPeriod period, FunnelQuery query)
    {
        var (prepared, asOf) = LeadTracks.Prepare(tracks, query);
        ReportAccumulator Create() => new(definition, query, asOf);
        var total = Create();
        var groups = new Dictionary<DateTimeOffset, ReportAccumulator>();
        foreach (var track in prepared)
        {
            ReportAccumulator.AddGrouped(track, PeriodStart(track.EnteredAt, period), total, groups, Create);
        }

        return FromAccumulators(period, total, groups);
    }

    private static double? WeightedSlope(ImmutableArray<Cohort> cohorts)
    {
        if (cohorts.Length < 2)
        {
            return null;
        }

        double sw = 0, sx = 0, sy = 0;
        foreach (var c in cohorts)
        {
            double w = c.Conversion.Trials;
            sw += w;
            sx += w * c.Index;
            sy += w * c.Conversion.Value;
        }

        var mx = sx / sw;
        var my = sy / sw;
        double sxx = 0, sxy = 0;
        foreach (var c in cohorts)
        {
            double w = c.Conversion.Trials;
            sxx += w * (c.Index - mx) * (c.Index - mx);
            sxy += w * (c.Index - mx) * (c.Conversion.Value - my);
        }

        return sxx == 0 ? null : sxy / sxx;
    }
}
