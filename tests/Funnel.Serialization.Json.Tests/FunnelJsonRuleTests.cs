using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core;
using Funnel.Core.Rules;

namespace Funnel.Serialization.Json.Tests;

public class FunnelJsonRuleTests
{
    private const string WithRules = """
        {
          "key": "crm",
          "stages": [ { "key": "request" }, { "key": "proposal" }, { "key": "invoice", "kind": "key" }, { "key": "won" } ],
          "wonAt": "won",
          "lossReasons": [ { "key": "unreachable" }, { "key": "slow-response" } ],
          "rules": [
            { "type": "max-attempts", "parameters": { "maxAttempts": 3, "stages": ["request", "proposal"] } },
            { "type": "no-skipping-key-stages" },
            { "type": "idle-limit", "parameters": { "action": "remind", "limit.proposal": "2.00:00:00", "enabled": false } }
          ]
        }
        """;

    [Fact]
    public void ReadDefinitionDocument_Rules_BecomeDescriptorsAndARuleSet()
    {
        var document = FunnelJson.ReadDefinitionDocument(WithRules);

        Assert.Equal(["max-attempts", "no-skipping-key-stages", "idle-limit"], document.Rules.Select(r => r.TypeName));
        Assert.Equal("3", document.Rules[0].Parameters["maxAttempts"]);
        Assert.Equal("request,proposal", document.Rules[0].Parameters["stages"]);
        Assert.Equal("false", document.Rules[2].Parameters["enabled"]);
        var rules = document.CreateRuleSet();
        Assert.Equal(["max-attempts", "no-skipping-key-stages", "idle-limit"], rules.Rules.Select(r => r.Id));
        Assert.False(rules.IsEnabled("idle-limit"));
    }

    [Fact]
    public void ReadDefinitionDocument_UnknownRuleType_ListsTheKnownOnes()
    {
        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadDefinitionDocument(WithRules.Replace("no-skipping-key-stages", "no-skips", StringComparison.Ordinal)));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("$.rules[1].type", problem.Path);
        Assert.Equal(8, problem.Line);
        Assert.Contains("Known rule types: allowed-transitions, auto-advance, idle-limit", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinitionDocument_CustomRuleType_IsKnownThroughTheRegistry()
    {
        var registry = RuleTypeRegistry.Default.With("no-skips", p => Registrations.GuardOf(p));

        var document = FunnelJson.ReadDefinitionDocument(WithRules.Replace("no-skipping-key-stages", "no-skips", StringComparison.Ordinal), registry);

        Assert.Equal("no-skips", document.CreateRuleSet(registry).Rules[1].Id);
    }

    [Fact]
    public void ReadDefinitionDocument_BadParameter_PointsAtIt_AlongWithDefinitionProblems()
    {
        var json = WithRules
            .Replace("\"maxAttempts\": 3", "\"maxAttempts\": \"many\"", StringComparison.Ordinal)
            .Replace("\"wonAt\": \"won\"", "\"wonAt\": \"paid\"", StringComparison.Ordinal);

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadDefinitionDocument(json));

        Assert.Equal(["$.wonAt", "$.rules[0].parameters.maxAttempts"], ex.Problems.Select(p => p.Path));
        Assert.Contains("is not an integer", ex.Problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinitionDocument_RepeatedRuleIds_AreReportedOnTheRules()
    {
        var json = WithRules.Replace("{ \"type\": \"no-skipping-key-stages\" }", "{ \"type\": \"no-skipping-key-stages\", \"parameters\": { \"id\": \"max-attempts\" } }", StringComparison.Ordinal);

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadDefinitionDocument(json));

        Assert.Equal("$.rules", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void ReadDefinitionDocument_RuleNamingAnUnknownStage_PointsAtTheRule()
    {
        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadDefinitionDocument(WithRules.Replace("[\"request\", \"proposal\"]", "[\"request\", \"offer\"]", StringComparison.Ordinal)));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("$.rules[0]", problem.Path);
        Assert.Contains("offer", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinition_DocumentWithRules_IsRejectedNotSilentlyDropped()
    {
        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadDefinition(WithRules));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("$.rules", problem.Path);
        Assert.Contains("ReadDefinitionDocument", problem.Message, StringComparison.Ordinal);
    }

    [Property(MaxTest = 80)]
    public Property Document_WrittenAndRead_IsEqual_AndFollowsTheSchema()
    {
        var options = new JsonSerializerOptions().ConfigureForFunnel();
        RuleDescriptor[] pool =
        [
            new("no-skipping-key-stages", [KeyValuePair.Create("includeWins", "false")]),
            new("no-skipping-key-stages", [KeyValuePair.Create("id", "keys"), KeyValuePair.Create("priority", "-2")]),
            new("idle-limit", [KeyValuePair.Create("action", "remind"), KeyValuePair.Create("taskTitle", "Call \"back\" ✓")]),
            new("retargeting", [KeyValuePair.Create("id", "win-back"), KeyValuePair.Create("delay", "P2D"), KeyValuePair.Create("taskTitle", "Win back \"{reason}\"")]),
            new("loss-reason", [KeyValuePair.Create("requireComment", "true")]),
        ];
        var documents = (from definition in JsonGenerators.Definitions
                         from picks in Gen.SubListOf(pool)
                         select new FunnelDefinitionDocument(definition, picks)).ToArbitrary();

        return Prop.ForAll(documents, document =>
        {
            var json = FunnelJson.WriteDefinitionDocument(document);
            Assert.Equal(document, FunnelJson.ReadDefinitionDocument(json));
            Assert.Equal(document, JsonSerializer.Deserialize<FunnelDefinitionDocument>(JsonSerializer.Serialize(document, options), options));
            Assert.Empty(PublishedSchemas.Definition.Problems(json));
        });
    }

    private static class Registrations
    {
        public static RuleRegistration GuardOf(RuleParameters parameters)
        {
            var id = parameters.GetString("id", "no-skips");
            return new RuleSetBuilder().AddGuard(id, _ => GuardVerdict.Allow).Build().Rules[0];
        }
    }
}
