using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

/// <summary>Hand-written sales examples of the funnel modes of issue 22, one per rule (docs/metrics.md, "Funnel modes").</summary>
public sealed class FunnelModesTests
{
    internal static readonly FunnelDefinition Sales = new FunnelDefinitionBuilder("sales")
        .AddStage("contact").AddStage("qualification").AddStage("proposal").AddStage("contract")
        .WonAt("contract")
        .WithTransitionOptions(TransitionOptions.FreeForm)
        .AddLossReason("price").AddLossReason("competitor")
        .Build();

    private static FunnelReport Report(FunnelQuery query, params FunnelEvent[] log) => FunnelReport.Compute(Sales, log, query);

    [Fact]
    public void Strict_a_repeat_of_the_proposal_breaks_the_path()
    {
        FunnelEvent[] log = [Enter("X", "contact", 0), Enter("X", "qualification", 1), Enter("X", "proposal", 2), Enter("X", "proposal", 3), Enter("X", "contract", 4)];

        Assert.Equal([1L, 1, 1, 1], Report(FunnelQuery.Default, log).Reached.ToArray());
        Assert.Equal([1L, 1, 1, 0], Report(FunnelQuery.Default.WithOrder(StepOrder.Strict), log).Reached.ToArray());
    }

    [Fact]
    public void Strict_a_loss_between_two_steps_breaks_the_path()
    {
        FunnelEvent[] log = [Enter("X", "contact", 0), Lose("X", "contact", 1, "price"), Enter("X", "qualification", 2)];

        Assert.Equal([1L, 0, 0, 0], Report(FunnelQuery.Default.WithOrder(StepOrder.Strict), log).Reached.ToArray());
    }

    [Fact]
    public void Strict_events_in_one_second_may_be_taken_in_any_order()
    {
        // contact@0, qualification, proposal and a second qualification all at 5 h: the extra one goes after the chain.
        FunnelEvent[] log = [Enter("X", "contact", 0), Enter("X", "qualification", 5), Enter("X", "proposal", 5), Enter("X", "qualification", 5)];

        Assert.Equal([1L, 1, 1, 0], Report(FunnelQuery.Default.WithOrder(StepOrder.Strict), log).Reached.ToArray());
    }

    [Fact]
    public void Unordered_counts_distinct_steps_in_any_order()
    {
        // The contract came first, then a proposal and the contact: three distinct steps, whichever.
        FunnelEvent[] log = [Enter("X", "contract", 0), Enter("X", "proposal", 1), Enter("X", "contact", 2), Enter("X", "proposal", 3)];
        var report = Report(FunnelQuery.Default.WithOrder(StepOrder.Unordered), log);

        Assert.True(report.IsUnordered);
        Assert.Equal([1L, 1, 1, 0], report.Reached.ToArray());
        Assert.Equal(TimeSpan.FromHours(2), report.ConversionTimes[1].FromAnchor.Median);
    }

    [Fact]
    public void Exclusion_lost_to_competitor_between_qualification_and_proposal_drops_the_lead()
    {
        FunnelEvent[] log =
        [
            Enter("A", "contact", 0), Enter("A", "qualification", 1), Lose("A", "qualification", 2, "competitor"), Enter("A", "proposal", 3),
            Enter("B", "contact", 0), Enter("B", "qualification", 1), Lose("B", "qualification", 2, "price"), Enter("B", "proposal", 3),
        ];
        var report = Report(FunnelQuery.Default.WithExclusions([FunnelExclusion.Loss(1, 2, "competitor")]), log);

        Assert.Equal(1, report.Excluded);
        Assert.Equal([1L, 1, 1, 0], report.Reached.ToArray());
        Assert.Equal(2, report.Leads);
        Assert.Equal(2, report.Losses.Total);
    }

    [Fact]
    public void Exclusion_in_the_same_second_as_a_step_does_not_disqualify()
    {
        FunnelEvent[] log = [Enter("A", "contact", 0), Enter("A", "qualification", 1), Lose("A", "qualification", 2, "competitor"), Enter("A", "proposal", 2)];

        Assert.Equal(0, Report(FunnelQuery.Default.WithExclusions([FunnelExclusion.Loss(1, 2)]), log).Excluded);
    }

    [Fact]
    public void Exclusion_with_best_anchor_counts_the_clean_attempt()
    {
        // The first attempt was lost to a competitor before the qualification, the second went clean: with Best the
        // clean one counts; with the first anchor the lead is dropped.
        FunnelEvent[] log = [Enter("A", "contact", 0), Lose("A", "contact", 1, "competitor"), Enter("A", "qualification", 2), Enter("A", "contact", 10), Enter("A", "qualification", 11)];
        var query = FunnelQuery.Default.Ordered(null, AnchorMode.Best).WithExclusions([FunnelExclusion.Loss(0, 1, "competitor")]);
        var report = Report(query, log);

        Assert.Equal(0, report.Excluded);
        Assert.Equal([1L, 1, 0, 0], report.Reached.ToArray());
        Assert.Equal(TimeSpan.FromHours(1), report.ConversionTimes[0].FromAnchor.Median);
        Assert.Equal(1, Report(FunnelQuery.Default.WithExclusions(query.Exclusions), log).Excluded);
    }

    [Fact]
    public void Optional_qualification_may_be_skipped()
    {
        FunnelEvent[] log =
        [
            Enter("A", "contact", 0), Enter("A", "proposal", 1), Enter("A", "contract", 2),
            Enter("B", "contact", 0), Enter("B", "qualification", 1), Enter("B", "proposal", 2),
        ];
        var report = Report(FunnelQuery.Default.WithOptionalSteps(["qualification"]), log);

        Assert.Equal([2L, 1, 2, 1], report.Reached.ToArray());

        // The rate into the proposal is out of the contacts (the previous required step), not out of the qualified.
        Assert.Equal((2L, 2L), (report.Stages[2].ConversionFromPrevious.Successes, report.Stages[2].ConversionFromPrevious.Trials));
        Assert.Equal((1L, 2L), (report.Stages[1].ConversionFromPrevious.Successes, report.Stages[1].ConversionFromPrevious.Trials));
        Assert.Equal([2L, 1, 1, 0], Report(FunnelQuery.Default, log).Reached.ToArray());
    }

    [Fact]
    public void Best_anchor_counts_the_second_attempt()
    {
        // A first contact that went nowhere in the 2-hour window, a second contact that got to the proposal.
        FunnelEvent[] log = [Enter("X", "contact", 0), Enter("X", "contact", 10), Enter("X", "qualification", 11), Enter("X", "proposal", 12)];

        Assert.Equal([1L, 0, 0, 0], Report(FunnelQuery.Default.Ordered(TimeSpan.FromHours(2)), log).Reached.ToArray());
        var best = Report(FunnelQuery.Default.Ordered(TimeSpan.FromHours(2), AnchorMode.Best), log);
        Assert.Equal([1L, 1, 1, 0], best.Reached.ToArray());
        Assert.Equal(TimeSpan.FromHours(2), best.ConversionTimes[1].FromAnchor.Median);
    }

    [Fact]
    public void Best_anchor_ties_go_to_the_earliest_anchor()
    {
        // Two attempts reach the qualification: in 1 hour from 0 h and in 30 minutes from 5 h. The earliest counts.
        FunnelEvent[] log = [Enter("X", "contact", 0), Enter("X", "qualification", 1), Enter("X", "contact", 5), Enter("X", "qualification", 5.5)];
        var report = Report(FunnelQuery.Default.Ordered(null, AnchorMode.Best), log);

        Assert.Equal(TimeSpan.FromHours(1), report.ConversionTimes[0].FromAnchor.Median);
    }

    [Fact]
    public void Time_to_convert_is_measured_from_the_anchor_and_from_the_previous_step()
    {
        FunnelEvent[] log =
        [
            Enter("A", "contact", 0), Enter("A", "qualification", 1), Enter("A", "proposal", 4),
            Enter("B", "contact", 0), Enter("B", "qualification", 2), Enter("B", "proposal", 3),
        ];
        var step = Report(FunnelQuery.Default, log).ConversionTimes[1];

        Assert.Equal(2, step.Step);
        Assert.Equal((long)(7 * 3600), step.FromAnchor.TotalSeconds);
        Assert.Equal((long)(4 * 3600), step.FromPrevious.TotalSeconds);
        Assert.Equal(2, step.FromAnchorHistogram.Total);
    }

    [Fact]
    public void Interpolated_median_of_one_and_two_hours_is_ninety_minutes()
    {
        var summary = DurationSummary.FromSeconds([3600, 7200]);

        Assert.Equal(TimeSpan.FromHours(1), summary.Median);
        Assert.Equal(TimeSpan.FromHours(1), summary.MedianOf(MedianKind.Lower));
        Assert.Equal(TimeSpan.FromMinutes(90), summary.MedianOf(MedianKind.Interpolated));
        Assert.Equal(1.5, DurationSummary.FromSeconds([1, 2]).MedianSecondsOf(MedianKind.Interpolated));
        Assert.Equal(0, default(DurationSummary).MedianSecondsOf(MedianKind.Interpolated));
    }

    [Fact]
    public void Automatic_histogram_of_zero_one_and_two_hours_has_three_hour_wide_bins()
    {
        var histogram = DurationHistogram.Automatic([0, 3600, 7200]);

        Assert.Equal([new DurationBin(0, 3600, 1), new DurationBin(3600, 7200, 1), new DurationBin(7200, 10800, 1)], histogram.Bins.ToArray());
        Assert.Empty(DurationHistogram.Automatic([]).Bins);
        Assert.Equal([new DurationBin(42, 43, 1)], DurationHistogram.Automatic([42]).Bins.ToArray());
    }

    [Fact]
    public void Explicit_histogram_edges_add_open_bins_at_both_ends()
    {
        var bins = ConversionTimeBins.Edges([TimeSpan.FromHours(1), TimeSpan.FromDays(1)]);
        var histogram = bins.Histogram([0, 3600, 90_000]);

        Assert.Equal([new DurationBin(null, 3600, 1), new DurationBin(3600, 86_400, 1), new DurationBin(86_400, null, 1)], histogram.Bins.ToArray());
        Assert.Equal(histogram, DurationHistogram.FromBins(histogram.Bins));
    }

    [Fact]
    public void Unordered_refuses_exclusions_optional_steps_and_step_windows_naming_the_option()
    {
        var withExclusion = FunnelQuery.Default.WithExclusions([FunnelExclusion.Loss(0, 1)]);
        Assert.Contains("Exclusions", Assert.Throws<ArgumentException>(() => withExclusion.WithOrder(StepOrder.Unordered)).Message, StringComparison.Ordinal);
        Assert.Contains("OptionalSteps", Assert.Throws<ArgumentException>(() => FunnelQuery.Default.WithOptionalSteps(["proposal"]).WithOrder(StepOrder.Unordered)).Message, StringComparison.Ordinal);
        Assert.Contains("StepWindows", Assert.Throws<ArgumentException>(() => FunnelQuery.Default.WithOrder(StepOrder.Unordered).WithStepWindows([null, null, null])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Optional_and_exclusion_errors_name_the_option_and_the_stage()
    {
        FunnelEvent[] log = [Enter("X", "contact", 0)];
        Assert.Contains("'demo' (OptionalSteps)", Assert.Throws<ArgumentException>(() => Report(FunnelQuery.Default.WithOptionalSteps(["demo"]), log)).Message, StringComparison.Ordinal);
        Assert.Contains("first stage", Assert.Throws<ArgumentException>(() => Report(FunnelQuery.Default.WithOptionalSteps(["contact"]), log)).Message, StringComparison.Ordinal);
        var atOptional = FunnelQuery.Default.WithOptionalSteps(["qualification"]).WithExclusions([FunnelExclusion.Loss(1, 2)]);
        Assert.Contains("optional step 1 ('qualification')", Assert.Throws<ArgumentException>(() => Report(atOptional, log)).Message, StringComparison.Ordinal);
        Assert.Contains("'demo'", Assert.Throws<ArgumentException>(() => Report(FunnelQuery.Default.WithExclusions([FunnelExclusion.Stage("demo", 0, 1)]), log)).Message, StringComparison.Ordinal);
        Assert.Contains("Order", Assert.Throws<ArgumentException>(() => Report(FunnelQuery.Default.WithOrder(StepOrder.Strict).AnyOrder(), log)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_names_the_new_options()
    {
        var query = FunnelQuery.Default.Ordered(TimeSpan.FromDays(30), AnchorMode.Best).WithOrder(StepOrder.Strict)
            .WithExclusions([FunnelExclusion.Loss(1, 3, "competitor")]).WithOptionalSteps(["qualification"]).WithMedian(MedianKind.Interpolated)
            .WithConversionTimeBins(ConversionTimeBins.Edges([TimeSpan.FromHours(1)]));

        Assert.Equal(
            "OrderedWindow(window 30.00:00:00, anchor Best, order Strict, exclude [lost:competitor@1-3], optional [qualification]), Uniques, EveryStay, median Interpolated, conversion bins edges [3600]",
            query.ToString());
    }
}
