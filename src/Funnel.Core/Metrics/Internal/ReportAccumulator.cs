namespace Funnel.Core.Metrics;

/// <summary>
/// The numbers of a <see cref="FunnelReport"/> gathered one lead at a time: <see cref="Add"/> takes a prepared track
/// (already cut at the as-of time and filtered by entry date), <see cref="Merge"/> adds the numbers of an accumulator
/// that saw other leads, and <see cref="ToReport"/> assembles the report. The result depends only on the set of leads
/// seen, not on their order or on how they were split between accumulators, so partial accumulators can be filled on
/// several threads and merged. Not thread-safe: one accumulator per thread.
/// </summary>
internal sealed class ReportAccumulator
{
    private readonly FunnelDefinition _definition;
    private readonly FunnelQuery _query;
    private readonly DateTimeOffset? _asOf;
    private readonly long _asOfSeconds;
    private readonly int _n;
    private readonly int _reasonCount;
    private readonly bool _totals;
    private readonly long? _window;
    private readonly long[]? _stepWindows;

    private readonly long[] _reached;
    private readonly long[] _converted;
    private readonly long[] _reachedFromTop;

    // Row and column n of the transitions are "lost": pairs whose first (row) or second (column) event is a loss.
    private readonly long[] _transitions;
    private readonly long[] _losses;
    private readonly long[] _lossesAfterLoss;
    private readonly long[] _lossesAtUnknownStage;
    private readonly long[] _dropped;
    private readonly long[] _stillOpen;

    // The samples of the duration medians (see ShareSamples): stays by row, 0..n-1 a stage, n the time after a loss
    // (as the transitions' rows), the cycle times of won leads, and the conversion times of each step.
    private readonly bool _samples;
    private readonly DurationSamples[] _stays;
    private readonly DurationSamples _cycleTimes = new();
    private long _won;
    private long _everWon;
    private long _lastStatusWon;
    private long _lost;
    private long _open;

    // Scratch for one lead.
    private readonly FunnelAttempts? _attempts;
    private readonly bool[] _optional;
    private readonly DurationSamples[] _fromAnchor;
    private readonly DurationSamples[] _fromPrevious;
    private long _excluded;
    private readonly bool[] _reach;
    private readonly long[] _latest;
    private readonly bool[] _hasStay;

    /// <summary>Creates an empty accumulator.</summary>
    /// <param name="definition">The funnel.</param>
    /// <param name="query">The semantics.</param>
    /// <param name="asOf">The as-of time the tracks were cut at.</param>
    /// <param name="samples">
    /// Whether <see cref="Add"/> keeps the duration samples; <see langword="false"/> for the total of a breakdown, which
    /// takes them from its groups with <see cref="ShareSamples"/> instead of holding a second copy.
    /// </param>
    public ReportAccumulator(FunnelDefinition definition, FunnelQuery query, DateTimeOffset? asOf, bool samples = true)
    {
        _samples = samples;
        _definition = definition;
        _query = query;
        _asOf = asOf;
        _asOfSeconds = asOf?.ToUnixTimeSeconds() ?? 0;
        _n = definition.Stages.Length;
        _reasonCount = definition.LossReasons.Length;
        _totals = query.Counting == CountMode.Totals;
        _window = query.WindowSeconds;
        var ordered = query.Reach == ReachMode.OrderedWindow;
        if (!ordered && (query.Order != StepOrder.Ordered || !query.Exclusions.IsEmpty || !query.OptionalSteps.IsEmpty))
        {
            var option = query.Order != StepOrder.Ordered ? "Order" : !query.Exclusions.IsEmpty ? "Exclusions" : "OptionalSteps";
            throw new ArgumentException($"The query's {option} applies to the ordered-window funnel (ReachMode.OrderedWindow), not to {query.Reach}.", nameof(query));
        }

        // An unordered funnel has no step order: the definition's own step windows do not apply to it (explicit ones are refused by the query).
        _stepWindows = ordered && query.Order != StepOrder.Unordered ? query.StepWindowSeconds(definition) : null;
        _optional = query.OptionalMask(definition);
        _attempts = ordered ? new FunnelAttempts(_n, query.Order, _window, _stepWindows, _optional, query.ResolveExclusions(definition, _optional)) : null;
        _fromAnchor = new DurationSamples[_n];
        _fromPrevious = new DurationSamples[_n];
        for (var k = 0; k < _n; k++)
        {
            _fromAnchor[k] = new();
            _fromPrevious[k] = new();
        }

        var size = _n + 1;
        _reached = new long[_n];
        _converted = new long[_n];
        _reachedFromTop = new long[_n];
        _transitions = new long[size * size];
        _losses = new long[_n * _reasonCount];
        _lossesAfterLoss = new long[_reasonCount];
        _lossesAtUnknownStage = new long[_reasonCount];
        _dropped = new long[_n];
        _stillOpen = new long[_n];
        _stays = new DurationSamples[size];
        for (var s = 0; s < size; s++)
        {
            _stays[s] = new();
        }

        _reach = new bool[_n];
        _latest = new long[size];
        _hasStay = new bool[size];
    }

    /// <summary>Gets the number of leads added (directly or by merging).</summary>
    public long Leads => _won + _lost + _open;

    /// <summary>Adds one prepared lead.</summary>
    /// <param name="track">The lead, cut at the as-of time.</param>
    public void Add(LeadTrack track)
    {
        var n = _n;
        var reach = _reach;

        // Reach.
        Array.Clear(reach);
        switch (_query.Reach)
        {
            case ReachMode.OrderedWindow:
                AddAttempt(track);
                break;
            case ReachMode.AnyOrder:
                for (var i = 0; i < track.Count; i++)
                {
                    if (!track.IsLoss(i))
                    {
                        reach[track.Stages[i]] = true;
                        if (_totals)
                        {
                            _reached[track.Stages[i]]++;
                        }
                    }
                }

                break;
            default:
                for (var k = 0; k <= track.CurrentStage; k++)
                {
                    reach[k] = true;
                }

                break;
        }

        if (!_totals)
        {
            for (var k = 0; k < n; k++)
            {
                if (reach[k])
                {
                    _reached[k]++;
                    if (reach[0])
                    {
                        _reachedFromTop[k]++;
                    }

                    if (k + 1 < n && reach[NextRequired(k)])
                    {
                        _converted[k]++;
                    }
                }
            }
        }

        // Transitions, losses, stays: consecutive pairs in canonical order. A loss is counted where the lead was:
        // at the stage of its previous event when that is an entry, apart when it follows a loss or is the first event.
        var size = n + 1;
        for (var i = 0; i < track.Count; i++)
        {
            if (track.IsLoss(i))
            {
                var reason = track.Reasons[i];
                if (i == 0)
                {
                    _lossesAtUnknownStage[reason]++;
                }
                else if (track.IsLoss(i - 1))
                {
                    _lossesAfterLoss[reason]++;
                }
                else
                {
                    _losses[(track.Stages[i - 1] * _reasonCount) + reason]++;
                }
            }

            if (i + 1 < track.Count)
            {
                var row = Row(track, i, n);
                var column = Row(track, i + 1, n);
                _transitions[(row * size) + column]++;
                if (_totals && row + 1 < n && column == row + 1)
                {
                    _converted[row]++;
                }
            }
        }

        CollectStays(track);

        if (track.EverWon)
        {
            _everWon++;
        }

        if (track.LastStatus == JourneyStatus.Won)
        {
            _lastStatusWon++;
        }

        // Status at the as-of time.
        switch (track.Status)
        {
            case JourneyStatus.Won:
                _won++;
                if (_samples)
                {
                    _cycleTimes.Add(track.WonAt!.Value.ToUnixTimeSeconds() - track.Seconds[0]);
                }

                break;
            case JourneyStatus.Lost:
                _lost++;
                break;
            default:
                _open++;
                var silent = _asOf is { } cut && cut - track.LastActivity > _query.SilentAfter;
                (silent ? _dropped : _stillOpen)[track.CurrentStage]++;
                break;
        }
    }

    /// <summary>Adds a lead to the total and to the accumulator of its group, creating that one on first use.</summary>
    public static void AddGrouped<TLabel>(LeadTrack track, TLabel label, ReportAccumulator total, Dictionary<TLabel, ReportAccumulator> groups, Func<ReportAccumulator> create)
        where TLabel : notnull
    {
        total.Add(track);
        if (!groups.TryGetValue(label, out var group))
        {
            group = create();
            groups.Add(label, group);
        }

        group.Add(track);
    }

    /// <summary>Adds the numbers of another accumulator of the same definition, query and as-of time.</summary>
    /// <param name="other">The accumulator that saw other leads.</param>
    public void Merge(ReportAccumulator other)
    {
        AddTo(_reached, other._reached);
        AddTo(_converted, other._converted);
        AddTo(_reachedFromTop, other._reachedFromTop);
        AddTo(_transitions, other._transitions);
        AddTo(_losses, other._losses);
        AddTo(_lossesAfterLoss, other._lossesAfterLoss);
        AddTo(_lossesAtUnknownStage, other._lossesAtUnknownStage);
        AddTo(_dropped, other._dropped);
        AddTo(_stillOpen, other._stillOpen);
        AddSamplesOf(other);

        _excluded += other._excluded;
        _won += other._won;
        _everWon += other._everWon;
        _lastStatusWon += other._lastStatusWon;
        _lost += other._lost;
        _open += other._open;
    }

    /// <summary>
    /// Takes the duration samples of the groups of a breakdown into this accumulator, their total, which was created
    /// without samples: every lead of the total is in exactly one group, so the groups' samples are the total's.
    /// The chunks are shared, not copied, so a breakdown holds each sample once instead of twice.
    /// </summary>
    /// <param name="groups">Every group of the breakdown, filled with the same leads as this total.</param>
    public void ShareSamples(IEnumerable<ReportAccumulator> groups)
    {
        if (_samples)
        {
            throw new InvalidOperationException("This accumulator keeps its own samples; only a total created without them shares its groups'.");
        }

        foreach (var group in groups)
        {
            AddSamplesOf(group);
        }
    }

    /// <summary>Assembles the report from the numbers gathered.</summary>
    /// <returns>The report.</returns>
    public FunnelReport ToReport()
    {
        var timeInStage = new DurationSummary[_n];
        for (var k = 0; k < _n; k++)
        {
            timeInStage[k] = _stays[k].ToSummary();
        }

        return FunnelReport.Assemble(
            _definition,
            _query,
            _asOf,
            new ReportCounts(
                _won,
                _everWon,
                _lastStatusWon,
                _lost,
                _open,
                _cycleTimes.ToSummary(),
                [.. _reached],
                [.. _converted],
                _totals ? null : [.. _reachedFromTop],
                [.. _dropped],
                [.. _stillOpen],
                timeInStage,
                _stays[_n].ToSummary(),
                [.. _transitions],
                [.. _losses],
                [.. _lossesAfterLoss],
                [.. _lossesAtUnknownStage],
                ConversionTimes(),
                _excluded));
    }

    /// <summary>The step a lead at step k converts to: the next required step (optional ones are skipped), or k + 1 when only optional steps follow.</summary>
    internal static int NextRequired(bool[] optional, int k)
    {
        for (var j = k + 1; j < optional.Length; j++)
        {
            if (!optional[j])
            {
                return j;
            }
        }

        return k + 1;
    }

    private int NextRequired(int k) => NextRequired(_optional, k);

    /// <summary>The counted attempt of a lead (R1–R7): reached steps, exclusion, time to convert.</summary>
    private void AddAttempt(LeadTrack track)
    {
        var attempts = _attempts!;
        attempts.Evaluate(track, _query.Anchor);
        if (attempts.Excluded)
        {
            _excluded++;
            return;
        }

        var reachTimes = attempts.Reach;
        for (var k = 0; k < _n; k++)
        {
            if (!attempts.Reached(k))
            {
                continue;
            }

            _reach[k] = true;
            if (k > 0)
            {
                // The previous step with a reach time, not after this one's (an optional step matched only by a later
                // chain than the one that skipped it is passed over); step 0 always qualifies.
                var previous = k - 1;
                while (reachTimes[previous] == FunnelAttempts.None || reachTimes[previous] > reachTimes[k])
                {
                    previous--;
                }

                if (_samples)
                {
                    _fromAnchor[k].Add(reachTimes[k] - reachTimes[0]);
                    _fromPrevious[k].Add(reachTimes[k] - reachTimes[previous]);
                }
            }
        }
    }

    private StepConversionTime[] ConversionTimes()
    {
        var bins = _query.ConversionTimeBins;
        var times = new StepConversionTime[Math.Max(0, _n - 1)];
        for (var k = 1; k < _n; k++)
        {
            var fromAnchor = _fromAnchor[k];
            var fromPrevious = _fromPrevious[k];
            times[k - 1] = new StepConversionTime(k, fromAnchor.ToSummary(), fromPrevious.ToSummary(), bins.HistogramOf(fromAnchor), bins.HistogramOf(fromPrevious));
        }

        return times;
    }

    private static void AddTo(long[] target, long[] source)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] += source[i];
        }
    }

    /// <summary>The row of an event in the transitions and stays: its stage for an entry, <paramref name="stageCount"/> ("lost") for a loss.</summary>
    private static int Row(LeadTrack track, int index, int stageCount) => track.IsLoss(index) ? stageCount : track.Stages[index];

    private void AddSamplesOf(ReportAccumulator other)
    {
        for (var s = 0; s < _stays.Length; s++)
        {
            _stays[s].AddFrom(other._stays[s]);
        }

        _cycleTimes.AddFrom(other._cycleTimes);
        for (var k = 0; k < _n; k++)
        {
            _fromAnchor[k].AddFrom(other._fromAnchor[k]);
            _fromPrevious[k].AddFrom(other._fromPrevious[k]);
        }
    }

    private void CollectStays(LeadTrack track)
    {
        if (!_samples)
        {
            return;
        }

        var mode = _query.TimeInStage;
        if (mode != TimeInStageMode.EveryStay)
        {
            Array.Clear(_latest);
            Array.Clear(_hasStay);
        }

        for (var i = 0; i + 1 < track.Count; i++)
        {
            AddStay(mode, Row(track, i, _n), track.Seconds[i + 1] - track.Seconds[i]);
        }

        var last = track.Count - 1;
        if (_query.IncludeOpenStays && track.Status == JourneyStatus.Open && !track.IsLoss(last) && _asOfSeconds >= track.Seconds[last])
        {
            AddStay(mode, track.Stages[last], _asOfSeconds - track.Seconds[last]);
        }

        if (mode != TimeInStageMode.EveryStay)
        {
            for (var s = 0; s < _latest.Length; s++)
            {
                if (_hasStay[s])
                {
                    _stays[s].Add(_latest[s]);
                }
            }
        }
    }

    private void AddStay(TimeInStageMode mode, int row, long duration)
    {
        switch (mode)
        {
            case TimeInStageMode.EveryStay:
                _stays[row].Add(duration);
                break;
            case TimeInStageMode.LatestStay:
                _latest[row] = duration;
                _hasStay[row] = true;
                break;
            default:
                _latest[row] += duration;
                _hasStay[row] = true;
                break;
        }
    }
}
