using System.Collections.Immutable;
using System.Globalization;

namespace Funnel.Core.Metrics;

/// <summary>
/// The semantics of a <see cref="FunnelReport"/>, stated explicitly: what "reached a stage" means (ordered within
/// a conversion window from an anchor, any time in any order, or implicit pass-through), how time in stage is
/// measured, uniques or totals, a date range on entry, the as-of time for open leads, and the statistics settings.
/// </summary>
/// <remarks>
/// <para>Start from <see cref="Default"/> and derive changed queries with the <c>With…</c>/<c>…</c> methods; each
/// returns a new query. <see cref="Default"/> is the canonical semantics shared with the bulk engine: ordered,
/// unbounded window, anchored at the first entry into the first stage, every stay a sample, uniques.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
/// <example>
/// <code>
/// var query = FunnelQuery.Default.Ordered(TimeSpan.FromDays(30), AnchorMode.First).WithAsOf(now);
/// var report = FunnelReport.Compute(definition, journeys, query);
/// </code>
/// </example>
public sealed class FunnelQuery
{
    private FunnelQuery(
        ReachMode reach,
        TimeSpan? window,
        AnchorMode anchor,
        CountMode counting,
        TimeInStageMode timeInStage,
        bool includeOpenStays,
        DateTimeOffset? enteredFrom,
        DateTimeOffset? enteredBefore,
        DateTimeOffset? asOf,
        TimeSpan silentAfter,
        double confidenceLevel,
        int minimumSample)
    {
        Reach = reach;
        Window = window;
        Anchor = anchor;
        Counting = counting;
        TimeInStage = timeInStage;
        IncludeOpenStays = includeOpenStays;
        EnteredFrom = enteredFrom;
        EnteredBefore = enteredBefore;
        AsOf = asOf;
        SilentAfter = silentAfter;
        ConfidenceLevel = confidenceLevel;
        MinimumSample = minimumSample;
    }

    /// <summary>
    /// Gets the canonical query: <see cref="ReachMode.OrderedWindow"/> with no window limit, anchored
    /// <see cref="AnchorMode.First"/>, <see cref="CountMode.Uniques"/>, <see cref="TimeInStageMode.EveryStay"/> without
    /// open stays, no date range, as of the latest event, silent after 14 days, 95% intervals, minimum sample 30.
    /// </summary>
    public static FunnelQuery Default { get; } = new(
        ReachMode.OrderedWindow, null, AnchorMode.First, CountMode.Uniques, TimeInStageMode.EveryStay, false, null, null, null, TimeSpan.FromDays(14), 0.95, 30);

    /// <summary>Gets what "reached a stage" means. Default <see cref="ReachMode.OrderedWindow"/>.</summary>
    public ReachMode Reach { get; }

    /// <summary>Gets the conversion window W of <see cref="ReachMode.OrderedWindow"/> (inclusive, whole seconds), or <see langword="null"/> for no limit (the default).</summary>
    public TimeSpan? Window { get; }

    /// <summary>Gets the anchor of <see cref="ReachMode.OrderedWindow"/>. Default <see cref="AnchorMode.First"/>.</summary>
    public AnchorMode Anchor { get; }

    /// <summary>Gets whether repeated entries count once per lead or every time. Default <see cref="CountMode.Uniques"/>.</summary>
    public CountMode Counting { get; }

    /// <summary>Gets how stays become time-in-stage samples. Default <see cref="TimeInStageMode.EveryStay"/>.</summary>
    public TimeInStageMode TimeInStage { get; }

    /// <summary>
    /// Gets a value indicating whether the current stay of an open lead (from its last entry to the as-of time) is a
    /// sample too. Default <see langword="false"/> (only finished stays, the canonical semantics).
    /// </summary>
    public bool IncludeOpenStays { get; }

    /// <summary>Gets the inclusive start of the entry date range (a lead's first event), or <see langword="null"/> for none (the default).</summary>
    public DateTimeOffset? EnteredFrom { get; }

    /// <summary>Gets the exclusive end of the entry date range, or <see langword="null"/> for none (the default).</summary>
    public DateTimeOffset? EnteredBefore { get; }

    /// <summary>
    /// Gets the time the report is computed as of: events after it are ignored, and open leads are judged (silent or
    /// active) at it. <see langword="null"/> (the default) means the time of the latest event in the input.
    /// </summary>
    public DateTimeOffset? AsOf { get; }

    /// <summary>Gets how long an open lead may go without an event before it counts as dropped (went silent). Default 14 days.</summary>
    public TimeSpan SilentAfter { get; }

    /// <summary>Gets the level of the Wilson intervals on every rate. Default 0.95.</summary>
    public double ConfidenceLevel { get; }

    /// <summary>Gets the number of leads below which a rate is flagged as a small sample. Default 30.</summary>
    public int MinimumSample { get; }

    /// <summary>
    /// Gets the per-step conversion windows of <see cref="ReachMode.OrderedWindow"/>: value k − 1 limits step k (an entry
    /// into stage k counts only within that time of the matched entry into stage k − 1; <see langword="null"/> for no
    /// limit on that step). Empty (the default) means the definition's own (<see cref="Stage.StepWindow"/>), if any.
    /// With per-step windows the level is the best over every choice of entries (docs/bulk.md, rule 7).
    /// </summary>
    public ImmutableArray<TimeSpan?> StepWindows { get; private init; } = [];

    /// <summary>
    /// Gets how the steps of <see cref="ReachMode.OrderedWindow"/> must follow each other: in order with anything in
    /// between (<see cref="StepOrder.Ordered"/>, the default), with nothing else in between (<see cref="StepOrder.Strict"/>)
    /// or in any order (<see cref="StepOrder.Unordered"/>). See docs/metrics.md, "Funnel modes".
    /// </summary>
    public StepOrder Order { get; private init; }

    /// <summary>
    /// Gets the exclusion steps of <see cref="ReachMode.OrderedWindow"/> (ordered or strict): an attempt with an excluded
    /// event strictly between the reach of two steps, inside the window, is disqualified, and a lead without a qualifying
    /// attempt is dropped from the funnel (<see cref="FunnelReport.Excluded"/>). Empty by default.
    /// </summary>
    public ImmutableArray<FunnelExclusion> Exclusions { get; private init; } = [];

    /// <summary>
    /// Gets the keys of the optional steps of <see cref="ReachMode.OrderedWindow"/> (ordered or strict): steps a path may
    /// skip; never the first stage. Empty by default.
    /// </summary>
    public ImmutableArray<string> OptionalSteps { get; private init; } = [];

    /// <summary>Gets which median the reports show for time in stage and time to convert. Default <see cref="MedianKind.Lower"/>.</summary>
    public MedianKind Median { get; private init; }

    /// <summary>Gets how the time-to-convert histograms are binned. Default <see cref="Metrics.ConversionTimeBins.Automatic"/>.</summary>
    public ConversionTimeBins ConversionTimeBins { get; private init; } = ConversionTimeBins.Automatic;

    /// <summary>Returns a query with the ordered-window semantics (and <see cref="CountMode.Uniques"/>).</summary>
    /// <param name="window">The conversion window W (inclusive; sub-second parts are ignored), or <see langword="null"/> for no limit.</param>
    /// <param name="anchor">The anchor; <see cref="AnchorMode.First"/> when omitted.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is negative, or <paramref name="anchor"/> is unknown.</exception>
    public FunnelQuery Ordered(TimeSpan? window = null, AnchorMode anchor = AnchorMode.First)
    {
        if (window is { } w && w < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The conversion window must not be negative.");
        }

        CheckDefined(anchor, nameof(anchor));
        return With(reach: ReachMode.OrderedWindow, window: window, anchor: anchor, counting: CountMode.Uniques, setWindow: true);
    }

    /// <summary>Returns a query with per-step conversion windows for <see cref="ReachMode.OrderedWindow"/> (see <see cref="StepWindows"/>).</summary>
    /// <param name="stepWindows">One window per step (the number of stages − 1, checked when the report is computed), each whole seconds and not negative, or <see langword="null"/> for no limit; empty to use the definition's own.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stepWindows"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A window is negative or not whole seconds.</exception>
    public FunnelQuery WithStepWindows(IEnumerable<TimeSpan?> stepWindows)
    {
        Guard.Against.Null(stepWindows);
        ImmutableArray<TimeSpan?> windows = [.. stepWindows];
        for (var k = 0; k < windows.Length; k++)
        {
            if (windows[k] is { } w && (w < TimeSpan.Zero || w.Ticks % TimeSpan.TicksPerSecond != 0))
            {
                throw new ArgumentOutOfRangeException(nameof(stepWindows), w, $"The window of step {k + 1} must be whole seconds and not negative.");
            }
        }

        var query = With(stepWindows: windows);
        query.CheckUnordered(nameof(stepWindows));
        return query;
    }

    /// <summary>Returns a query whose ordered-window steps follow each other another way (see <see cref="Order"/>).</summary>
    /// <param name="order">Ordered, strict or unordered.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="order"/> is unknown.</exception>
    /// <exception cref="ArgumentException"><paramref name="order"/> is <see cref="StepOrder.Unordered"/> while the query has per-step windows, exclusions or optional steps, which an unordered funnel cannot have.</exception>
    public FunnelQuery WithOrder(StepOrder order)
    {
        CheckDefined(order, nameof(order));
        var query = With(order: order);
        query.CheckUnordered(nameof(order));
        return query;
    }

    /// <summary>Returns a query with exclusion steps (see <see cref="Exclusions"/>); they replace the query's.</summary>
    /// <param name="exclusions">The exclusions; empty for none. Stage keys and steps are checked against the definition when the report is computed.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exclusions"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The query is <see cref="StepOrder.Unordered"/>.</exception>
    public FunnelQuery WithExclusions(IEnumerable<FunnelExclusion> exclusions)
    {
        Guard.Against.Null(exclusions);
        ImmutableArray<FunnelExclusion> list = [.. exclusions];
        foreach (var exclusion in list)
        {
            Guard.Against.Null(exclusion, nameof(exclusions));
        }

        var query = With(exclusions: list);
        query.CheckUnordered(nameof(exclusions));
        return query;
    }

    /// <summary>Returns a query with optional steps (see <see cref="OptionalSteps"/>); they replace the query's.</summary>
    /// <param name="stageKeys">The keys of the optional stages; empty for none. Checked against the definition when the report is computed.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stageKeys"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A key is null, blank or given twice, or the query is <see cref="StepOrder.Unordered"/>.</exception>
    public FunnelQuery WithOptionalSteps(IEnumerable<string> stageKeys)
    {
        Guard.Against.Null(stageKeys);
        ImmutableArray<string> keys = [.. stageKeys];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (string.IsNullOrWhiteSpace(key) || !seen.Add(key))
            {
                throw new ArgumentException($"Optional step '{key}' is blank or given twice.", nameof(stageKeys));
            }
        }

        var query = With(optionalSteps: keys);
        query.CheckUnordered(nameof(stageKeys));
        return query;
    }

    /// <summary>Returns a query that shows another median (see <see cref="Median"/>).</summary>
    /// <param name="median">The lower or the interpolated median.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="median"/> is unknown.</exception>
    public FunnelQuery WithMedian(MedianKind median)
    {
        CheckDefined(median, nameof(median));
        return With(median: median);
    }

    /// <summary>Returns a query that bins the time-to-convert histograms another way (see <see cref="ConversionTimeBins"/>).</summary>
    /// <param name="bins">Automatic or explicit edges.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="bins"/> is <see langword="null"/>.</exception>
    public FunnelQuery WithConversionTimeBins(ConversionTimeBins bins)
    {
        Guard.Against.Null(bins);
        return With(conversionTimeBins: bins);
    }

    /// <summary>Returns a query with the any-time, any-order semantics.</summary>
    /// <param name="counting">Uniques (the default) or totals.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="counting"/> is unknown.</exception>
    public FunnelQuery AnyOrder(CountMode counting = CountMode.Uniques)
    {
        CheckDefined(counting, nameof(counting));
        return With(reach: ReachMode.AnyOrder, counting: counting);
    }

    /// <summary>Returns a query with the implicit pass-through semantics (and <see cref="CountMode.Uniques"/>).</summary>
    /// <returns>The new query.</returns>
    public FunnelQuery PassThrough() => With(reach: ReachMode.PassThrough, counting: CountMode.Uniques);

    /// <summary>Returns a query that measures time in stage another way.</summary>
    /// <param name="mode">Every stay, the latest stay, or cumulative.</param>
    /// <param name="includeOpenStays">Whether an open lead's current stay (until the as-of time) is a sample too.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is unknown.</exception>
    public FunnelQuery WithTimeInStage(TimeInStageMode mode, bool includeOpenStays = false)
    {
        CheckDefined(mode, nameof(mode));
        return With(timeInStage: mode, includeOpenStays: includeOpenStays);
    }

    /// <summary>Returns a query restricted to leads whose first event lies in [<paramref name="from"/>, <paramref name="before"/>).</summary>
    /// <param name="from">The inclusive start, or <see langword="null"/> for none.</param>
    /// <param name="before">The exclusive end, or <see langword="null"/> for none.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentException"><paramref name="before"/> is not after <paramref name="from"/>.</exception>
    public FunnelQuery EnteredBetween(DateTimeOffset? from, DateTimeOffset? before)
    {
        if (from is { } f && before is { } b && b <= f)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The end of the entry range ({b:O}) must be after its start ({f:O})."),
                nameof(before));
        }

        return With(enteredFrom: from, enteredBefore: before, setRange: true);
    }

    /// <summary>Returns a query computed as of a time (later events are ignored; open leads are judged at it).</summary>
    /// <param name="asOf">The time, or <see langword="null"/> for the latest event in the input.</param>
    /// <returns>The new query.</returns>
    public FunnelQuery WithAsOf(DateTimeOffset? asOf) => With(asOf: asOf, setAsOf: true);

    /// <summary>Returns a query with another silence threshold for dropped leads.</summary>
    /// <param name="silentAfter">How long an open lead may go without an event before it counts as dropped; positive.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="silentAfter"/> is not positive.</exception>
    public FunnelQuery WithSilentAfter(TimeSpan silentAfter)
    {
        if (silentAfter <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(silentAfter), silentAfter, "The silence threshold must be positive.");
        }

        return With(silentAfter: silentAfter);
    }

    /// <summary>Returns a query with another confidence level for the Wilson intervals.</summary>
    /// <param name="level">The level in (0, 1), such as 0.9 or 0.99.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside (0, 1).</exception>
    public FunnelQuery WithConfidenceLevel(double level)
    {
        Guard.Against.OutsideOpenUnitInterval(level, "The confidence level must lie strictly between 0 and 1.");

        return With(confidenceLevel: level);
    }

    /// <summary>Returns a query with another minimum sample for the small-sample flag.</summary>
    /// <param name="minimumSample">The number of leads (trials) a rate needs not to be flagged; not negative (0 turns the flag off).</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumSample"/> is negative.</exception>
    public FunnelQuery WithMinimumSample(int minimumSample)
    {
        Guard.Against.NegativeNumber(minimumSample);
        return With(minimumSample: minimumSample);
    }

    /// <summary>Returns the semantics as text.</summary>
    /// <returns>
    /// A text such as <c>OrderedWindow(window unbounded, anchor First), Uniques, EveryStay</c>; the order, exclusions,
    /// optional steps, median and bins are added when not the defaults, such as
    /// <c>OrderedWindow(window 30.00:00:00, anchor Best, order Strict, exclude [lost:competitor@1-3], optional [demo]), Uniques, EveryStay, median Interpolated</c>.
    /// </returns>
    public override string ToString()
    {
        var modes = (Order == StepOrder.Ordered ? "" : $", order {Order}")
            + (Exclusions.IsEmpty ? "" : $", exclude [{string.Join(", ", Exclusions)}]")
            + (OptionalSteps.IsEmpty ? "" : $", optional [{string.Join(", ", OptionalSteps)}]");
        var reach = Reach == ReachMode.OrderedWindow
            ? string.Create(CultureInfo.InvariantCulture, $"OrderedWindow(window {(Window is { } w ? w.ToString() : "unbounded")}, anchor {Anchor}{(StepWindows.IsEmpty ? "" : $", steps [{string.Join(", ", StepWindows.Select(s => s?.ToString() ?? "-"))}]")}{modes})")
            : Reach.ToString() + (modes.Length == 0 ? "" : $"({modes[2..]})");
        return $"{reach}, {Counting}, {TimeInStage}{(IncludeOpenStays ? " incl. open stays" : "")}"
            + (Median == MedianKind.Lower ? "" : $", median {Median}")
            + (ConversionTimeBins.IsAutomatic ? "" : $", conversion bins {ConversionTimeBins}");
    }

    internal long? WindowSeconds => Window is { } w ? (long)Math.Floor(w.TotalSeconds) : null;

    /// <summary>The effective per-step windows in seconds for a definition (<see cref="long.MaxValue"/> for none), or <see langword="null"/> when no step is limited.</summary>
    /// <exception cref="ArgumentException">The query's step windows do not match the definition's number of steps.</exception>
    internal long[]? StepWindowSeconds(FunnelDefinition definition)
    {
        var steps = definition.Stages.Length - 1;
        ImmutableArray<TimeSpan?> windows = StepWindows.IsEmpty ? [.. definition.Stages.Skip(1).Select(s => s.StepWindow)] : StepWindows;
        if (windows.Length != steps)
        {
            throw new ArgumentException($"The query has {windows.Length} step windows, but funnel '{definition.Key}' has {steps} steps.");
        }

        return windows.All(w => w is null) ? null : [.. windows.Select(w => w is { } x ? (long)x.TotalSeconds : long.MaxValue)];
    }

    /// <summary>Refuses what an unordered funnel cannot have, naming the option.</summary>
    private void CheckUnordered(string parameter)
    {
        if (Order != StepOrder.Unordered)
        {
            return;
        }

        var conflict = !StepWindows.IsEmpty ? "per-step windows (StepWindows)"
            : !Exclusions.IsEmpty ? "exclusion steps (Exclusions)"
            : !OptionalSteps.IsEmpty ? "optional steps (OptionalSteps)"
            : null;
        if (conflict is not null)
        {
            throw new ArgumentException($"An unordered funnel (Order = Unordered) cannot have {conflict}: its steps have no order to measure them against.", parameter);
        }
    }

    /// <summary>Which steps are optional (by position) for a definition; refuses unknown keys and the first stage.</summary>
    /// <exception cref="ArgumentException">A key is not a stage of the definition, or it is the first stage.</exception>
    internal bool[] OptionalMask(FunnelDefinition definition)
    {
        var mask = new bool[definition.Stages.Length];
        foreach (var key in OptionalSteps)
        {
            var stage = definition.Stages.FirstOrDefault(st => st.Key.Value == key);
            if (stage is null)
            {
                throw new ArgumentException($"Optional step '{key}' (OptionalSteps) is not a stage of funnel '{definition.Key}'.");
            }

            if (stage.Order == 0)
            {
                throw new ArgumentException($"Optional step '{key}' (OptionalSteps) is the first stage of funnel '{definition.Key}', which is never optional.");
            }

            mask[stage.Order] = true;
        }

        return mask;
    }

    /// <summary>The exclusions resolved against a definition; refuses unknown keys, steps out of range and optional steps.</summary>
    /// <exception cref="ArgumentException">An exclusion names a stage or loss reason the definition lacks, a step past the last, or an optional step.</exception>
    internal FunnelAttempts.Exclusion[] ResolveExclusions(FunnelDefinition definition, bool[] optional)
    {
        var n = definition.Stages.Length;
        var resolved = new FunnelAttempts.Exclusion[Exclusions.Length];
        for (var e = 0; e < Exclusions.Length; e++)
        {
            var x = Exclusions[e];
            if (x.ToStep > n - 1)
            {
                throw new ArgumentException($"Exclusion '{x}' (Exclusions) ends at step {x.ToStep}, but funnel '{definition.Key}' has steps 0 to {n - 1}.");
            }

            if (optional[x.FromStep] || optional[x.ToStep])
            {
                var step = optional[x.FromStep] ? x.FromStep : x.ToStep;
                throw new ArgumentException($"Exclusion '{x}' (Exclusions) starts or ends at optional step {step} ('{definition.Stages[step].Key}'); an exclusion needs required steps.");
            }

            var stage = -1;
            var reason = -1;
            if (x.IsLoss)
            {
                if (x.LossReasonKey is { } key)
                {
                    reason = definition.LossReasons.IndexOf(definition.LossReasons.FirstOrDefault(r => r.Key.Value == key)!);
                    if (reason < 0)
                    {
                        throw new ArgumentException($"Exclusion '{x}' (Exclusions) names loss reason '{key}', which funnel '{definition.Key}' does not have.");
                    }
                }
            }
            else if (definition.Stages.FirstOrDefault(st => st.Key.Value == x.StageKey) is { } target)
            {
                stage = target.Order;
            }
            else
            {
                throw new ArgumentException($"Exclusion '{x}' (Exclusions) names stage '{x.StageKey}', which funnel '{definition.Key}' does not have.");
            }

            resolved[e] = new FunnelAttempts.Exclusion(stage, reason, x.FromStep, x.ToStep);
        }

        return resolved;
    }

    private static void CheckDefined<TEnum>(TEnum value, string name)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Unknown {typeof(TEnum).Name} value.");
        }
    }

    private FunnelQuery With(
        ReachMode? reach = null,
        TimeSpan? window = null,
        AnchorMode? anchor = null,
        CountMode? counting = null,
        TimeInStageMode? timeInStage = null,
        bool? includeOpenStays = null,
        DateTimeOffset? enteredFrom = null,
        DateTimeOffset? enteredBefore = null,
        DateTimeOffset? asOf = null,
        TimeSpan? silentAfter = null,
        double? confidenceLevel = null,
        int? minimumSample = null,
        bool setWindow = false,
        bool setRange = false,
        bool setAsOf = false,
        ImmutableArray<TimeSpan?>? stepWindows = null,
        StepOrder? order = null,
        ImmutableArray<FunnelExclusion>? exclusions = null,
        ImmutableArray<string>? optionalSteps = null,
        MedianKind? median = null,
        ConversionTimeBins? conversionTimeBins = null) =>
        new(
            reach ?? Reach,
            setWindow ? window : Window,
            anchor ?? Anchor,
            counting ?? Counting,
            timeInStage ?? TimeInStage,
            includeOpenStays ?? IncludeOpenStays,
            setRange ? enteredFrom : EnteredFrom,
            setRange ? enteredBefore : EnteredBefore,
            setAsOf ? asOf : AsOf,
            silentAfter ?? SilentAfter,
            confidenceLevel ?? ConfidenceLevel,
            minimumSample ?? MinimumSample)
        {
            StepWindows = stepWindows ?? StepWindows,
            Order = order ?? Order,
            Exclusions = exclusions ?? Exclusions,
            OptionalSteps = optionalSteps ?? OptionalSteps,
            Median = median ?? Median,
            ConversionTimeBins = conversionTimeBins ?? ConversionTimeBins,
        };
}
