using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core;
using Funnel.Core.Rules;

namespace Funnel.Serialization.Json.Tests;

/// <summary>Definition, journey and event JSON round-trips to an equal value, and written definitions follow the schema.</summary>
public class RoundTripPropertyTests
{
    private static readonly JsonSerializerOptions Options = new JsonSerializerOptions().ConfigureForFunnel(f => f.AddDefinitions(FunnelTemplates.All));

    /// <summary>The operations <see cref="Play"/> applies to a journey: kind, stage or reason index, minutes later.</summary>
    internal static Gen<(int Kind, int Index, int Minutes)[]> Operations =>
        Gen.ArrayOf(from k in Gen.Choose(0, 8) from i in Gen.Choose(0, 9) from m in Gen.Choose(0, 600) select (k, i, m));

    [Property(MaxTest = 150)]
    public Property Definition_WrittenAndRead_IsEqual()
    {
        return Prop.ForAll(JsonGenerators.DefinitionArbitrary, definition =>
        {
            var json = FunnelJson.WriteDefinition(definition);
            Assert.Equal(definition, FunnelJson.ReadDefinition(json));
            Assert.Equal(definition, JsonSerializer.Deserialize<FunnelDefinition>(JsonSerializer.Serialize(definition, Options), Options));
        });
    }

    [Property(MaxTest = 100)]
    public Property Definition_WithWrongTypedDisplayNames_ReportsEveryOneAtOnce()
    {
        // Whichever stages get a number for a display name, one read names exactly those stages.
        var cases = from definition in JsonGenerators.DefinitionArbitrary.Generator
                    from mask in Gen.ArrayOf(ArbMap.Default.GeneratorFor<bool>(), definition.Stages.Length)
                    select (definition, mask);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var document = System.Text.Json.Nodes.JsonNode.Parse(FunnelJson.WriteDefinition(c.definition))!;
            var broken = Enumerable.Range(0, c.mask.Length).Where(i => c.mask[i]).ToList();
            foreach (var i in broken)
            {
                document["stages"]![i]!["displayName"] = 42;
            }

            if (broken.Count == 0)
            {
                Assert.Equal(c.definition, FunnelJson.ReadDefinition(document.ToJsonString()));
                return;
            }

            var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadDefinition(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
            Assert.Equal(broken.Select(i => $"$.stages[{i}].displayName"), ex.Problems.Select(p => p.Path));
        });
    }

    [Property(MaxTest = 60)]
    public Property Definition_Written_FollowsTheSchema()
    {
        return Prop.ForAll(JsonGenerators.DefinitionArbitrary, definition =>
        {
            Assert.Empty(PublishedSchemas.Definition.Problems(FunnelJson.WriteDefinition(definition)));
        });
    }

    [Property(MaxTest = 150)]
    public Property Events_WrittenAndRead_AreEqual()
    {
        var events = Gen.ArrayOf(JsonGenerators.Events).ToArbitrary();
        return Prop.ForAll(events, items =>
        {
            var read = FunnelJson.ReadEvents(FunnelJson.WriteEvents(items));
            Assert.Equal(items, read);
            Assert.All(items.Zip(read), pair => Assert.Equal(pair.First.At.Offset, pair.Second.At.Offset));
            Assert.Equal(items, JsonSerializer.Deserialize<FunnelEvent[]>(JsonSerializer.Serialize(items, Options), Options));
        });
    }

    /// <summary>Journeys played from a template, the operations and an optional actor.</summary>
    private static Gen<(FunnelDefinition definition, (int Kind, int Index, int Minutes)[] operations, string? actor)> Scenarios =>
        from definition in Gen.Elements(FunnelTemplates.All.ToArray())
        from operations in Operations
        from actor in JsonGenerators.OptionalText
        select (definition, operations, actor);

    [Property(MaxTest = 150)]
    public Property Journey_WrittenAndRead_IsEqual() =>
        Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            var journey = Play(scenario.definition, scenario.operations, scenario.actor);
            var json = FunnelJson.WriteJourney(journey);
            Assert.Equal(journey, FunnelJson.ReadJourney(json, FunnelTemplates.All));
            Assert.Equal(journey, JsonSerializer.Deserialize<Journey>(JsonSerializer.Serialize(journey, Options), Options));
        });

    [Fact]
    public void Journey_Scenarios_IncludeForcedMovesWithOverriddenRules()
    {
        // Guards the property above against passing vacuously: 150 scenarios of the sizes it runs (0 to 100).
        var forcedSeen = Enumerable.Range(0, 150)
            .SelectMany(i => Scenarios.Sample(i * 100 / 150, 1))
            .Sum(scenario => Play(scenario.definition, scenario.operations, scenario.actor).History.Count(h => h.Override is { Overridden.IsEmpty: false }));
        Assert.True(forcedSeen > 0, "the generator produced no forced move with overridden rules");
    }

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
