using System.Collections.Immutable;
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Reporting.Internal;

namespace Funnel.Reporting;

/// <summary>
/// The human-readable texts that every rendering of a report shares (the HTML report, the SVG chart and the
/// <c>funnel</c> tool's tables): durations as <c>1 d 4 h</c>, timestamps as dates in UTC, the words for the states of a
/// lead that is neither won nor lost, and the data-quality findings as sentences. Machine formats (JSON, CSV) keep
/// seconds and ISO 8601 instead.
/// </summary>
/// <remarks>Every text is culture-invariant. This type is stateless and thread-safe.</remarks>
public static class ReportText
{
    /// <summary>The word for a lead that is neither won nor lost after its last event (the report's open leads).</summary>
    public const string NotClosed = "not closed";

    /// <summary>The word for a not-closed lead that had an event recently (still in the funnel).</summary>
    public const string Active = "active";

    /// <summary>The word for a not-closed lead that went silent.</summary>
    public const string Dropped = "dropped";

    /// <summary>The text for a number that does not apply (such as the conversion to the next stage of the last stage).</summary>
    public const string NotApplicable = "–";

    /// <summary>
    /// Formats a duration in its two largest units, rounded to the smaller one: <c>1 d 0 h</c>, <c>16 h 54 min</c>,
    /// <c>4 min 5 s</c>, <c>42 s</c>.
    /// </summary>
    /// <param name="value">The duration; a negative one gets a minus sign.</param>
    /// <returns>The text.</returns>
    public static string Duration(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            return "−" + Duration(value.Duration());
        }

        var seconds = (long)Math.Round(value.TotalSeconds, MidpointRounding.AwayFromZero);
        if (seconds >= 86_400)
        {
            var hours = (long)Math.Round(value.TotalHours, MidpointRounding.AwayFromZero);
            return string.Create(CultureInfo.InvariantCulture, $"{hours / 24} d {hours % 24} h");
        }

        if (seconds >= 3_600)
        {
            var minutes = (long)Math.Round(value.TotalMinutes, MidpointRounding.AwayFromZero);
            return minutes >= 24 * 60 ? "1 d 0 h" : string.Create(CultureInfo.InvariantCulture, $"{minutes / 60} h {minutes % 60} min");
        }

        return seconds >= 60
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60} min {seconds % 60} s")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds} s");
    }

    /// <summary>Formats a duration given in seconds; see <see cref="Duration(TimeSpan)"/>.</summary>
    /// <param name="seconds">The duration in seconds.</param>
    /// <returns>The text.</returns>
    public static string Duration(double seconds) =>
        Duration(double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue);

    /// <summary>Formats a point in time as its date and minute in UTC, with the zone stated: <c>2026-01-05 14:30 UTC</c>.</summary>
    /// <param name="value">The point in time.</param>
    /// <returns>The text.</returns>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>
    /// The legend of the words for a lead that is neither won nor lost: <see cref="NotClosed"/>, <see cref="Active"/>
    /// and <see cref="Dropped"/>, with the report's silence threshold.
    /// </summary>
    /// <param name="query">The query of the report (its <see cref="FunnelQuery.SilentAfter"/>).</param>
    /// <returns>One sentence.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    public static string NotClosedLegend(FunnelQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var silence = Duration(query.SilentAfter);
        return $"Not closed: neither won nor lost after the lead's last event. Each not-closed lead is either active (an event within {silence} of the report's as-of time: still in the funnel) or dropped (silent for longer), counted at the stage of its last event.";
    }

    /// <summary>
    /// The data-quality findings as sentences, one per check, with stage display names: the moves the definition does
    /// not allow (their number by shape and the most frequent pairs), and the events dated before their lead's entry.
    /// </summary>
    /// <param name="quality">The findings.</param>
    /// <param name="topMoves">How many of the most frequent disallowed moves to name; 5 by default.</param>
    /// <returns>The sentences.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="quality"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topMoves"/> is negative.</exception>
    public static ImmutableArray<string> DataQuality(DataQualityReport quality, int topMoves = 5)
    {
        ArgumentNullException.ThrowIfNull(quality);
        ArgumentOutOfRangeException.ThrowIfNegative(topMoves);
        var lines = ImmutableArray.CreateBuilder<string>();
        if (quality.DisallowedMoveCount == 0)
        {
            lines.Add("Every move between stages is one the definition allows.");
        }
        else
        {
            var kinds = new (TransitionKind Kind, string One, string Many)[]
                {
                    (TransitionKind.Back, "back move", "back moves"), (TransitionKind.Reentry, "re-entry", "re-entries"),
                    (TransitionKind.Skip, "skip", "skips"), (TransitionKind.Forward, "forward move", "forward moves"),
                }
                .Select(k => (k.One, k.Many, Count: quality.CountDisallowed(k.Kind)))
                .Where(k => k.Count > 0)
                .Select(k => Counted(k.Count, k.One, k.Many));
            var shown = quality.DisallowedMoves.Take(topMoves).Select(m => $"{m.From.DisplayName} → {m.To.DisplayName} {Format.Count(m.Count)}").ToList();
            var top = shown.Count == 0 ? string.Empty
                : shown.Count == quality.DisallowedMoves.Length ? $": {string.Join(", ", shown)}"
                : $"; the {shown.Count} most frequent: {string.Join(", ", shown)}";
            lines.Add($"{Counted(quality.DisallowedMoveCount, "move", "moves")} not allowed by the definition ({string.Join(", ", kinds)}){top}. They are counted like any other move.");
        }

        if (quality.EventsBeforeEntry > 0)
        {
            var first = quality.Definition.FirstStage.DisplayName;
            var wonOnlyBefore = quality.LeadsWonOnlyBeforeEntry;
            var won = wonOnlyBefore == 0 ? string.Empty
                : $" {Format.Count(wonOnlyBefore)} of these leads entered the goal stage {quality.Definition.GoalStage.DisplayName} only before that: ordered by time, {(wonOnlyBefore == 1 ? "it ends at an earlier stage and counts" : "they end at an earlier stage and count")} as not won.";
            lines.Add($"{Counted(quality.EventsBeforeEntry, "event", "events")} of {Counted(quality.LeadsWithEventsBeforeEntry, "lead", "leads")} {(quality.EventsBeforeEntry == 1 ? "is" : "are")} dated before the lead's first entry into {first} (a negative time since entering the funnel; usually a wrong date).{won}");
        }
        else
        {
            lines.Add($"No event is dated before its lead's first entry into {quality.Definition.FirstStage.DisplayName}.");
        }

        return lines.ToImmutable();
    }

    /// <summary>
    /// The label of a row of the report's funnel: the stage's display name, marked <c>(optional)</c> for an optional
    /// step (<see cref="FunnelQuery.OptionalSteps"/>); for an unordered funnel (<see cref="FunnelReport.IsUnordered"/>),
    /// whose row k counts the leads that entered k + 1 distinct stages whichever they were, <c>1 step</c>,
    /// <c>2 steps</c>, … instead of a stage name.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="step">The 0-based row (step).</param>
    /// <returns>The label.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is not a row of the report.</exception>
    public static string StepName(FunnelReport report, int step)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, report.Stages.Length);
        if (report.IsUnordered)
        {
            return step == 0 ? "1 step" : string.Create(CultureInfo.InvariantCulture, $"{step + 1} steps");
        }

        var stage = report.Stages[step].Stage;
        return IsOptional(report, step) ? stage.DisplayName + " (optional)" : stage.DisplayName;
    }

    /// <summary>Gets a value indicating whether a step of the report is optional (<see cref="FunnelQuery.OptionalSteps"/>).</summary>
    /// <param name="report">The report.</param>
    /// <param name="step">The 0-based step.</param>
    /// <returns><see langword="true"/> when a path may skip the step.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static bool IsOptional(FunnelReport report, int step)
    {
        ArgumentNullException.ThrowIfNull(report);
        return !report.IsUnordered && step >= 0 && step < report.Stages.Length && report.Query.OptionalSteps.Contains(report.Stages[step].Stage.Key.Value);
    }

    /// <summary>
    /// Names the median a report shows (<see cref="FunnelQuery.Median"/>), for a legend: <c>Median: lower (the middle
    /// value, of an even count the lower of the two; an observed duration).</c> or <c>Median: interpolated (the mean of
    /// the two middle values of an even count).</c>
    /// </summary>
    /// <param name="kind">The median kind.</param>
    /// <returns>One sentence.</returns>
    public static string MedianLegend(MedianKind kind) => kind == MedianKind.Interpolated
        ? "Median: interpolated (of an even count, the mean of the two middle values)."
        : "Median: lower (the middle value; of an even count, the lower of the two middle values, so always an observed duration).";

    /// <summary>
    /// The step order and the exclusion steps of a report as one sentence, or an empty text for an ordered funnel
    /// without exclusions: <c>Strict order: no other event between two steps. Excluded: 3 leads, dropped by the
    /// exclusion steps (a loss (Chose a competitor) between Interest and Action); they count in no stage's reached,
    /// but in the outcomes, losses and time in stage.</c>
    /// </summary>
    /// <param name="report">The report.</param>
    /// <returns>The text, or an empty one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static string FunnelModes(FunnelReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var query = report.Query;
        var parts = new List<string>();
        if (query.Reach == ReachMode.OrderedWindow && query.Order == StepOrder.Strict)
        {
            parts.Add("Strict order: a path allows no other event of the lead between two steps.");
        }
        else if (report.IsUnordered)
        {
            parts.Add("Unordered: a row counts the leads that entered that many distinct stages of the funnel within the window, in any order.");
        }

        if (!query.OptionalSteps.IsEmpty)
        {
            parts.Add($"Optional steps (a path may skip them): {string.Join(", ", query.OptionalSteps.Select(k => report.Definition.TryGetStage(k, out var s) ? s.DisplayName : k))}.");
        }

        if (!query.Exclusions.IsEmpty)
        {
            var steps = string.Join("; ", query.Exclusions.Select(e => Exclusion(report.Definition, e)));
            parts.Add($"Excluded: {Counted(report.Excluded, "lead", "leads")}, dropped by the exclusion steps ({steps}); they count in no stage's reached, but in the outcomes, losses and time in stage.");
        }

        return string.Join(" ", parts);
    }

    /// <summary>An exclusion step in words: <c>an entry into Demo between Interest and Action</c>, <c>a loss (Price too high) between …</c>.</summary>
    private static string Exclusion(FunnelDefinition definition, FunnelExclusion exclusion)
    {
        string Name(int step) => step < definition.Stages.Length ? definition.Stages[step].DisplayName : step.ToString(CultureInfo.InvariantCulture);
        var target = exclusion.IsLoss
            ? exclusion.LossReasonKey is { } reason ? $"a loss ({(definition.TryGetLossReason(reason, out var r) ? r.DisplayName : reason)})" : "a loss"
            : $"an entry into {(definition.TryGetStage(exclusion.StageKey!, out var s) ? s.DisplayName : exclusion.StageKey)}";
        return $"{target} between {Name(exclusion.FromStep)} and {Name(exclusion.ToStep)}";
    }

    private static string Counted(long count, string one, string many) => $"{Format.Count(count)} {(count == 1 ? one : many)}";
}
