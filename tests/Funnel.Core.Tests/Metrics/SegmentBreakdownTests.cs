using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

public sealed class SegmentBreakdownTests
{
    // The five-lead log of FunnelReportTests, with traffic sources: L1, L2 google; L3, L4 ads; L5 mail.
    private static readonly FunnelEvent[] Log =
    [
        Enter("L1", "a", 0, "google"), Enter("L2", "a", 0, "google"), Enter("L3", "b", 0, "ads"), Enter("L4", "a", 0, "ads"), Enter("L5", "a", 0, "mail"),
        Enter("L1", "b", 1), Enter("L3", "a", 1), Enter("L4", "c", 1),
        Enter("L2", "b", 2), Enter("L5", "a", 2), Lose("L4", "c", 2, "competitor"),
        Enter("L1", "c", 3), Enter("L3", "b", 4), Lose("L2", "b", 5, "price"),
        Enter("L1", "d", 6), Enter("L5", "b", 10),
    ];

    [Fact]
    public void Compute_EventSegment_SplitsAndMergesSmallSegmentsIntoOther()
    {
        var breakdown = SegmentBreakdown.Compute(Abcd, Log, SegmentKey.EventSegment, minimumLeads: 2);

        Assert.Equal(["ads", "google", SegmentBreakdown.OtherLabel], breakdown.Segments.Select(s => s.Name));
        var other = breakdown[SegmentBreakdown.OtherLabel];
        Assert.True(other.IsOther);
        Assert.Equal(["mail"], other.Members.ToArray());
        Assert.Equal((1L, 2L), (breakdown["google"].Report.OverallConversion.Successes, breakdown["google"].Report.OverallConversion.Trials));
        Assert.Equal([2L, 2, 1, 1], breakdown["google"].Report.Reached.ToArray());
        Assert.Equal(0, breakdown["ads"].Report.Won);
        Assert.Equal(5, breakdown.Total.Leads);
        Assert.Throws<KeyNotFoundException>(() => breakdown["mail"]);
    }

    [Fact]
    public void Compute_SegmentsUseTheTotalsAsOf()
    {
        // Alone, the google leads would end at 6 h; in the breakdown they are judged at 10 h like everyone.
        var breakdown = SegmentBreakdown.Compute(Abcd, Log, SegmentKey.EventSegment);
        Assert.All(breakdown.Segments, s => Assert.Equal(At(10), s.Report.AsOf));
    }

    [Fact]
    public void CompareOverallConversion_OnTinySegments_IsThePermutationTestNotTheChiSquare()
    {
        var breakdown = SegmentBreakdown.Compute(Abcd, Log, SegmentKey.EventSegment, minimumLeads: 2);

        // One win among five leads: every permutation is at least as extreme, so the exact p-value is 1 (chi-square said 0.39).
        Assert.Equal(Statistics.HomogeneityTest([0, 1, 0], [2, 2, 1]), breakdown.CompareOverallConversion());
        Assert.Equal(1.0, breakdown.CompareOverallConversion().PValue, 12);
        Assert.True(breakdown.CompareOverallConversion().IsSmallSample);
        Assert.Equal(Statistics.CompareProportions(1, 2, 0, 2), breakdown.Compare("google", "ads"));
        // Into b from a: ads 1 of 2 (L4 skipped to c), google 2 of 2, other 1 of 1.
        Assert.Equal(Statistics.HomogeneityTest([1, 2, 1], [2, 2, 1]), breakdown.CompareConversion("b"));
    }

    [Fact]
    public void Compute_JourneyAttribute_LeadsWithoutItGoToNone()
    {
        Journey[] journeys =
        [
            Start("J1", 0, ("source", "seo")).Move("b", 1),
            Start("J2", 0, ("source", "seo")),
            Start("J3", 0),
        ];
        var breakdown = SegmentBreakdown.Compute(Abcd, journeys, SegmentKey.Attribute("source"), minimumLeads: 5);

        // seo has 2 < 5 leads and goes to the other bucket; the none segment is never merged.
        Assert.Equal([SegmentBreakdown.NoneLabel, SegmentBreakdown.OtherLabel], breakdown.Segments.Select(s => s.Name));
        Assert.Equal(["seo"], breakdown[SegmentBreakdown.OtherLabel].Members.ToArray());
        Assert.Equal(1, breakdown[SegmentBreakdown.NoneLabel].Report.Leads);
    }

    [Fact]
    public void Compute_ValueEqualToABucketLabel_ThrowsNamingTheLead()
    {
        var error = Assert.Throws<MetricsInputException>(() =>
            SegmentBreakdown.Compute(Abcd, [Enter("odd", "a", 0, SegmentBreakdown.OtherLabel)], SegmentKey.EventSegment));
        Assert.Equal("odd", error.EntityId);
    }

    [Fact]
    public void Compute_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => SegmentBreakdown.Compute(Abcd, Log, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => SegmentBreakdown.Compute(Abcd, Log, SegmentKey.EventSegment, minimumLeads: -1));
        Assert.Throws<ArgumentException>(() => SegmentKey.Attribute(" "));
    }

    [Fact]
    public void EventSegmentNamed_ReadsTheEventSegment_UnderTheColumnsName()
    {
        var named = SegmentBreakdown.Compute(Abcd, Log, SegmentKey.EventSegmentNamed("source"), minimumLeads: 2);
        var plain = SegmentBreakdown.Compute(Abcd, Log, SegmentKey.EventSegment, minimumLeads: 2);

        Assert.Equal("source", named.Key.Name);
        Assert.Null(named.Key.AttributeName);
        Assert.Equal(plain.Segments.Select(s => (s.Name, s.Report.Leads, s.Report.Won)), named.Segments.Select(s => (s.Name, s.Report.Leads, s.Report.Won)));
        Assert.Throws<ArgumentException>(() => SegmentKey.EventSegmentNamed(" "));
    }
}
