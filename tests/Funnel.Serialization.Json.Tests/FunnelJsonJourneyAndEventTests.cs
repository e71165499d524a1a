using System.Text.Json;
using Funnel.Core;

namespace Funnel.Serialization.Json.Tests;

public class FunnelJsonJourneyAndEventTests
{
    [Fact]
    public void ReadJourney_UnknownDefinition_ListsTheKnownOnes()
    {
        var journey = Journey.Start(FunnelTemplates.Aida, "lead-1", JsonGenerators.T0);
        var json = FunnelJson.WriteJourney(journey);

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadJourney(json, [FunnelTemplates.B2BPipeline, FunnelTemplates.RealEstate]));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("$.definition", problem.Path);
        Assert.Equal(3, problem.Line);
        Assert.Contains("known definitions: b2b-pipeline, real-estate", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadJourney_HistoryEntryContradictsItself_NamesTheEntry()
    {
        var json = """
            {
              "id": "lead-1", "definition": "aida", "currentStage": "attention", "status": "open",
              "enteredStageAt": "2026-03-02T09:00:00+00:00", "lastChangedAt": "2026-03-02T09:00:00+00:00",
              "history": [
                { "kind": "start", "to": "attention", "at": "2026-03-02T09:00:00+00:00" },
                { "kind": "lost", "from": "attention", "to": "attention", "at": "2026-03-02T09:00:00+00:00" }
              ],
              "version": 1
            }
            """;

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadJourney(json, FunnelTemplates.All));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("$.history[1]", problem.Path);
        Assert.Contains("loss reason", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonSerializer_JourneyWithoutConfiguredDefinitions_SaysHowToFixIt()
    {
        var journey = Journey.Start(FunnelTemplates.Aida, "lead-1", JsonGenerators.T0);
        var options = new JsonSerializerOptions().ConfigureForFunnel();

        var ex = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Journey>(JsonSerializer.Serialize(journey, options), options));

        Assert.Contains("AddDefinition", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadEvents_BadItem_NamesItsIndexAndLine()
    {
        var json = """
            [
              { "entityId": "a", "stage": "awareness", "at": "2026-03-02T09:00:00Z" },
              { "entityId": "b", "stage": "awareness", "at": "yesterday" }
            ]
            """;

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadEvents(json));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("$[1].at", problem.Path);
        Assert.Equal(3, problem.Line);
    }

    [Fact]
    public void ReadEvents_LossEvent_KeepsReasonAndSegment()
    {
        var events = FunnelJson.ReadEvents("""[{ "entityId": "a", "stage": "convert", "at": "2026-03-02T09:00:00Z", "lossReason": "price", "segment": "ads" }]""");

        var e = Assert.Single(events);
        Assert.True(e.IsLoss);
        Assert.Equal("price", e.LossReason.Value);
        Assert.Equal("ads", e.Segment);
    }

    [Fact]
    public void WriteEvents_DefaultEvent_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => FunnelJson.WriteEvents([default(FunnelEvent)]));
    }
}
