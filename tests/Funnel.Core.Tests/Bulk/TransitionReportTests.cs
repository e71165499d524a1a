using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

public sealed class TransitionReportTests
{
    // Two stages (goal: stage 1), one loss reason, window 100 s. Entity 0 enters stage 0 at 0 and stage 1 at 10;
    // entity 1's only event is a loss. So 3 events, 2 entities, one pair (0 -> 1, a 10 s stay in stage 0), one loss
    // at an unknown stage (it is entity 1's first event); entity 0 is won (its last event enters the goal), entity 1 lost.
    private static readonly StageTimeStatistics[] HandTimes = [new(0, 1, 10, 10), new(1, 0, 0, 0)];
    private static readonly StageTimeStatistics NoTimeAfterLoss = new(2, 0, 0, 0);

    private static TransitionReport Build(
        long events = 3,
        long entities = 2,
        long[]? reached = null,
        long[]? transitions = null,
        StageTimeStatistics[]? times = null,
        long[]? losses = null,
        long[]? afterLoss = null,
        long[]? unknown = null,
        StageTimeStatistics? timeAfterLoss = null,
        long window = 100,
        long won = 1,
        long lost = 1,
        long[]? openAt = null,
        int goal = 1) =>
        TransitionReport.Create(
            new FunnelShape(2, goal, 1), TimeSpan.FromSeconds(window), events, entities, reached ?? [1, 1], transitions ?? [0, 1, 0, 0, 0, 0, 0, 0, 0], times ?? HandTimes, timeAfterLoss ?? NoTimeAfterLoss,
            losses ?? [0, 0], afterLoss ?? [0], unknown ?? [1], won, lost, openAt ?? [0, 0]);

    [Fact]
    public void Create_HandWorkedNumbers_EqualTheEngineReportOfThatLog()
    {
        var log = new TransitionLogBuilder().Add(0, 0, 0).Add(1, 0, 5, lossReason: 0).Add(0, 1, 10).Build();
        var engine = new TransitionAnalyzer(new FunnelShape(2, 1, 1), TimeSpan.FromSeconds(100), 1).Analyze(log);

        var report = Build();

        Assert.Equal(engine, report);
        Assert.Equal(engine.GetHashCode(), report.GetHashCode());
        Assert.Equal((2, 1, 1, 100L, 3L, 2L), (report.StageCount, report.GoalStage, report.LossReasonCount, report.WindowSeconds, report.EventCount, report.EntityCount));
        Assert.Equal((1L, 1L), (report.Won, report.Lost));
        Assert.Equal([0L, 0L], report.OpenAt.ToArray());
        Assert.Equal(1, report.Transitions[0, 1]);
        Assert.Equal(0, report.Losses[0, 0]);
        Assert.Equal([1L], report.LossesAtUnknownStage.ToArray());
        Assert.Equal([0L], report.LossesAfterLoss.ToArray());
        Assert.Equal(HandTimes, report.TimeInStage.ToArray());
        Assert.Equal(NoTimeAfterLoss, report.TimeAfterLoss);
    }

    [Property(MaxTest = 300)]
    public Property Create_AnyEngineReport_RebuildsAnEqualReport()
    {
        // Every report the engine produces satisfies the factory's consistency checks, so they reject only numbers
        // that no log can give.
        return Prop.ForAll(LogCase.Arbitrary(), c =>
        {
            var report = new TransitionAnalyzer(new FunnelShape(c.Stages, c.Goal, c.Reasons), TimeSpan.FromSeconds(c.Window), 1).Analyze(c.ToLog());
            var rebuilt = TransitionReport.Create(
                new FunnelShape(report.StageCount, report.GoalStage, report.LossReasonCount), TimeSpan.FromSeconds(report.WindowSeconds),
                report.EventCount,
                report.EntityCount,
                report.Reached.AsSpan(),
                report.Transitions.Counts.AsSpan(),
                report.TimeInStage.AsSpan(),
                report.TimeAfterLoss,
                report.Losses.Counts.AsSpan(),
                report.LossesAfterLoss.AsSpan(),
                report.LossesAtUnknownStage.AsSpan(),
                report.Won,
                report.Lost,
                report.OpenAt.AsSpan());
            return report.Equals(rebuilt).Label(report.ToString());
        });
    }

    [Fact]
    public void Create_CopiesItsInput()
    {
        long[] reached = [1, 1];
        long[] transitions = [0, 1, 0, 0, 0, 0, 0, 0, 0];
        long[] openAt = [1, 0];
        var report = Build(reached: reached, transitions: transitions, won: 0, openAt: openAt);

        reached[1] = 0;
        transitions[1] = 7;
        openAt[0] = 5;

        Assert.Equal(1, report.Reached[1]);
        Assert.Equal(1, report.Transitions[0, 1]);
        Assert.Equal(1, report.OpenAt[0]);
    }

    [Fact]
    public void Create_EmptyLog_IsAllZero()
    {
        var report = TransitionReport.Create(new FunnelShape(3, 2, 0), TimeSpan.FromSeconds(0), 0, 0, [0, 0, 0], new long[16], [new(0, 0, 0, 0), new(1, 0, 0, 0), new(2, 0, 0, 0)], new(3, 0, 0, 0), [], [], [], 0, 0, [0, 0, 0]);

        Assert.Equal(new TransitionAnalyzer(new FunnelShape(3, 2, 0), TimeSpan.FromSeconds(0)).Analyze(TransitionLog.Empty), report);
    }

    [Fact]
    public void Create_ShapeOrRangeOutOfBounds_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>("stageCount", () => TransitionReport.Create(new FunnelShape(0, 0, 0), TimeSpan.FromSeconds(0), 0, 0, [], [], [], default, [], [], [], 0, 0, []));
        Assert.Throws<ArgumentOutOfRangeException>("lossReasonCount", () => TransitionReport.Create(new FunnelShape(1, 0, -1), TimeSpan.FromSeconds(0), 0, 0, [0], [0, 0, 0, 0], [default], new(1, 0, 0, 0), [], [], [], 0, 0, [0]));
        Assert.Throws<ArgumentOutOfRangeException>("goalStage", () => Build(goal: 2));
        Assert.Throws<ArgumentOutOfRangeException>("goalStage", () => Build(goal: -1));
        Assert.Throws<ArgumentOutOfRangeException>("won", () => Build(won: -1));
        Assert.Throws<ArgumentOutOfRangeException>("lost", () => Build(lost: -1));
        Assert.Throws<ArgumentOutOfRangeException>("openAt", () => Build(openAt: [0]));
        Assert.Throws<ArgumentOutOfRangeException>("openAt", () => Build(won: 2, openAt: [-1, 0]));
        Assert.Throws<ArgumentOutOfRangeException>("window", () => Build(window: -1));
        Assert.Throws<ArgumentOutOfRangeException>("eventCount", () => Build(events: -1));
        Assert.Throws<ArgumentOutOfRangeException>("entityCount", () => Build(entities: -1));
        Assert.Throws<ArgumentOutOfRangeException>("entityCount", () => Build(events: 1, entities: 2));
        Assert.Throws<ArgumentOutOfRangeException>("entityCount", () => Build(events: 3, entities: 0));
        Assert.Throws<ArgumentOutOfRangeException>("reached", () => Build(reached: [1]));
        Assert.Throws<ArgumentOutOfRangeException>("transitions", () => Build(transitions: [0, 1, 0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>("timeInStage", () => Build(times: [HandTimes[0]]));
        Assert.Throws<ArgumentOutOfRangeException>("losses", () => Build(losses: [1]));
        Assert.Throws<ArgumentOutOfRangeException>("lossesAfterLoss", () => Build(afterLoss: []));
        Assert.Throws<ArgumentOutOfRangeException>("lossesAtUnknownStage", () => Build(unknown: [1, 0]));
        Assert.Throws<ArgumentOutOfRangeException>("reached", () => Build(reached: [1, -1]));
        Assert.Throws<ArgumentOutOfRangeException>("losses", () => Build(losses: [1, -1]));
    }

    [Fact]
    public void Create_NumbersThatNoLogCanGive_ThrowArgumentException()
    {
        // More entities reach stage 0 than there are, or more reach stage 1 than stage 0.
        AssertInconsistent("reached", () => Build(reached: [3, 0]));
        AssertInconsistent("reached", () => Build(reached: [1, 2], entities: 2));

        // Time in stage for the wrong stage, or a median above the total.
        AssertInconsistent("timeInStage", () => Build(times: [HandTimes[1], HandTimes[0]]));
        AssertInconsistent("timeInStage", () => Build(times: [new(0, 1, 10, 11), HandTimes[1]]));

        // A row of transitions that does not match the stays of its stage, or of the time after a loss.
        AssertInconsistent("transitions", () => Build(transitions: [0, 0, 0, 0, 0, 0, 0, 0, 0]));
        AssertInconsistent("transitions", () => Build(transitions: [0, 1, 0, 1, 0, 0, 0, 0, 0]));
        AssertInconsistent("transitions", () => Build(transitions: [0, 1, 0, 0, 0, 0, 1, 0, 0]));
        AssertInconsistent("timeAfterLoss", () => Build(timeAfterLoss: new(1, 0, 0, 0)));

        // Pairs of consecutive events: 3 events of 2 entities make exactly one.
        AssertInconsistent("transitions", () => Build(events: 4));

        // Losses at a stage total that stage's moves to a loss; losses after a loss the loss-to-loss moves; losses
        // at an unknown stage are at most one per entity.
        AssertInconsistent("losses", () => Build(losses: [1, 0]));
        AssertInconsistent("losses", () => Build(transitions: [0, 0, 1, 0, 0, 0, 0, 0, 0], losses: [0, 0]));
        AssertInconsistent("lossesAfterLoss", () => Build(afterLoss: [1]));
        AssertInconsistent("lossesAtUnknownStage", () => Build(unknown: [3]));

        // Outcomes: one per entity (1 + 1 + 0 = 2 entities), nobody open at the goal or after it, no more lost
        // entities than loss events (1).
        AssertInconsistent("openAt", () => Build(won: 2));
        AssertInconsistent("openAt", () => Build(openAt: [1, 0]));
        AssertInconsistent("openAt", () => Build(won: 0, openAt: [0, 1]));
        AssertInconsistent("lost", () => Build(won: 0, lost: 2));
    }

    [Fact]
    public void Equals_ComparesEveryNumberAndTheWindow()
    {
        var report = Build();

        Assert.True(report.Equals(Build()));
        Assert.True(report.Equals((object)Build()));
        Assert.False(report.Equals(null));
        Assert.False(report.Equals(Build(window: 99)));
        Assert.False(report.Equals(Build(reached: [1, 0])));
        Assert.False(report.Equals(Build(unknown: [0], lost: 0, won: 1, openAt: [1, 0])));
        Assert.False(report.Equals(Build(times: [new(0, 1, 10, 9), HandTimes[1]])));
        Assert.False(report.Equals(Build(events: 4, entities: 3, openAt: [1, 0])));
        Assert.False(report.Equals(Build(won: 0, openAt: [1, 0])));
        Assert.False(report.Equals(Build(goal: 0)));
        Assert.False(report.Equals(Build(won: 2, lost: 0)));
    }

    [Fact]
    public void ToString_ShowsEveryNumber()
    {
        var text = Build().ToString();

        Assert.Equal(
            "window 100 s, goal 1, 3 events, 2 entities, reached [1, 1], won 1, lost 1" + Environment.NewLine +
            "stage 0: 1 stays, total 10 s, median 10 s; to [0, 1, 0]; losses [0]; open 0" + Environment.NewLine +
            "stage 1: 0 stays, total 0 s, median 0 s; to [0, 0, 0]; losses [0]; open 0" + Environment.NewLine +
            "after a loss: stage 2: 0 stays, total 0 s, median 0 s; to [0, 0, 0]; losses [0]" + Environment.NewLine +
            "losses at an unknown stage (a lead's first event): [1]",
            text);
    }

    private static void AssertInconsistent(string parameter, Action create)
    {
        var e = Assert.Throws<ArgumentException>(create);
        Assert.Equal(parameter, e.ParamName);
    }
}
