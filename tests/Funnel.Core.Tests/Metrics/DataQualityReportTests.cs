using FsCheck;
using FsCheck.Xunit;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Core.Tests.Metrics;

public sealed class DataQualityReportTests
{
    // AIDA allows only forward moves one stage at a time: attention 0, interest 1, desire 2, action 3 (the goal).
    private static readonly FunnelDefinition Aida = FunnelTemplates.Aida;
    private const short None = TransitionLog.NoLossReason;

    private static DataQualityReport Check(FunnelDefinition definition, TransitionLog log) =>
        DataQualityReport.Compute(definition, new TransitionAnalyzer(definition, TimeSpan.FromDays(365)).Analyze(log).Transitions, log);

    [Fact]
    public void Compute_BackMovesAndReentries_ListsEachDisallowedPairMostFrequentFirst()
    {
        // Lead 0: attention, interest, attention, interest, desire (one back move);
        // lead 1: attention, attention, interest (one re-entry); lead 2: attention, interest, attention (one back move).
        var log = TransitionLog.Create(
            [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2],
            new short[] { 0, 1, 0, 1, 2, 0, 0, 1, 0, 1, 0 },
            new long[] { 1, 2, 3, 4, 5, 1, 2, 3, 1, 2, 3 },
            Enumerable.Repeat(None, 11).ToArray());

        var quality = Check(Aida, log);

        Assert.Equal(
            [("interest", "attention", TransitionKind.Back, 2L), ("attention", "attention", TransitionKind.Reentry, 1L)],
            quality.DisallowedMoves.Select(m => (m.From.Key.Value, m.To.Key.Value, m.Kind, m.Count)));
        Assert.Equal(3, quality.DisallowedMoveCount);
        Assert.Equal(2, quality.CountDisallowed(TransitionKind.Back));
        Assert.Equal(0, quality.CountDisallowed(TransitionKind.Skip));
        Assert.Equal(0, quality.EventsBeforeEntry);
        Assert.False(quality.IsClean);
    }

    [Fact]
    public void Compute_GoalDatedBeforeTheLeadsEntry_CountsTheLeadAsWonOnlyBeforeEntry()
    {
        // Lead 0 bought on day 5 by the export, but entered attention on day 10: ordered by time it ends at desire (open).
        // Lead 1 has an interest dated before its entry and then really buys: an early event, but won all the same.
        // Lead 2 is clean.
        var log = TransitionLog.Create(
            [0, 0, 0, 0, 1, 1, 1, 2, 2],
            new short[] { 0, 1, 2, 3, 1, 0, 3, 0, 1 },
            new long[] { 10, 11, 12, 5, 1, 10, 20, 10, 11 },
            Enumerable.Repeat(None, 9).ToArray());

        var quality = Check(FunnelTemplates.Aida.ToBuilder().WithTransitionOptions(TransitionOptions.FreeForm).Build(), log);
        var report = new TransitionAnalyzer(Aida, TimeSpan.FromDays(365)).Analyze(log);

        Assert.Equal((2L, 2L, 1L), (quality.EventsBeforeEntry, quality.LeadsWithEventsBeforeEntry, quality.LeadsWonOnlyBeforeEntry));
        Assert.Equal(0, quality.DisallowedMoveCount);
        Assert.Equal(1, report.Won); // how the wrong date shows in the report: lead 0 is open, not won
    }

    [Fact]
    public void Compute_LossDatedBeforeEntry_IsAnEarlyEventButNoWonDeal()
    {
        var log = TransitionLog.Create([0, 0, 0], new short[] { 0, 0, 1 }, new long[] { 10, 5, 11 }, new short[] { None, 2, None });

        var quality = Check(Aida, log);

        Assert.Equal((1L, 1L, 0L), (quality.EventsBeforeEntry, quality.LeadsWithEventsBeforeEntry, quality.LeadsWonOnlyBeforeEntry));
    }

    [Fact]
    public void Compute_CleanLog_IsClean()
    {
        var log = TransitionLog.Create([0, 0, 1], new short[] { 0, 1, 0 }, new long[] { 1, 2, 1 }, new short[] { None, None, None });

        Assert.True(Check(Aida, log).IsClean);
    }

    [Fact]
    public void Compute_MatrixOfAnotherFunnel_ThrowsNamingTheShape()
    {
        var log = TransitionLog.Create([0], new short[] { 0 }, new long[] { 1 }, new short[] { None });
        var other = new TransitionAnalyzer(FunnelTemplates.CustomerJourney, TimeSpan.FromDays(1)).Analyze(log).Transitions;

        var error = Assert.Throws<ArgumentException>("transitions", () => DataQualityReport.Compute(Aida, other, log));
        Assert.Contains("must be 5 × 5", error.Message, StringComparison.Ordinal);
    }

    [Property]
    public bool Compute_AnyLog_AgreesWithANaiveCountPerLead((byte Entity, byte Stage, byte Time, bool Loss)[] rows)
    {
        var entity = rows.Select(r => r.Entity % 5).ToArray();
        var stage = rows.Select(r => (short)(r.Stage % 4)).ToArray();
        var time = rows.Select(r => (long)(r.Time % 8)).ToArray();
        var loss = rows.Select(r => r.Loss ? (short)(r.Stage % 2) : None).ToArray();
        var log = TransitionLog.Create(entity, stage, time, loss);

        var quality = Check(Aida, log);

        long disallowed = 0, early = 0, earlyLeads = 0, wonOnlyBefore = 0;
        foreach (var lead in Enumerable.Range(0, rows.Length).GroupBy(i => entity[i]))
        {
            var events = lead.OrderBy(i => time[i]).ThenBy(i => i).ToArray();
            for (var k = 1; k < events.Length; k++)
            {
                var (a, b) = (events[k - 1], events[k]);
                disallowed += loss[a] == None && loss[b] == None && !Aida.IsTransitionAllowed(stage[a], stage[b]) ? 1 : 0;
            }

            var entries = events.Where(i => loss[i] == None && stage[i] == 0).Select(i => time[i]).ToArray();
            var before = entries.Length == 0 ? [] : events.Where(i => time[i] < entries.Min()).ToArray();
            early += before.Length;
            earlyLeads += before.Length > 0 ? 1 : 0;
            var wonAtEnd = loss[events[^1]] == None && stage[events[^1]] == 3;
            wonOnlyBefore += before.Any(i => loss[i] == None && stage[i] == 3) && !wonAtEnd ? 1 : 0;
        }

        return quality.DisallowedMoveCount == disallowed
            && quality.EventsBeforeEntry == early
            && quality.LeadsWithEventsBeforeEntry == earlyLeads
            && quality.LeadsWonOnlyBeforeEntry == wonOnlyBefore;
    }
}
