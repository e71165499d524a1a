using Funnel.Core.Metrics;

namespace Funnel.Core.Bulk;

/// <summary>
/// The full metrics of <see cref="Metrics"/> — <see cref="FunnelReport"/>, <see cref="SegmentBreakdown"/>,
/// <see cref="CohortReport"/> and <see cref="MarkovForecast"/> — computed straight from a <see cref="TransitionLog"/>
/// at any size: the same numbers as the methods that take <see cref="FunnelEvent"/>s give for
/// <see cref="TransitionLog.ToEvents(FunnelDefinition, IReadOnlyList{string}, IReadOnlyList{string}?)"/> of the log,
/// without building an object per event. The rows are grouped by entity beside the log (8 bytes per event), one lead
/// at a time is turned into the metrics' view of it, and partial results computed on every core are merged; memory is
/// the log, the grouping and the samples of the duration medians (4 bytes per stay; a breakdown's total shares its groups'), not the text or the events.
/// </summary>
/// <remarks>
/// <para>
/// Every method takes the keys behind the log's codes, indexed by code, as the readers give them (for example
/// <see cref="TransitionLogCsvResult.Entities"/> and <see cref="TransitionLogCsvResult.Segments"/>). The segment of a
/// lead is the first segment its rows name in log order.
/// </para>
/// <para>
/// Compared with <see cref="TransitionAnalyzer"/>, which answers the four canonical questions in one branch-free scan,
/// these methods cost more per event but give everything the metrics reports have: any <see cref="FunnelQuery"/>
/// (anchors, reach and counting modes, the as-of time, entry dates), proportions with confidence intervals, segments,
/// cohorts and the forecast. On the same log and the canonical query both agree on every number they share.
/// </para>
/// </remarks>
public static class TransitionLogMetrics
{
    /// <summary>Logs with fewer events are computed on one thread (the split costs more than it saves).</summary>
    private const int ParallelFromEvents = 1 << 16;

    /// <summary>Computes the funnel report of a log.</summary>
    /// <param name="definition">The funnel the log's stage and loss-reason ordinals refer to.</param>
    /// <param name="log">The log, in any row order.</param>
    /// <param name="entityKeys">The entity key of every entity id, indexed by id.</param>
    /// <param name="segmentKeys">The segment of every segment code, indexed by code; <see langword="null"/> only when the log has no segment column.</param>
    /// <param name="query">The semantics; <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <returns>The report; equal to <see cref="FunnelReport.Compute(FunnelDefinition, IEnumerable{FunnelEvent}, FunnelQuery?)"/> of the log's events.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/>, <paramref name="log"/> or <paramref name="entityKeys"/> is <see langword="null"/>, or <paramref name="segmentKeys"/> is while the log has a segment column.</exception>
    /// <exception cref="ArgumentException">
    /// The log has a stage or loss-reason ordinal the definition lacks, an entity id or segment code beyond the key
    /// lists, an entity key is blank, or the query's <see cref="FunnelQuery.StepWindows"/> do not match the definition.
    /// </exception>
    /// <example>
    /// <code>
    /// var read = TransitionLogCsvReader.ReadFile("events.csv", definition);
    /// var report = TransitionLogMetrics.ComputeReport(definition, read.Log, read.Entities.AsReadOnlyList(), read.Segments.AsReadOnlyList());
    /// </code>
    /// </example>
    public static FunnelReport ComputeReport(
        FunnelDefinition definition, TransitionLog log, IReadOnlyList<string> entityKeys, IReadOnlyList<string>? segmentKeys = null, FunnelQuery? query = null)
    {
        query ??= FunnelQuery.Default;
        var leads = LogLeadTracks.Create(definition, log, entityKeys, segmentKeys, query);
        return Partial(leads, log, () => new ReportAccumulator(definition, query, leads.AsOf), static (a, t) => a.Add(t), static (a, b) => a.Merge(b)).ToReport();
    }

    /// <summary>Computes the report of every segment of a log and of all its leads.</summary>
    /// <param name="definition">The funnel the log's ordinals refer to.</param>
    /// <param name="log">The log, in any row order.</param>
    /// <param name="entityKeys">The entity key of every entity id, indexed by id.</param>
    /// <param name="segmentKeys">The segment of every segment code, indexed by code; <see langword="null"/> only when the log has no segment column (every lead is then in the "(none)" segment).</param>
    /// <param name="key">What a segment is; for a log, <see cref="SegmentKey.EventSegment"/> or <see cref="SegmentKey.EventSegmentNamed"/> (a log has no attributes or owners).</param>
    /// <param name="query">The semantics; <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <param name="minimumLeads">Segments with fewer leads are merged into one "(other)" segment, as <see cref="SegmentBreakdown.Compute(FunnelDefinition, IEnumerable{FunnelEvent}, SegmentKey, FunnelQuery?, int)"/> does.</param>
    /// <returns>The breakdown; equal to the breakdown of the log's events.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/> (see <see cref="ComputeReport"/>), or <paramref name="key"/> is.</exception>
    /// <exception cref="ArgumentException">See <see cref="ComputeReport"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumLeads"/> is negative.</exception>
    public static SegmentBreakdown ComputeSegments(
        FunnelDefinition definition, TransitionLog log, IReadOnlyList<string> entityKeys, IReadOnlyList<string>? segmentKeys, SegmentKey key, FunnelQuery? query = null, int minimumLeads = 0)
    {
        Guard.Against.Null(key);
        Guard.Against.NegativeNumber(minimumLeads);
        var (total, groups) = Grouped(definition, log, entityKeys, segmentKeys, query, StringComparer.Ordinal, t => SegmentBreakdown.LabelOf(key, t));
        return SegmentBreakdown.FromAccumulators(key, minimumLeads, total, groups);
    }

    /// <summary>Computes the report of every cohort (leads by the period of their first event) of a log and of all its leads.</summary>
    /// <param name="definition">The funnel the log's ordinals refer to.</param>
    /// <param name="log">The log, in any row order.</param>
    /// <param name="entityKeys">The entity key of every entity id, indexed by id.</param>
    /// <param name="segmentKeys">The segment of every segment code, indexed by code; <see langword="null"/> only when the log has no segment column.</param>
    /// <param name="period">The cohort period.</param>
    /// <param name="query">The semantics; <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <returns>The cohort report; equal to the report of the log's events.</returns>
    /// <exception cref="ArgumentNullException">See <see cref="ComputeReport"/>.</exception>
    /// <exception cref="ArgumentException">See <see cref="ComputeReport"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is not a defined value.</exception>
    public static CohortReport ComputeCohorts(
        FunnelDefinition definition, TransitionLog log, IReadOnlyList<string> entityKeys, IReadOnlyList<string>? segmentKeys, CohortPeriod period, FunnelQuery? query = null)
    {
        Guard.Against.UndefinedEnum(period, "Unknown cohort period.");

        var (total, groups) = Grouped(definition, log, entityKeys, segmentKeys, query, EqualityComparer<DateTimeOffset>.Default, t => CohortReport.PeriodStart(t.EnteredAt, period));
        return CohortReport.FromAccumulators(period, total, groups);
    }

    /// <summary>Learns the Markov forecast from a log.</summary>
    /// <param name="definition">The funnel the log's ordinals refer to.</param>
    /// <param name="log">The log, in any row order.</param>
    /// <param name="entityKeys">The entity key of every entity id, indexed by id.</param>
    /// <param name="segmentKeys">The segment of every segment code, indexed by code; <see langword="null"/> only when the log has no segment column.</param>
    /// <param name="query">The scope (entry dates, as-of time, the silence threshold); <see cref="FunnelQuery.Default"/> when <see langword="null"/>.</param>
    /// <param name="minimumOutcomes">The minimum number of leads with a known outcome a stage needs (see <see cref="MarkovForecast.DefaultMinimumOutcomes"/>); at least 1.</param>
    /// <returns>The forecast; equal to <see cref="MarkovForecast.Learn(FunnelDefinition, IEnumerable{FunnelEvent}, FunnelQuery?, int)"/> of the log's events.</returns>
    /// <exception cref="ArgumentNullException">See <see cref="ComputeReport"/>.</exception>
    /// <exception cref="ArgumentException">See <see cref="ComputeReport"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumOutcomes"/> is less than 1.</exception>
    public static MarkovForecast LearnForecast(
        FunnelDefinition definition,
        TransitionLog log,
        IReadOnlyList<string> entityKeys,
        IReadOnlyList<string>? segmentKeys = null,
        FunnelQuery? query = null,
        int minimumOutcomes = MarkovForecast.DefaultMinimumOutcomes)
    {
        Guard.Against.LessThan(minimumOutcomes, 1);
        query ??= FunnelQuery.Default;
        var leads = LogLeadTracks.Create(definition, log, entityKeys, segmentKeys, query);
        return MarkovForecast.FromPrepared(definition, leads.Prepared(0, log.EntityIdLimit), leads.AsOf, query, minimumOutcomes);
    }

    /// <summary>Fills one partial result per range of entities (in parallel for a big log) and merges them in range order.</summary>
    private static TPartial Partial<TPartial>(
        LogLeadTracks leads, TransitionLog log, Func<TPartial> create, Action<TPartial, LeadTrack> add, Action<TPartial, TPartial> merge)
    {
        var ranges = leads.Partitions(log.Count < ParallelFromEvents ? 1 : Environment.ProcessorCount);
        var partials = new TPartial[ranges.Count];
        Parallel.For(0, ranges.Count, new ParallelOptions { MaxDegreeOfParallelism = ranges.Count > 1 ? -1 : 1 }, i =>
        {
            var partial = create();
            foreach (var track in leads.Prepared(ranges[i].From, ranges[i].To))
            {
                add(partial, track);
            }

            partials[i] = partial;
        });

        if (partials.Length == 0)
        {
            return create();
        }

        for (var i = 1; i < partials.Length; i++)
        {
            merge(partials[0], partials[i]);
        }

        return partials[0];
    }

    /// <summary>The accumulated numbers of every lead and of each group of leads (by the label a function gives a lead).</summary>
    private static (ReportAccumulator Total, Dictionary<TLabel, ReportAccumulator> Groups) Grouped<TLabel>(
        FunnelDefinition definition, TransitionLog log, IReadOnlyList<string> entityKeys, IReadOnlyList<string>? segmentKeys, FunnelQuery? query, IEqualityComparer<TLabel> comparer, Func<LeadTrack, TLabel> labelOf)
        where TLabel : notnull
    {
        query ??= FunnelQuery.Default;
        var leads = LogLeadTracks.Create(definition, log, entityKeys, segmentKeys, query);
        ReportAccumulator Create() => new(definition, query, leads.AsOf);

        // Every lead is in exactly one group, so the total holds no duration samples of its own: it shares the groups'.
        var (total, groups) = Partial(
            leads,
            log,
            () => (Total: new ReportAccumulator(definition, query, leads.AsOf, samples: false), Groups: new Dictionary<TLabel, ReportAccumulator>(comparer)),
            (p, t) => ReportAccumulator.AddGrouped(t, labelOf(t), p.Total, p.Groups, Create),
            static (a, b) => MergeGroups(a, b));
        total.ShareSamples(groups.Values);
        return (total, groups);
    }

    private static void MergeGroups<TLabel>(
        (ReportAccumulator Total, Dictionary<TLabel, ReportAccumulator> Groups) into, (ReportAccumulator Total, Dictionary<TLabel, ReportAccumulator> Groups) from)
        where TLabel : notnull
    {
        into.Total.Merge(from.Total);
        foreach (var (label, group) in from.Groups)
        {
            if (into.Groups.TryGetValue(label, out var existing))
            {
                existing.Merge(group);
            }
            else
            {
                into.Groups.Add(label, group);
            }
        }
    }
}
