using Funnel.Core.Metrics;

namespace Funnel.Reporting.Tests.Text;

public class ReportTextFunnelModeTests
{
    [Fact]
    public void StepName_OrderedFunnel_IsTheStageNameWithOptionalStepsMarked()
    {
        var report = ModeData.Report(FunnelQuery.Default.WithOptionalSteps(["interest"]));

        Assert.Equal(["Attention", "Interest (optional)", "Desire (added to cart)", "Action (purchase)"], Enumerable.Range(0, 4).Select(k => ReportText.StepName(report, k)));
        Assert.True(ReportText.IsOptional(report, 1));
        Assert.False(ReportText.IsOptional(report, 2));
    }

    [Fact]
    public void StepName_UnorderedFunnel_CountsStepsInsteadOfNamingStages()
    {
        var report = ModeData.Report(FunnelQuery.Default.WithOrder(StepOrder.Unordered));

        Assert.Equal(["1 step", "2 steps", "3 steps", "4 steps"], Enumerable.Range(0, 4).Select(k => ReportText.StepName(report, k)));
        Assert.StartsWith("Unordered: a row counts the leads that entered that many distinct stages", ReportText.FunnelModes(report), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void StepName_OutsideTheFunnel_Throws(int step) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ReportText.StepName(ModeData.Report(FunnelQuery.Default), step));

    [Fact]
    public void MedianLegend_NamesEachKind()
    {
        Assert.StartsWith("Median: lower", ReportText.MedianLegend(MedianKind.Lower), StringComparison.Ordinal);
        Assert.StartsWith("Median: interpolated", ReportText.MedianLegend(MedianKind.Interpolated), StringComparison.Ordinal);
    }

    [Fact]
    public void FunnelModes_StrictWithExclusions_SaysBothAndCountsTheExcluded()
    {
        var query = FunnelQuery.Default.WithOrder(StepOrder.Strict).WithExclusions([FunnelExclusion.Loss(1, 3, "competitor"), FunnelExclusion.Stage("desire", 0, 1)]);

        var text = ReportText.FunnelModes(ModeData.ReportWithAnExcludedLead(query));

        Assert.Equal(
            "Strict order: a path allows no other event of the lead between two steps. Excluded: 1 lead, dropped by the exclusion steps "
                + "(a loss (Chose a competitor) between Interest and Action (purchase); an entry into Desire (added to cart) between Attention and Interest); "
                + "they count in no stage's reached, but in the outcomes, losses and time in stage.",
            text);
    }

    [Fact]
    public void FunnelModes_DefaultQuery_IsEmpty() => Assert.Equal(string.Empty, ReportText.FunnelModes(ModeData.Report(FunnelQuery.Default)));
}
