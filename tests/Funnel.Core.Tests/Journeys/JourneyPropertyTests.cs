using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Funnel.Core.Tests.Journeys.JourneyPropertyGenerators;

namespace Funnel.Core.Tests.Journeys;

/// <summary>Invariants that hold for any sequence of moves, accepted or rejected.</summary>
public class JourneyPropertyTests
{
    private static JourneyResult Apply(Journey journey, Operation op, DateTimeOffset at)
    {
        var definition = journey.Definition;
        StageKey stage = op.Stage < definition.Stages.Length ? definition.Stages[op.Stage].Key : "no-such-stage";
        LossReasonKey reason = op.Reason < definition.LossReasons.Length ? definition.LossReasons[op.Reason].Key : "no-such-reason";
        return op.Kind switch
        {
            0 or 1 => journey.MoveTo(stage, at, "actor"),
            2 => journey.MarkWon(at),
            3 => journey.MarkLost(reason, at),
            4 => journey.Reopen(at),
            5 => journey.RecordAttempt(at),
            _ => journey.SetAttribute(op.Reason % 2 == 0 ? "amount" : "source", "v"),
        };
    }

    private static bool KeptInHistory(MoveKind kind) => kind is MoveKind.Move or MoveKind.Won or MoveKind.Lost or MoveKind.Reopen;

    [Property(MaxTest = 300)]
    public Property AnySequenceOfMoves_KeepsTheInvariants()
    {
        var property = Prop.ForAll(Scenarios, scenario =>
        {
            var journey = Journey.Start(Definitions[scenario.Definition], "lead", TestFunnels.T0);
            var at = TestFunnels.T0;
            var acceptedTransitions = 0;
            foreach (var op in scenario.Operations)
            {
                at = at.AddMinutes(op.MinutesLater);
                var before = journey;
                var result = Apply(journey, op, at);

                if (!result.Succeeded)
                {
                    // A rejected move leaves the journey exactly as it was and says why.
                    Assert.Same(before, result.Journey);
                    Assert.NotEmpty(result.Violations);
                    continue;
                }

                journey = result.Journey;
                Assert.Equal(before.Version + 1, journey.Version);
                if (KeptInHistory(result.Kind))
                {
                    acceptedTransitions++;
                }

                // A closed lead stays closed unless reopened.
                if (before.IsClosed && !journey.IsClosed)
                {
                    Assert.Equal(MoveKind.Reopen, result.Kind);
                }

                // Lost leads carry their reason; open leads have no closing time.
                Assert.Equal(journey.Status == JourneyStatus.Lost, journey.LossReason is not null);
                Assert.Equal(journey.IsClosed, journey.ClosedAt is not null);
            }

            // History grows by exactly the accepted moves, and the current stage is the last accepted target.
            Assert.Equal(1 + acceptedTransitions, journey.History.Length);
            Assert.Equal(journey.History[^1].To, journey.CurrentStage.Key);

            // Timestamps never go back.
            for (var i = 1; i < journey.History.Length; i++)
            {
                Assert.True(journey.History[i - 1].At <= journey.History[i].At);
            }

            Assert.True(journey.History[^1].At <= journey.LastChangedAt);
        });

        return property;
    }

    [Property(MaxTest = 300)]
    public Property RejectedMove_LeavesAnEqualJourney()
    {
        var property = Prop.ForAll(Scenarios, scenario =>
        {
            var journey = Journey.Start(Definitions[scenario.Definition], "lead", TestFunnels.T0);
            var at = TestFunnels.T0;
            foreach (var op in scenario.Operations)
            {
                at = at.AddMinutes(op.MinutesLater);
                var snapshot = TestFunnels.CopyThroughRestore(journey);
                var result = Apply(journey, op, at);
                if (!result.Succeeded)
                {
                    Assert.Equal(snapshot, result.Journey);
                }

                journey = result.Journey;
            }
        });

        return property;
    }
}
