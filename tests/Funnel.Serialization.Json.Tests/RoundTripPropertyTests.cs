using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core;
using Funnel.Core.Rules;
using static Funnel.Serialization.Json.Tests.JourneyPlayGenerators;

namespace Funnel.Serialization.Json.Tests;

/// <summary>Definition, journey and event JSON round-trips to an equal value, and written definitions follow the schema.</summary>
public class RoundTripPropertyTests
{
    private static readonly JsonSerializerOptions Options = new JsonSerializerOptions().ConfigureForFunnel(f => f.AddDefinitions(FunnelTemplates.All));

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
}
