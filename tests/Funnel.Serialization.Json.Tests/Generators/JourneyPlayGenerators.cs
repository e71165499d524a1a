using FsCheck;
using FsCheck.Fluent;
using Funnel.Core;
using Funnel.Core.Rules;

namespace Funnel.Serialization.Json.Tests;

/// <summary>Random operation lists and the journeys they play, shared by the round-trip, report, schema and fuzz tests.</summary>
internal static class JourneyPlayGenerators
{
    /// <summary>The operations <see cref="Play"/> applies to a journey: kind, stage or reason index, minutes later.</summary>
    internal static Gen<(int Kind, int Index, int Minutes)[]> Operations =>
        Gen.ArrayOf(from k in Gen.Choose(0, 8) from i in Gen.Choose(0, 9) from m in Gen.Choose(0, 600) select (k, i, m));

    /// <summary>Journeys played from a template, the operations and an optional actor.</summary>
    internal static Gen<(FunnelDefinition definition, (int Kind, int Index, int Minutes)[] operations, string? actor)> Scenarios =>
        from definition in Gen.Elements(FunnelTemplates.All.ToArray())
        from operations in Operations
        from actor in JsonGenerators.OptionalText
        select (definition, operations, actor);

    internal static Journey Play(FunnelDefinition definition, (int Kind, int Index, int Minutes)[] operations, string? actor, string id = "lead-1")
    {
        var journey = Journey.Start(definition, id, JsonGenerators.T0, actor, [KeyValuePair.Create("amount", "100")]);
        var at = JsonGenerators.T0;
        foreach (var (kind, index, minutes) in operations)
        {
            at = at.AddMinutes(minutes).AddTicks(minutes);
            var stage = definition.Stages[index % definition.Stages.Length].Key;
            var reason = definition.LossReasons[index % definition.LossReasons.Length].Key;
            var result = kind switch
            {
                0 or 1 => journey.MoveTo(stage, at, actor, index % 2 == 0 ? "note" : null),
                2 => journey.MarkWon(at, actor),
                3 => journey.MarkLost(reason, at, actor, "lost \"quoted\""),
                4 => journey.Reopen(at),
                5 => journey.RecordAttempt(at),
                6 => journey.SetAttribute("source", "ads " + index),
                _ => null,
            };
            journey = result?.Journey
                ?? RuleSet.Empty.Run(journey, (kind == 7 ? MoveRequest.MoveTo(stage, at, actor) : MoveRequest.Lost(reason, at)).ForcedBy("boss", "client called back")).Journey;
        }

        return journey;
    }
}
