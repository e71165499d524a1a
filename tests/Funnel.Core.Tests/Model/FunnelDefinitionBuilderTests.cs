using System.Collections.Immutable;

namespace Funnel.Core.Tests.Model;

public partial class FunnelDefinitionBuilderTests
{
    private static ImmutableArray<DefinitionProblem> Problems(FunnelDefinitionBuilder builder)
    {
        Assert.False(builder.TryBuild(out var definition, out var problems));
        Assert.Null(definition);
        return problems;
    }

    private static DefinitionProblem Single(FunnelDefinitionBuilder builder, DefinitionProblemCode code)
    {
        var problems = Problems(builder);
        return Assert.Single(problems, p => p.Code == code);
    }

    private static FunnelDefinitionBuilder Valid() =>
        new FunnelDefinitionBuilder("f").AddStage("a").AddStage("b").WonAt("b");

    [Fact]
    public void Build_ValidDefinition_AssignsOrdersAndGoal()
    {
        var definition = Valid().AddStage("c").AddLossReason("price").Build();

        Assert.Equal(["a", "b", "c"], definition.Stages.Select(s => s.Key.Value));
        Assert.Equal([0, 1, 2], definition.Stages.Select(s => s.Order));
        Assert.Equal("b", definition.GoalStage.Key.Value);
        Assert.Equal("a", definition.FirstStage.Key.Value);
        Assert.Equal("f", definition.DisplayName);
        Assert.Equal("price", definition.GetLossReason("price").DisplayName);
    }

    [Fact]
    public void Build_BlankDefinitionKey_Reported() =>
        Assert.Equal("key", Single(new FunnelDefinitionBuilder(" ").AddStage("a").WonAt("a"), DefinitionProblemCode.BlankDefinitionKey).Location);

    [Fact]
    public void Build_NoStages_Reported() =>
        Single(new FunnelDefinitionBuilder("f").WonAt("a"), DefinitionProblemCode.NoStages);

    [Fact]
    public void Build_StepWindow_IsKeptAndFeedsTheBulkAnalyzer()
    {
        var definition = Valid().AddStage("c", s => s.WithStepWindow(TimeSpan.FromHours(2))).Build();

        Assert.Null(definition.Stages[1].StepWindow);
        Assert.Equal(TimeSpan.FromHours(2), definition.Stages[2].StepWindow);
        Assert.Equal([null, TimeSpan.FromHours(2)], new Core.Bulk.TransitionAnalyzer(definition, TimeSpan.FromDays(1)).StepWindows.ToArray());
        Assert.Empty(new Core.Bulk.TransitionAnalyzer(Valid().Build(), TimeSpan.FromDays(1)).StepWindows);
    }

    [Theory]
    [InlineData(0, 60.0)]      // the first stage has no step into it
    [InlineData(1, -1.0)]      // negative
    [InlineData(1, 1.5)]       // not whole seconds
    public void Build_InvalidStepWindow_ReportedAtTheStage(int stage, double seconds)
    {
        var builder = new FunnelDefinitionBuilder("f")
            .AddStage("a", s => s.WithStepWindow(stage == 0 ? TimeSpan.FromSeconds(seconds) : null))
            .AddStage("b", s => s.WithStepWindow(stage == 1 ? TimeSpan.FromSeconds(seconds) : null))
            .WonAt("b");

        var problem = Single(builder, DefinitionProblemCode.InvalidStepWindow);

        Assert.Equal($"stages[{stage}] '{(stage == 0 ? "a" : "b")}'.stepWindow", problem.Location);
    }

    [Fact]
    public void Build_BlankStageKey_ReportedWithIndex()
    {
        var problem = Single(Valid().AddStage("  "), DefinitionProblemCode.BlankStageKey);
        Assert.StartsWith("stages[2]", problem.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_DuplicateStageKey_NamesBothPlaces()
    {
        var problem = Single(Valid().AddStage("a"), DefinitionProblemCode.DuplicateStageKey);
        Assert.Equal("stages[2] 'a'", problem.Location);
        Assert.Contains("stages[0]", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BlankLossReasonKey_Reported() =>
        Single(Valid().AddLossReason(""), DefinitionProblemCode.BlankLossReasonKey);

    [Fact]
    public void Build_DuplicateLossReasonKey_Reported()
    {
        var problem = Single(Valid().AddLossReason("price").AddLossReason(LossReasonCatalog.Price), DefinitionProblemCode.DuplicateLossReasonKey);
        Assert.Equal("lossReasons[1] 'price'", problem.Location);
    }

    [Fact]
    public void Build_TransitionToUnknownStage_Reported()
    {
        var problem = Single(Valid().AllowTransition("b", "zzz"), DefinitionProblemCode.UnknownTransitionStage);
        Assert.Contains("zzz", problem.Message, StringComparison.Ordinal);
        Assert.Equal("transitions[0] 'b' -> 'zzz'", problem.Location);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Build_ProbabilityOutsideZeroToOne_Reported(double probability)
    {
        var problem = Single(Valid().AddStage("c", s => s.WithWinProbability(probability)), DefinitionProblemCode.ProbabilityOutOfRange);
        Assert.Equal("stages[2] 'c'.winProbability", problem.Location);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Build_NonPositiveIdleLimit_Reported(int minutes) =>
        Single(Valid().AddStage("c", s => s.WithIdleLimit(TimeSpan.FromMinutes(minutes))), DefinitionProblemCode.NonPositiveIdleLimit);

    [Fact]
    public void Build_UnreachableStage_InStrictGraph_Reported()
    {
        var builder = new FunnelDefinitionBuilder("g")
            .AddStage("a").AddStage("b").AddStage("island")
            .WonAt("b")
            .WithTransitionOptions(TransitionOptions.None)
            .AllowTransition("a", "b");
        var problem = Single(builder, DefinitionProblemCode.UnreachableStage);
        Assert.Equal("stages[2] 'island'", problem.Location);
    }

    [Fact]
    public void Build_GoalMissing_Reported() =>
        Single(new FunnelDefinitionBuilder("f").AddStage("a"), DefinitionProblemCode.GoalStageMissing);

    [Fact]
    public void Build_GoalUnknown_Reported() =>
        Single(new FunnelDefinitionBuilder("f").AddStage("a").WonAt("zzz"), DefinitionProblemCode.GoalStageUnknown);

    [Fact]
    public void Build_BlankRequiredAttribute_Reported() =>
        Single(Valid().AddStage("c", s => s.RequireAttributes("amount", " ")), DefinitionProblemCode.BlankRequiredAttribute);

    [Fact]
    public void Build_BlankChannel_Reported() =>
        Single(Valid().AddStage("c", s => s.WithChannels(Channels.Digital, "")), DefinitionProblemCode.BlankChannel);

    [Fact]
    public void Build_ManyProblems_ReportsEveryOneAtOnce()
    {
        var builder = new FunnelDefinitionBuilder("bad")
            .AddStage("a", s => s.WithWinProbability(2))
            .AddStage("a")
            .AddStage("c", s => s.WithIdleLimit(TimeSpan.Zero))
            .AddLossReason("x").AddLossReason("x")
            .AllowTransition("a", "nowhere")
            .WonAt("missing");

        var exception = Assert.Throws<FunnelDefinitionException>(() => builder.Build());

        Assert.Equal(
            [
                DefinitionProblemCode.ProbabilityOutOfRange,
                DefinitionProblemCode.DuplicateStageKey,
                DefinitionProblemCode.NonPositiveIdleLimit,
                DefinitionProblemCode.DuplicateLossReasonKey,
                DefinitionProblemCode.GoalStageUnknown,
                DefinitionProblemCode.UnknownTransitionStage,
            ],
            exception.Problems.Select(p => p.Code));
        Assert.Equal("bad", exception.DefinitionKey);
        Assert.Contains("6 problems", exception.Message, StringComparison.Ordinal);
        Assert.Contains("stages[1] 'a'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_ProblemCode_IsCoveredByATest()
    {
        var covered = typeof(FunnelDefinitionBuilderTests).GetMethods()
            .Where(m => m.Name.StartsWith("Build_", StringComparison.Ordinal))
            .Select(m => m.Name)
            .ToArray();
        foreach (var code in Enum.GetNames<DefinitionProblemCode>())
        {
            Assert.True(
                covered.Any(name => name.Contains(code, StringComparison.Ordinal) || ProblemNames.TryGetValue(code, out var alias) && name.Contains(alias, StringComparison.Ordinal)),
                $"No Build_ test names problem code {code}.");
        }
    }

    private static readonly Dictionary<string, string> ProblemNames = new(StringComparer.Ordinal)
    {
        [nameof(DefinitionProblemCode.ProbabilityOutOfRange)] = "ProbabilityOutsideZeroToOne",
        [nameof(DefinitionProblemCode.UnknownTransitionStage)] = "TransitionToUnknownStage",
        [nameof(DefinitionProblemCode.GoalStageMissing)] = "GoalMissing",
        [nameof(DefinitionProblemCode.GoalStageUnknown)] = "GoalUnknown",
    };

    [Fact]
    public void Build_Twice_ThrowsBecauseBuildersAreSingleUse()
    {
        var builder = Valid();
        builder.Build();
        Assert.Throws<InvalidOperationException>(() => builder.Build());
        Assert.Throws<InvalidOperationException>(() => builder.AddStage("x"));
    }

    [Fact]
    public void Build_AfterFailedBuild_CanBeFixedAndBuilt()
    {
        var builder = new FunnelDefinitionBuilder("f").AddStage("a");
        Assert.False(builder.TryBuild(out _, out _));
        Assert.NotNull(builder.WonAt("a").Build());
    }

    [Fact]
    public void ToBuilder_RoundTrips_ToAnEqualDefinition()
    {
        foreach (var template in FunnelTemplates.All)
        {
            var copy = template.ToBuilder().Build();
            Assert.Equal(template, copy);
            Assert.NotSame(template, copy);
        }
    }

    [Fact]
    public void ToBuilder_Changed_GivesADifferentDefinitionAndLeavesTheOriginal()
    {
        var original = FunnelTemplates.Aida;
        var changed = original.ToBuilder().AddStage("repeat").Build();
        Assert.NotEqual(original, changed);
        Assert.Equal(4, original.Stages.Length);
        Assert.Equal(5, changed.Stages.Length);
    }

    [Fact]
    public void Transitions_DefaultIsForwardOneStageOnly()
    {
        var d = Valid().AddStage("c").Build();
        Assert.True(d.IsTransitionAllowed("a", "b"));
        Assert.False(d.IsTransitionAllowed("a", "c"));
        Assert.False(d.IsTransitionAllowed("b", "a"));
        Assert.False(d.IsTransitionAllowed("a", "a"));
        Assert.False(d.IsTransitionAllowed("a", "unknown"));
    }

    [Fact]
    public void Transitions_OptionsAndExplicitEdges_AreCombined()
    {
        var d = Valid().AddStage("c").AddStage("d")
            .WithTransitionOptions(TransitionOptions.Forward | TransitionOptions.Reentry)
            .AllowTransition("d", "a")
            .AllowTransition("d", "a")
            .Build();

        Assert.True(d.IsTransitionAllowed("c", "c"));
        Assert.True(d.IsTransitionAllowed("d", "a"));
        Assert.False(d.IsTransitionAllowed("c", "a"));
        var declared = Assert.Single(d.Transitions);
        Assert.Equal(new AllowedTransition("d", "a", TransitionKind.Back), declared);
        Assert.Contains(new AllowedTransition("b", "c", TransitionKind.Forward), d.GetAllowedTransitions());
        Assert.Equal(TransitionKind.Skip, FunnelDefinition.ClassifyTransition(d.GetStage("a"), d.GetStage("c")));
    }

    [Fact]
    public void FreeForm_AllowsEveryMove()
    {
        var d = TestFunnels.FreeForm();
        Assert.Equal(d.Stages.Length * d.Stages.Length, d.GetAllowedTransitions().Length);
    }

    [Fact]
    public void Lookups_UnknownKeys_FailClearly()
    {
        var d = Valid().Build();
        Assert.False(d.TryGetStage("zzz", out _));
        var error = Assert.Throws<ArgumentException>(() => d.GetStage("zzz"));
        Assert.Contains("'zzz'", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => d.GetLossReason("zzz"));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.IsTransitionAllowed(0, 5));
    }

    [Fact]
    public void StageBuilder_KeepsEveryProperty()
    {
        var d = Valid().AddStage("c", s => s
                .WithDisplayName("See")
                .WithKind(StageKind.Key)
                .WithPhase(FunnelPhase.Bottom)
                .WithOwner("Sales")
                .WithChannels(Channels.Digital, Channels.Digital, Channels.Mobile)
                .WithWinProbability(0.5)
                .WithIdleLimit(TimeSpan.FromDays(2))
                .RequireAttributes("amount", "amount"))
            .Build();
        var c = d.GetStage("c");
        Assert.Equal("See", c.DisplayName);
        Assert.Equal(StageKind.Key, c.Kind);
        Assert.Equal(FunnelPhase.Bottom, c.Phase);
        Assert.Equal("Sales", c.Owner);
        Assert.Equal([Channels.Digital, Channels.Mobile], c.Channels.ToArray());
        Assert.Equal(0.5, c.WinProbability);
        Assert.Equal(TimeSpan.FromDays(2), c.IdleLimit);
        Assert.Equal(["amount"], c.RequiredAttributes.ToArray());
        Assert.Equal("a", d.GetStage("a").DisplayName);
    }
}
