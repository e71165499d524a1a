using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Funnel.Core.Tests.Model;

/// <summary>
/// Issue 18, defect 3: definitions were quadratic in the number of stages (a dense n×n table built twice: 32,000
/// stages took 12 s and 2.1 GB, 46,341 stages threw <see cref="OverflowException"/>). Checked by counting bytes and
/// against a dense reference, never by timing.
/// </summary>
public partial class FunnelDefinitionBuilderTests
{
    private static FunnelDefinitionBuilder ManyStages(int count, TransitionOptions options)
    {
        var builder = new FunnelDefinitionBuilder("many").WithTransitionOptions(options);
        for (var i = 0; i < count; i++)
        {
            builder.AddStage("s" + i.ToString(CultureInfo.InvariantCulture));
        }

        return builder.WonAt("s" + (count - 1).ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Build_46341Stages_ReportsTooManyStagesInsteadOfThrowingOverflowException()
    {
        var problem = Single(ManyStages(46_341, TransitionOptions.Default), DefinitionProblemCode.TooManyStages);

        Assert.Equal("stages", problem.Location);
        Assert.Contains("32767", problem.Message, StringComparison.Ordinal);
        Assert.Contains("46341", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OneStageMoreThanTheMaximum_ReportsTooManyStages() =>
        Single(ManyStages(FunnelDefinition.MaxStageCount + 1, TransitionOptions.Default), DefinitionProblemCode.TooManyStages);

    [Fact]
    public void Build_MaximumStageCountFreeForm_AllocatesLinearlyInStagesNotQuadratically()
    {
        var builder = ManyStages(FunnelDefinition.MaxStageCount, TransitionOptions.FreeForm);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var definition = builder.Build();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The dense table alone was 32,767² bytes ≈ 1 GB, built twice; the sparse graph is a few bytes per stage.
        Assert.InRange(allocated, 0, 4096L * FunnelDefinition.MaxStageCount);
        var last = FunnelDefinition.MaxStageCount - 1;
        Assert.True(definition.IsTransitionAllowed(0, last));
        Assert.True(definition.IsTransitionAllowed(last, 0));
        Assert.True(definition.IsTransitionAllowed(last, last));
    }

    [Fact]
    public void Build_MaximumStageCountStrictChain_ChecksReachabilityThroughExplicitEdgesLinearly()
    {
        var count = FunnelDefinition.MaxStageCount;
        var builder = ManyStages(count, TransitionOptions.None);
        for (var i = 0; i + 1 < count; i++)
        {
            builder.AllowTransition("s" + i.ToString(CultureInfo.InvariantCulture), "s" + (i + 1).ToString(CultureInfo.InvariantCulture));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var definition = builder.Build();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, 0, 4096L * count);
        Assert.True(definition.IsTransitionAllowed(count - 2, count - 1));
        Assert.False(definition.IsTransitionAllowed(count - 1, count - 2));
        Assert.Equal(count - 1, definition.GetAllowedTransitions().Length);
    }

    [Fact]
    public void Build_DuplicateExplicitTransitions_KeptOnceInDeclarationOrder()
    {
        var definition = Valid()
            .WithTransitionOptions(TransitionOptions.None)
            .AllowTransition("a", "b")
            .AllowTransition("b", "a")
            .AllowTransition("a", "b")
            .Build();

        Assert.Equal([("a", "b"), ("b", "a")], definition.Transitions.Select(t => (t.From.Value, t.To.Value)));
        Assert.Equal(2, definition.GetAllowedTransitions().Length);
    }

    [Property(Arbitrary = [typeof(GraphArbitraries)], MaxTest = 300)]
    public Property Build_AnyGraph_AllowsExactlyWhatADenseTableAllows(GraphCase c)
    {
        // The reference: the dense table and breadth-first search the sparse graph replaced.
        var dense = new bool[c.Stages, c.Stages];
        for (var from = 0; from < c.Stages; from++)
        {
            for (var to = 0; to < c.Stages; to++)
            {
                var flag = to == from ? TransitionOptions.Reentry
                    : to == from + 1 ? TransitionOptions.Forward
                    : to > from ? TransitionOptions.Skips
                    : TransitionOptions.BackMoves;
                dense[from, to] = (c.Options & flag) != 0;
            }
        }

        foreach (var (from, to) in c.Edges)
        {
            dense[from, to] = true;
        }

        var reachable = new bool[c.Stages];
        var queue = new Queue<int>([0]);
        reachable[0] = true;
        while (queue.TryDequeue(out var from))
        {
            for (var to = 0; to < c.Stages; to++)
            {
                if (dense[from, to] && !reachable[to])
                {
                    reachable[to] = true;
                    queue.Enqueue(to);
                }
            }
        }

        var builder = new FunnelDefinitionBuilder("g").WithTransitionOptions(c.Options);
        for (var i = 0; i < c.Stages; i++)
        {
            builder.AddStage("s" + i.ToString(CultureInfo.InvariantCulture));
        }

        builder.WonAt("s0");
        foreach (var (from, to) in c.Edges)
        {
            builder.AllowTransition("s" + from.ToString(CultureInfo.InvariantCulture), "s" + to.ToString(CultureInfo.InvariantCulture));
        }

        var expectedUnreachable = Enumerable.Range(0, c.Stages).Where(i => !reachable[i]).Select(i => "s" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (!builder.TryBuild(out var definition, out var problems))
        {
            var unreachable = problems.Select(p => p.Code == DefinitionProblemCode.UnreachableStage ? p.Location : "unexpected " + p).ToArray();
            var said = expectedUnreachable.Select(k => $"stages[{k[1..]}] '{k}'").ToArray();
            return unreachable.SequenceEqual(said).Label($"problems [{string.Join("; ", unreachable)}], expected [{string.Join("; ", said)}]");
        }

        var expectedAllowed = new List<string>();
        var mismatches = new List<string>();
        for (var from = 0; from < c.Stages; from++)
        {
            for (var to = 0; to < c.Stages; to++)
            {
                if (dense[from, to])
                {
                    expectedAllowed.Add($"s{from}->s{to}");
                }

                if (definition.IsTransitionAllowed(from, to) != dense[from, to])
                {
                    mismatches.Add($"s{from}->s{to}");
                }
            }
        }

        var listed = definition.GetAllowedTransitions().Select(t => $"{t.From}->{t.To}").ToArray();
        return (expectedUnreachable.Length == 0 && mismatches.Count == 0 && listed.SequenceEqual(expectedAllowed))
            .Label($"unreachable [{string.Join(", ", expectedUnreachable)}], mismatches [{string.Join(", ", mismatches)}], listed [{string.Join(", ", listed)}], expected [{string.Join(", ", expectedAllowed)}]");
    }
}
