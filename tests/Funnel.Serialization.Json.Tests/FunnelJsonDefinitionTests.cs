using System.Text.Json;
using Funnel.Core;

namespace Funnel.Serialization.Json.Tests;

public class FunnelJsonDefinitionTests
{
    private const string Valid = """
        {
          "key": "shop",
          "displayName": "Online shop",
          "stages": [
            { "key": "attention", "phase": "top", "winProbability": 0.02 },
            { "key": "interest" },
            { "key": "cart", "displayName": "Added to cart", "idleLimit": "1.00:00:00", "stepWindow": "02:00:00" },
            { "key": "purchase", "kind": "key", "requiredAttributes": ["amount"], "channels": ["digital"] }
          ],
          "wonAt": "purchase",
          "lossReasons": [ { "key": "price", "category": "price", "recoverable": true } ],
          "transitions": [ { "from": "cart", "to": "interest" } ]
        }
        """;

    private static FunnelJsonException ReadFails(string json) => Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadDefinition(json, "shop.json"));

    [Fact]
    public void ReadDefinition_ValidDocument_BuildsEveryAttribute()
    {
        var definition = FunnelJson.ReadDefinition(Valid);

        Assert.Equal("Online shop", definition.DisplayName);
        Assert.Equal(["attention", "interest", "cart", "purchase"], definition.Stages.Select(s => s.Key.Value));
        Assert.Equal(FunnelPhase.Top, definition.Stages[0].Phase);
        Assert.Equal(0.02, definition.Stages[0].WinProbability);
        Assert.Equal(TimeSpan.FromDays(1), definition.Stages[2].IdleLimit);
        Assert.Equal(TimeSpan.FromHours(2), definition.Stages[2].StepWindow);
        Assert.Null(definition.Stages[1].StepWindow);
        Assert.Equal(StageKind.Key, definition.Stages[3].Kind);
        Assert.Equal(["amount"], definition.Stages[3].RequiredAttributes.ToArray());
        Assert.Equal(["digital"], definition.Stages[3].Channels.ToArray());
        Assert.Equal("purchase", definition.GoalStage.Key.Value);
        Assert.True(definition.GetLossReason("price").IsRecoverable);
        Assert.Equal(TransitionOptions.Default, definition.TransitionOptions);
        Assert.True(definition.IsTransitionAllowed("cart", "interest"));
    }

    [Fact]
    public void ReadDefinition_StepWindowOnTheFirstStage_NamesPathAndLine()
    {
        var json = Valid.Replace("\"winProbability\": 0.02", "\"winProbability\": 0.02, \"stepWindow\": \"00:01:00\"", StringComparison.Ordinal);

        var problem = Assert.Single(ReadFails(json).Problems);

        Assert.Equal("$.stages[0].stepWindow", problem.Path);
        Assert.Equal(5, problem.Line);
    }

    [Fact]
    public void WriteDefinition_StepWindow_RoundTrips()
    {
        var definition = FunnelJson.ReadDefinition(Valid);

        var again = FunnelJson.ReadDefinition(FunnelJson.WriteDefinition(definition));

        Assert.Equal(definition, again);
        Assert.Equal(TimeSpan.FromHours(2), again.Stages[2].StepWindow);
    }

    [Fact]
    public void Outcome_Reached_RoundTrips_AndTheDefaultIsNotWritten()
    {
        var json = Valid.Replace("\"wonAt\": \"purchase\",", "\"wonAt\": \"purchase\", \"outcome\": \"reached\",", StringComparison.Ordinal);
        var definition = FunnelJson.ReadDefinition(json);

        Assert.Equal(OutcomeRule.Reached, definition.Outcome);
        Assert.Equal(OutcomeRule.LastStatus, FunnelJson.ReadDefinition(Valid).Outcome);
        Assert.Equal(definition, FunnelJson.ReadDefinition(FunnelJson.WriteDefinition(definition)));
        Assert.Contains("\"outcome\": \"reached\"", FunnelJson.WriteDefinition(definition), StringComparison.Ordinal);
        Assert.DoesNotContain("outcome", FunnelJson.WriteDefinition(FunnelJson.ReadDefinition(Valid)), StringComparison.Ordinal);
    }

    [Fact]
    public void Outcome_UnknownValue_NamesTheKnownRulesAndThePath()
    {
        var json = Valid.Replace("\"wonAt\": \"purchase\",", "\"wonAt\": \"purchase\", \"outcome\": \"ever\",", StringComparison.Ordinal);

        var problem = Assert.Single(ReadFails(json).Problems);

        Assert.Equal("$.outcome", problem.Path);
        Assert.Contains("last-status, reached", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinition_ProbabilityOutOfRange_NamesPathAndLine()
    {
        var json = Valid.Replace("\"winProbability\": 0.02", "\"winProbability\": 1.5", StringComparison.Ordinal);

        var ex = ReadFails(json);

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("$.stages[0].winProbability", problem.Path);
        Assert.Equal(5, problem.Line);
        Assert.Contains("between 0 and 1", problem.Message, StringComparison.Ordinal);
        Assert.StartsWith("shop.json: $.stages[0].winProbability: ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("(line 5)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinition_SeveralValidationProblems_ReportsEveryOneWithItsPath()
    {
        var json = Valid
            .Replace("\"key\": \"interest\"", "\"key\": \"attention\"", StringComparison.Ordinal)
            .Replace("\"to\": \"interest\"", "\"to\": \"nowhere\"", StringComparison.Ordinal)
            .Replace("\"idleLimit\": \"1.00:00:00\"", "\"idleLimit\": \"-1.00:00:00\"", StringComparison.Ordinal);

        var ex = ReadFails(json);

        Assert.Equal(
            [("$.stages[1].key", 6), ("$.stages[2].idleLimit", 7), ("$.transitions[0].to", 12)],
            ex.Problems.Select(p => (p.Path, p.Line)));
    }

    [Fact]
    public void ReadDefinition_GoalNotAStage_PointsAtWonAt()
    {
        var ex = ReadFails(Valid.Replace("\"wonAt\": \"purchase\"", "\"wonAt\": \"paid\"", StringComparison.Ordinal));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("$.wonAt", problem.Path);
        Assert.Equal(10, problem.Line);
    }

    [Fact]
    public void ReadDefinition_UnknownProperty_ListsTheKnownOnes()
    {
        var ex = ReadFails(Valid.Replace("\"kind\": \"key\"", "\"kind\": \"key\", \"probability\": 1", StringComparison.Ordinal));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("$.stages[3].probability", problem.Path);
        Assert.Equal(8, problem.Line);
        Assert.Contains("known properties: key, displayName, kind", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinition_DuplicateProperty_IsAnError()
    {
        var ex = ReadFails(Valid.Replace("\"key\": \"interest\"", "\"key\": \"interest\", \"key\": \"again\"", StringComparison.Ordinal));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("$.stages[1].key", problem.Path);
        Assert.Equal(6, problem.Line);
        Assert.Contains("more than once", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinition_UnknownEnumValue_ListsTheKnownValues()
    {
        var ex = ReadFails(Valid.Replace("\"kind\": \"key\"", "\"kind\": \"money\"", StringComparison.Ordinal));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("$.stages[3].kind", problem.Path);
        Assert.Contains("standard, key, technical", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinition_WrongType_SaysWhatWasExpected()
    {
        var ex = ReadFails(Valid.Replace("0.02", "\"high\"", StringComparison.Ordinal));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("$.stages[0].winProbability", problem.Path);
        Assert.Contains("expected the win probability (a number), found the string \"high\"", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinition_SeveralShapeProblems_ReportsEveryOneWithItsPathAndLine()
    {
        var ex = ReadFails("""
            {
              "key": "shop",
              "stages": [
                { "key": "visit", "winProbability": "high" },
                { "key": "cart", "colour": { "nested": [1, { "deep": true }] }, "idleLimit": 5 },
                "paid",
                { "key": 3, "kind": "gold" }
              ],
              "lossReasons": [ { "key": "price", "recoverable": "yes" }, 7 ],
              "transitions": [ { "from": "visit", "to": "cart", "via": 1 } ],
              "wonAt": "paid",
              "key": "again",
              "colour": "blue"
            }
            """);

        Assert.Equal(
            [
                ("$.stages[0].winProbability", 4), ("$.stages[1].colour", 5), ("$.stages[1].idleLimit", 5), ("$.stages[2]", 6),
                ("$.stages[3].key", 7), ("$.stages[3].kind", 7), ("$.lossReasons[0].recoverable", 9), ("$.lossReasons[1]", 9),
                ("$.transitions[0].via", 10), ("$.key", 12), ("$.colour", 13),
            ],
            ex.Problems.Select(p => (p.Path, p.Line)));
        Assert.Contains("expected a stage (a JSON object), found the string \"paid\"", ex.Problems[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinition_KeyOfTheWrongType_IsNotAlsoReportedMissing()
    {
        var ex = ReadFails(Valid.Replace("\"key\": \"interest\"", "\"key\": 7", StringComparison.Ordinal));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("$.stages[1].key", problem.Path);
        Assert.Contains("expected the stage key (a string), found the number 7", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinition_ShapeProblemThenMalformedJson_ReportsTheMalformedJson()
    {
        var ex = ReadFails("{\n  \"key\": 1,\n  \"stages\": [ { \"key\": \"a\" ,, } ]\n}");

        Assert.Contains(ex.Problems, p => p.Line == 3 && p.Message.StartsWith("malformed JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadDefinition_MissingRequiredProperties_ReportsEach()
    {
        var ex = ReadFails("""{ "displayName": "x" }""");

        Assert.Equal(["$.key", "$.stages", "$.wonAt"], ex.Problems.Select(p => p.Path));
        Assert.All(ex.Problems, p => Assert.Equal(1, p.Line));
    }

    [Fact]
    public void ReadDefinition_MalformedJson_GivesTheLine()
    {
        var ex = ReadFails("{\n  \"key\": \"x\",\n  \"stages\": [,]\n}");

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(3, problem.Line);
        Assert.StartsWith("malformed JSON", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinition_BadIdleLimitFormat_ExplainsTheFormat()
    {
        var ex = ReadFails(Valid.Replace("1.00:00:00", "P1D", StringComparison.Ordinal));

        Assert.Contains("\"3.00:00:00\"", Assert.Single(ex.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinition_CommentsAndSchemaProperty_AreAccepted()
    {
        var json = Valid.Replace("\"key\": \"shop\",", "\"$schema\": \"x.json\", // the schema\n  \"key\": \"shop\",", StringComparison.Ordinal);

        Assert.Equal("shop", FunnelJson.ReadDefinition(json).Key);
    }

    [Fact]
    public void JsonSerializer_WithConfiguredOptions_ThrowsJsonExceptionNamingThePath()
    {
        var options = new JsonSerializerOptions().ConfigureForFunnel();
        var json = Valid.Replace("\"winProbability\": 0.02", "\"winProbability\": -1", StringComparison.Ordinal);

        var ex = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<FunnelDefinition>(json, options));

        Assert.Contains("$.stages[0].winProbability", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Templates_RoundTrip_ThroughFunnelJsonAndTheSourceGeneratedContext()
    {
        foreach (var template in FunnelTemplates.All)
        {
            Assert.Equal(template, FunnelJson.ReadDefinition(FunnelJson.WriteDefinition(template)));
            var json = JsonSerializer.Serialize(template, FunnelJsonContext.Default.FunnelDefinition);
            Assert.Equal(template, JsonSerializer.Deserialize(json, FunnelJsonContext.Default.FunnelDefinition));
        }
    }

    [Fact]
    public void DefinitionSchema_IsShippedAndParses()
    {
        using var schema = JsonDocument.Parse(FunnelJson.DefinitionSchema);

        Assert.Equal(FunnelJson.DefinitionSchemaId, schema.RootElement.GetProperty("$id").GetString());
    }
}
