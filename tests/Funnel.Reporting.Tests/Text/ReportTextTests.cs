using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Reporting.Tests.Text;

public class ReportTextTests
{
    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(42.4, "42 s")]
    [InlineData(245, "4 min 5 s")]
    [InlineData(3599.4, "59 min 59 s")]
    [InlineData(3599.6, "1 h 0 min")]
    [InlineData(60_840, "16 h 54 min")]
    [InlineData(86_399, "1 d 0 h")]
    [InlineData(86_400, "1 d 0 h")]
    [InlineData(86_400 + (10 * 3600) + 1800, "1 d 11 h")]
    [InlineData(-90, "−1 min 30 s")]
    public void Duration_GivesTheTwoLargestUnits(double seconds, string expected) =>
        Assert.Equal(expected, ReportText.Duration(seconds));

    [Fact]
    public void Timestamp_IsTheDateAndMinuteInUtcWithTheZoneStated() =>
        Assert.Equal("2026-01-05 07:30 UTC", ReportText.Timestamp(new DateTimeOffset(2026, 1, 5, 9, 30, 59, TimeSpan.FromHours(2))));

    [Fact]
    public void DataQuality_NamesTheShapesTheTopPairsAndTheWonDealsAnEarlyDateHid()
    {
        // AIDA, forward only. Lead 0: attention, interest, attention, interest (back once); lead 1: attention twice
        // (a re-entry), and an action dated before its entry (the export's purchase date is wrong). Ties are listed in stage order.
        var aida = FunnelTemplates.Aida;
        var log = TransitionLog.Create(
            [0, 0, 0, 0, 1, 1, 1],
            new short[] { 0, 1, 0, 1, 0, 0, 3 },
            new long[] { 1, 2, 3, 4, 10, 11, 5 },
            new short[] { -1, -1, -1, -1, -1, -1, -1 });
        var quality = DataQualityReport.Compute(aida, new TransitionAnalyzer(aida, TimeSpan.FromDays(1)).Analyze(log).Transitions, log);

        var lines = ReportText.DataQuality(quality, topMoves: 2);

        Assert.Equal(2, lines.Length);
        Assert.Equal(
                "3 moves not allowed by the definition (2 back moves, 1 re-entry); the 2 most frequent: Attention → Attention 1, Interest → Attention 1. They are counted like any other move.",
                lines[0]);
        Assert.Equal(
                "1 event of 1 lead is dated before the lead's first entry into Attention (a negative time since entering the funnel; usually a wrong date). 1 of these leads entered the goal stage Action (purchase) only before that: ordered by time, it ends at an earlier stage and counts as not won.",
                lines[1]);
    }
}
