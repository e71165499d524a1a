using System.Collections.Immutable;

namespace Funnel.Core.Metrics;

// Restoring a report from its independent numbers, with the checks that refuse numbers that contradict each other.
public sealed partial class FunnelReport
{
    /// <summary>
    /// Restores a report from its numbers, such as a stored or serialized report, without recomputing it from journeys
    /// or events. Only the independent numbers are given; the rest is derived exactly as <see cref="Compute(FunnelDefinition, IEnumerable{Journey}, FunnelQuery?)"/>
    /// derives it: <see cref="Leads"/> (won + lost + open), every <see cref="Proportion"/> (at the query's confidence
    /// level and minimum sample), the per-stage losses (the rows of <paramref name="lossesByStage"/>), the losses after
    /// a loss and at an unknown stage (with their recoverable split) and the total losses (the column sums of
    /// <paramref name="lossesByStage"/> plus both). The numbers are checked for consistency first.
    /// </summary>
    /// <param name="definition">The funnel definition the report is of.</param>
    /// <param name="query">The query the report was computed with.</param>
    /// <param name="asOf">The as-of time used (<see cref="AsOf"/>); must equal the query's when it has one, and may be <see langword="null"/> only when there are no leads.</param>
    /// <param name="won">The leads won (<see cref="Won"/>).</param>
    /// <param name="lost">The leads lost (<see cref="Lost"/>).</param>
    /// <param name="open">The leads still open (<see cref="Open"/>); the sum of <paramref name="dropped"/> and <paramref name="stillOpen"/>.</param>
    /// <param name="cycleTimeToWon">The cycle time of won leads (<see cref="CycleTimeToWon"/>), with one sample per won lead.</param>
    /// <param name="reached">Per stage, in stage order: <see cref="StageMetrics.Reached"/>.</param>
    /// <param name="convertedToNext">Per stage: <see cref="StageMetrics.ConvertedToNext"/>; at most the stage's reached count, 0 for the last stage.</param>
    /// <param name="reachedFromTop">
    /// Per stage: the leads that reached the first stage and this one (the successes of <see cref="StageMetrics.ConversionFromTop"/>);
    /// at most the first stage's and this stage's reached counts, and equal to the reached count for the first stage.
    /// Empty (or <see langword="default"/>) under <see cref="CountMode.Totals"/>, where there is no conversion from the top.
    /// </param>
    /// <param name="dropped">Per stage: <see cref="StageMetrics.Dropped"/>.</param>
    /// <param name="stillOpen">Per stage: <see cref="StageMetrics.StillOpen"/>.</param>
    /// <param name="timeInStage">Per stage: <see cref="StageMetrics.TimeInStage"/> (see <see cref="DurationSummary.FromAggregates(long, Int128, long, long, long)"/>).</param>
    /// <param name="timeAfterLoss">The time from a loss to the next event (<see cref="TimeAfterLoss"/>).</param>
    /// <param name="transitions">
    /// The counts of <see cref="Transitions"/>, row by row: (stages + 1) × (stages + 1), the last row and column for loss
    /// events. The lost column's row s equals row s of <paramref name="lossesByStage"/> in total, and its last count the
    /// total of <paramref name="lossesAfterLoss"/>.
    /// </param>
    /// <param name="lossesByStage">The counts of <see cref="LossesByStage"/>, row by row: stages × loss reasons.</param>
    /// <param name="lossesAfterLoss">The counts of <see cref="LossesAfterLoss"/>, one per loss reason in the definition's order.</param>
    /// <param name="lossesAtUnknownStage">The counts of <see cref="LossesAtUnknownStage"/>, one per loss reason; at most one per lead in total.</param>
    /// <param name="everWon">The leads won at some time (<see cref="EverWon"/>), from <paramref name="won"/> to the number of leads; <see langword="null"/> (for a report saved before the count existed) takes <paramref name="won"/>. Equal to <paramref name="won"/> under <see cref="OutcomeRule.Reached"/>.</param>
    /// <param name="conversionTimes">The time to convert of every step 1 … n − 1 (<see cref="ConversionTimes"/>), in step order; empty (or <see langword="default"/>, for a report saved before it existed) for empty summaries.</param>
    /// <param name="excluded">The leads dropped by exclusions (<see cref="Excluded"/>); not negative, at most the leads, 0 when the query has no exclusions.</param>
    /// <param name="lastStatusWon">The leads won after their last event (<see cref="LastStatusWon"/>), at most the leads ever won; <see langword="null"/> (for a report saved before the count existed) takes <paramref name="won"/>. Equal to <paramref name="won"/> under <see cref="OutcomeRule.LastStatus"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// A count is negative; a per-stage array does not have one value per stage of the definition, or a matrix the
    /// shape above; or the numbers contradict each other. The message names the value and the stage key.
    /// </exception>
    /// <example>
    /// <code>
    /// var copy = FunnelReport.Restore(report.Definition, report.Query, report.AsOf, report.Won, report.Lost, report.Open, report.CycleTimeToWon,
    ///     report.Reached, [.. report.Stages.Select(s => s.ConvertedToNext)], [.. report.Stages.Select(s => s.ConversionFromTop!.Value.Successes)],
    ///     [.. report.Stages.Select(s => s.Dropped)], [.. report.Stages.Select(s => s.StillOpen)], [.. report.Stages.Select(s => s.TimeInStage)],
    ///     report.TimeAfterLoss, report.Transitions.Counts, report.LossesByStage.Counts,
    ///     [.. report.LossesAfterLoss.ByReason.Select(r => r.Count)], [.. report.LossesAtUnknownStage.ByReason.Select(r => r.Count)]);
    /// </code>
    /// </example>
    public static FunnelReport Restore(
        FunnelDefinition definition,
        FunnelQuery query,
        DateTimeOffset? asOf,
        long won,
        long lost,
        long open,
        DurationSummary cycleTimeToWon,
        ImmutableArray<long> reached,
        ImmutableArray<long> convertedToNext,
        ImmutableArray<long> reachedFromTop,
        ImmutableArray<long> dropped,
        ImmutableArray<long> stillOpen,
        ImmutableArray<DurationSummary> timeInStage,
        DurationSummary timeAfterLoss,
        ImmutableArray<long> transitions,
        ImmutableArray<long> lossesByStage,
        ImmutableArray<long> lossesAfterLoss,
        ImmutableArray<long> lossesAtUnknownStage,
        long? everWon = null,
        long? lastStatusWon = null,
        ImmutableArray<StepConversionTime> conversionTimes = default,
        long excluded = 0)
    {
        Guard.Against.Null(definition);
        Guard.Against.Null(query);
        Guard.Against.NegativeNumber(won);
        Guard.Against.NegativeNumber(lost);
        Guard.Against.NegativeNumber(open);
        var n = definition.Stages.Length;
        var totals = query.Counting == CountMode.Totals;
        var reachedCounts = StageCounts(definition, reached, nameof(reached));
        var converted = StageCounts(definition, convertedToNext, nameof(convertedToNext));
        var fromTop = totals
            ? (reachedFromTop.IsDefaultOrEmpty ? null : throw new ArgumentException("Under CountMode.Totals there is no conversion from the top: reachedFromTop must be empty.", nameof(reachedFromTop)))
            : StageCounts(definition, reachedFromTop, nameof(reachedFromTop));
        var droppedCounts = StageCounts(definition, dropped, nameof(dropped));
        var stillOpenCounts = StageCounts(definition, stillOpen, nameof(stillOpen));
        if (timeInStage.IsDefault || timeInStage.Length != n)
        {
            throw new ArgumentException(StageCountMessage(definition, nameof(timeInStage), timeInStage.IsDefault ? 0 : timeInStage.Length), nameof(timeInStage));
        }

        var reasons = definition.LossReasons.Length;
        var transitionCounts = MatrixCounts(transitions, n + 1, n + 1, nameof(transitions), "(stages + 1) × (stages + 1)");
        var lossCounts = MatrixCounts(lossesByStage, n, reasons, nameof(lossesByStage), "stages × loss reasons");
        var afterLossCounts = ReasonCounts(definition, lossesAfterLoss, nameof(lossesAfterLoss));
        var unknownCounts = ReasonCounts(definition, lossesAtUnknownStage, nameof(lossesAtUnknownStage));

        var leads = won + lost + open;
        if (leads < 0 || leads - open != won + lost)
        {
            throw new ArgumentOutOfRangeException(nameof(open), open, "won + lost + open overflows.");
        }

        var wonOnce = everWon ?? won;
        if (wonOnce < won || wonOnce > leads)
        {
            throw new ArgumentOutOfRangeException(nameof(everWon), wonOnce, $"The leads ever won must be at least the won leads ({won}) and at most the leads ({leads}).");
        }

        var wonLast = lastStatusWon ?? won;
        if (wonLast < 0 || wonLast > wonOnce)
        {
            throw new ArgumentOutOfRangeException(nameof(lastStatusWon), wonLast, $"The leads won after their last event must be from 0 to the leads ever won ({wonOnce}).");
        }

        if (definition.Outcome == OutcomeRule.Reached ? wonOnce != won : wonLast != won)
        {
            throw new ArgumentException(
                definition.Outcome == OutcomeRule.Reached
                    ? $"Funnel '{definition.Key}' counts a lead won once it reaches the goal (outcome 'reached'): the leads ever won ({wonOnce}) must equal the won leads ({won})."
                    : $"Funnel '{definition.Key}' counts the status after the last event (outcome 'last-status'): the leads won after their last event ({wonLast}) must equal the won leads ({won}).",
                definition.Outcome == OutcomeRule.Reached ? nameof(everWon) : nameof(lastStatusWon));
        }

        CheckConsistency(definition, query, asOf, leads, reachedCounts, converted, fromTop);
        var openAtStages = 0L;
        for (var k = 0; k < n; k++)
        {
            openAtStages += droppedCounts[k] + stillOpenCounts[k];
        }

        if (openAtStages != open)
        {
            throw new ArgumentException($"The open leads ({open}) must be the sum of dropped and still open over all stages ({openAtStages}).", nameof(open));
        }

        if (cycleTimeToWon.Count != won)
        {
            throw new ArgumentException($"The cycle time to won must have one sample per won lead: {won} won, {cycleTimeToWon.Count} samples.", nameof(cycleTimeToWon));
        }

        CheckLossConsistency(definition, leads, transitionCounts, lossCounts, afterLossCounts, unknownCounts);
        var times = ConversionTimeCounts(definition, conversionTimes);
        if (excluded < 0 || excluded > leads || (excluded > 0 && query.Exclusions.IsEmpty))
        {
            throw new ArgumentOutOfRangeException(nameof(excluded), excluded, $"The excluded leads must be from 0 to the leads ({leads}), and 0 when the query has no exclusions.");
        }

        return Assemble(
            definition,
            query,
            asOf,
            new ReportCounts(
                won,
                wonOnce,
                wonLast,
                lost,
                open,
                cycleTimeToWon,
                reachedCounts,
                converted,
                fromTop,
                droppedCounts,
                stillOpenCounts,
                [.. timeInStage],
                timeAfterLoss,
                transitionCounts,
                lossCounts,
                afterLossCounts,
                unknownCounts,
                times,
                excluded));
    }

    private static void CheckConsistency(FunnelDefinition definition, FunnelQuery query, DateTimeOffset? asOf, long leads, long[] reached, long[] convertedToNext, long[]? reachedFromTop)
    {
        var n = definition.Stages.Length;
        var optional = query.OptionalMask(definition);
        if (query.AsOf is { } fixedAsOf && asOf != fixedAsOf)
        {
            throw new ArgumentException($"The as-of time must be the query's ({fixedAsOf:O}), not {(asOf is { } a ? a.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "none")}.", nameof(asOf));
        }

        if (asOf is null && leads > 0)
        {
            throw new ArgumentException($"A report with leads ({leads}) has an as-of time.", nameof(asOf));
        }

        if (convertedToNext[n - 1] != 0)
        {
            throw new ArgumentException($"convertedToNext of the last stage '{definition.Stages[n - 1].Key}' must be 0, not {convertedToNext[n - 1]}.", nameof(convertedToNext));
        }

        for (var k = 0; k < n; k++)
        {
            var key = definition.Stages[k].Key;
            if (convertedToNext[k] > reached[k])
            {
                throw new ArgumentException($"convertedToNext of stage '{key}' ({convertedToNext[k]}) must not exceed its reached count ({reached[k]}).", nameof(convertedToNext));
            }

            if (reachedFromTop is null)
            {
                continue;
            }

            if (reached[k] > leads)
            {
                throw new ArgumentException($"reached of stage '{key}' ({reached[k]}) must not exceed the leads ({leads}) when counting uniques.", nameof(reached));
            }

            var next = k + 1 < n ? ReportAccumulator.NextRequired(optional, k) : n;
            if (next < n && convertedToNext[k] > reached[next])
            {
                throw new ArgumentException($"convertedToNext of stage '{key}' ({convertedToNext[k]}) must not exceed the reached count of the next (required) stage ({reached[next]}) when counting uniques.", nameof(convertedToNext));
            }

            if (optional[k] && reached[k] > reached[PreviousRequired(optional, k)])
            {
                throw new ArgumentException($"reached of optional stage '{key}' ({reached[k]}) must not exceed the reached count of the previous required stage when counting uniques.", nameof(reached));
            }

            if (reachedFromTop[k] > reached[k] || reachedFromTop[k] > reached[0] || (k == 0 && reachedFromTop[0] != reached[0]))
            {
                throw new ArgumentException($"reachedFromTop of stage '{key}' ({reachedFromTop[k]}) must not exceed its reached count ({reached[k]}) nor the first stage's ({reached[0]}), and equals it for the first stage.", nameof(reachedFromTop));
            }
        }
    }

    /// <summary>Checks what holds under every query: each loss is a pair into the lost column, counted in exactly one place.</summary>
    private static void CheckLossConsistency(FunnelDefinition definition, long leads, long[] transitions, long[] lossesByStage, long[] lossesAfterLoss, long[] lossesAtUnknownStage)
    {
        var n = definition.Stages.Length;
        var reasons = definition.LossReasons.Length;
        for (var row = 0; row <= n; row++)
        {
            Int128 losses = 0;
            for (var c = 0; c < reasons; c++)
            {
                losses += row < n ? lossesByStage[(row * reasons) + c] : lossesAfterLoss[c];
            }

            var toLost = transitions[(row * (n + 1)) + n];
            if (losses != toLost)
            {
                throw row < n
                    ? new ArgumentException($"The losses at stage '{definition.Stages[row].Key}' total {losses}, but the transitions count {toLost} moves from it to lost; both count the loss events that follow an entry into that stage.", nameof(lossesByStage))
                    : new ArgumentException($"The losses after a loss total {losses}, but the transitions count {toLost} moves from lost to lost; both count the loss events that follow a loss event.", nameof(lossesAfterLoss));
            }
        }

        Int128 unknown = 0;
        foreach (var count in lossesAtUnknownStage)
        {
            unknown += count;
        }

        if (unknown > leads)
        {
            throw new ArgumentException($"{unknown} losses are a lead's first event, but there are only {leads} leads.", nameof(lossesAtUnknownStage));
        }
    }

    private static StepConversionTime[] ConversionTimeCounts(FunnelDefinition definition, ImmutableArray<StepConversionTime> conversionTimes)
    {
        var steps = definition.Stages.Length - 1;
        if (conversionTimes.IsDefaultOrEmpty)
        {
            return EmptyConversionTimes(definition.Stages.Length);
        }

        if (conversionTimes.Length != steps)
        {
            throw new ArgumentException($"conversionTimes must have one value per step of '{definition.Key}' ({steps}), not {conversionTimes.Length}.", nameof(conversionTimes));
        }

        for (var k = 0; k < steps; k++)
        {
            if (conversionTimes[k] is null || conversionTimes[k].Step != k + 1)
            {
                throw new ArgumentException($"conversionTimes[{k}] must be the time to convert into step {k + 1} ('{definition.Stages[k + 1].Key}'), not {(conversionTimes[k] is null ? "null" : $"step {conversionTimes[k].Step}")}.", nameof(conversionTimes));
            }
        }

        return [.. conversionTimes];
    }

    private static long[] StageCounts(FunnelDefinition definition, ImmutableArray<long> values, string name)
    {
        if (values.IsDefault || values.Length != definition.Stages.Length)
        {
            throw new ArgumentException(StageCountMessage(definition, name, values.IsDefault ? 0 : values.Length), name);
        }

        for (var k = 0; k < values.Length; k++)
        {
            if (values[k] < 0)
            {
                throw new ArgumentOutOfRangeException(name, values[k], $"{name} of stage '{definition.Stages[k].Key}' must not be negative.");
            }
        }

        return [.. values];
    }

    private static long[] ReasonCounts(FunnelDefinition definition, ImmutableArray<long> values, string name)
    {
        var reasons = definition.LossReasons;
        if (values.IsDefault || values.Length != reasons.Length)
        {
            throw new ArgumentException($"{name} must have one value per loss reason of '{definition.Key}' ({reasons.Length}), not {(values.IsDefault ? 0 : values.Length)}.", name);
        }

        for (var c = 0; c < values.Length; c++)
        {
            if (values[c] < 0)
            {
                throw new ArgumentOutOfRangeException(name, values[c], $"{name} of loss reason '{reasons[c].Key}' must not be negative.");
            }
        }

        return [.. values];
    }

    private static string StageCountMessage(FunnelDefinition definition, string name, int length) =>
        $"{name} must have one value per stage of '{definition.Key}' ({definition.Stages.Length}), not {length}.";

    private static long[] MatrixCounts(ImmutableArray<long> values, int rows, int columns, string name, string shape)
    {
        if (values.IsDefault || values.Length != rows * columns)
        {
            throw new ArgumentException($"{name} must have {shape} = {rows} × {columns} = {rows * columns} counts, not {(values.IsDefault ? 0 : values.Length)}.", name);
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] < 0)
            {
                throw new ArgumentOutOfRangeException(name, values[i], $"{name}[{i / columns}, {i % columns}] must not be negative.");
            }
        }

        return [.. values];
    }
}
