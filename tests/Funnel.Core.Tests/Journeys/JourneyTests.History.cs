using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Funnel.Core.Tests.Journeys;

/// <summary>
/// Issue 18, defect 10: every move copied the journey's whole history, so a journey of n moves cost O(n²). Moves now
/// append to a shared history; these tests count bytes (never time) and check that branches stay apart.
/// </summary>
public partial class JourneyTests
{
    private static FunnelDefinition FreeLinear() => TestFunnels.Linear().ToBuilder().WithTransitionOptions(TransitionOptions.FreeForm).Build();

    private static long AllocatedByMoves(int moves)
    {
        var journey = Started(FreeLinear());
        var at = T0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < moves; i++)
        {
            at = at.AddSeconds(1);
            journey = journey.MoveTo(i % 2 == 0 ? "b" : "a", at).GetJourneyOrThrow();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(moves + 1, journey.History.Length);
        return allocated;
    }

    [Fact]
    public void MoveTo_8000MovesOnOneJourney_AllocateLinearlyNotQuadratically()
    {
        var small = AllocatedByMoves(2_000);
        var large = AllocatedByMoves(8_000);

        // Four times the moves: about four times the bytes (it was about 16 times, the history copied on each move).
        Assert.InRange((double)large / small, 3.0, 6.0);
    }

    [Fact]
    public void MoveTo_FromAnOlderJourney_BranchesWithoutChangingTheOtherBranch()
    {
        var root = Started(FreeLinear());
        var left = root.MoveTo("b", T0.AddMinutes(1), "left").GetJourneyOrThrow();
        var right = root.MoveTo("a", T0.AddMinutes(1), "right").GetJourneyOrThrow();
        var leftAgain = left.MoveTo("a", T0.AddMinutes(2), "left").GetJourneyOrThrow();

        Assert.Equal(["web"], root.History.Select(h => h.Actor));
        Assert.Equal(["web", "left"], left.History.Select(h => h.Actor));
        Assert.Equal(["web", "right"], right.History.Select(h => h.Actor));
        Assert.Equal(["web", "left", "left"], leftAgain.History.Select(h => h.Actor));
        Assert.Same(left.History.ToArray()[1], leftAgain.History[1]);
    }

    [Fact]
    public void History_AskedTwice_IsTheSameArray()
    {
        var journey = Started().MoveTo("b", T0.AddMinutes(1)).GetJourneyOrThrow();

        Assert.True(journey.History == journey.History);
    }

    [Fact]
    public void MoveTo_OnARestoredJourney_AppendsWithoutChangingTheRestoredHistory()
    {
        var original = Started(FreeLinear()).MoveTo("b", T0.AddMinutes(1)).GetJourneyOrThrow();
        var history = original.History;
        var restored = TestFunnels.CopyThroughRestore(original);

        var moved = restored.MoveTo("a", T0.AddMinutes(2)).GetJourneyOrThrow();

        Assert.Equal(2, history.Length);
        Assert.Equal(2, restored.History.Length);
        Assert.Equal(3, moved.History.Length);
        Assert.Equal(original, restored);
    }

    [Property(Arbitrary = [typeof(BranchArbitraries)], MaxTest = 200)]
    public Property MoveTo_FromAnyEarlierVersion_EveryVersionKeepsExactlyItsOwnHistory((int Parent, int Stage)[] steps)
    {
        // The reference: each version's history as its own list, copied from its parent's (what ImmutableArray.Add did).
        var versions = new List<(Journey Journey, List<string> Expected)> { (Started(FreeLinear()), ["web"]) };
        for (var i = 0; i < steps.Length; i++)
        {
            var (parentIndex, stage) = steps[i];
            var (parent, expected) = versions[parentIndex % versions.Count];
            var actor = "m" + i.ToString(CultureInfo.InvariantCulture);
            var child = parent.MoveTo(stage == 0 ? "a" : "b", parent.LastChangedAt.AddMinutes(1), actor).GetJourneyOrThrow();
            versions.Add((child, [.. expected, actor]));

            // Ask for some views early, between appends, as a reader on another version might.
            if (i % 3 == 0)
            {
                _ = parent.History;
            }
        }

        var wrong = versions
            .Select((v, i) => (i, Actual: v.Journey.History.Select(h => h.Actor ?? "").ToArray(), v.Expected))
            .FirstOrDefault(v => !v.Actual.SequenceEqual(v.Expected));
        return (wrong.Actual is null).Label(wrong.Actual is null ? "" : $"version {wrong.i}: [{string.Join(", ", wrong.Actual)}], expected [{string.Join(", ", wrong.Expected)}]");
    }
}
