using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

public sealed class FunnelShapeTests
{
    [Fact]
    public void Of_Definition_TakesStagesGoalAndLossReasons()
    {
        var shape = FunnelShape.Of(FunnelTemplates.Aida);

        Assert.Equal(
            (FunnelTemplates.Aida.Stages.Length, FunnelTemplates.Aida.GoalStage.Order, FunnelTemplates.Aida.LossReasons.Length),
            (shape.StageCount, shape.GoalStage, shape.LossReasonCount));
        Assert.Equal(new FunnelShape(shape.StageCount, shape.GoalStage, shape.LossReasonCount), shape);
        Assert.Equal(new TransitionAnalyzer(FunnelTemplates.Aida, TimeSpan.FromDays(1)).Shape, shape);
    }

    [Theory]
    [InlineData(0, 0, 0, "stageCount")]
    [InlineData(FunnelShape.MaxCount + 1, 0, 0, "stageCount")]
    [InlineData(3, -1, 0, "goalStage")]
    [InlineData(3, 3, 0, "goalStage")]
    [InlineData(3, 2, -1, "lossReasonCount")]
    [InlineData(3, 2, FunnelShape.MaxCount + 1, "lossReasonCount")]
    public void Constructor_OutOfRange_NamesTheParameter(int stages, int goal, int reasons, string parameter)
    {
        Assert.Throws<ArgumentOutOfRangeException>(parameter, () => new FunnelShape(stages, goal, reasons));
    }

    [Fact]
    public void Analyzer_NegativeWindow_Throws_AndAFractionOfASecondIsDropped()
    {
        var shape = new FunnelShape(3, 2, 0);

        Assert.Throws<ArgumentOutOfRangeException>("window", () => new TransitionAnalyzer(shape, TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>("window", () => TransitionAggregate.Empty(shape, TimeSpan.FromTicks(-1)));
        Assert.Equal(10, new TransitionAnalyzer(shape, TimeSpan.FromSeconds(10.9)).WindowSeconds);
        Assert.Throws<ArgumentNullException>("shape", () => new TransitionAnalyzer((FunnelShape)null!, TimeSpan.Zero));
    }

    [Fact]
    public void Equality_IsByValue()
    {
        Assert.Equal(new FunnelShape(4, 3, 2).GetHashCode(), new FunnelShape(4, 3, 2).GetHashCode());
        Assert.NotEqual(new FunnelShape(4, 3, 2), new FunnelShape(4, 2, 2));
        Assert.Equal("4 stages (goal 3), 2 loss reasons", new FunnelShape(4, 3, 2).ToString());
    }
}
