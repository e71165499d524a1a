using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core;

namespace Funnel.Serialization.Json.Tests;

/// <summary>The journeys the adapter writes follow the published journey schema, and the schema refuses what the reader refuses.</summary>
public class PublishedSchemaTests
{
    [Property(MaxTest = 100)]
    public Property Journey_Written_FollowsTheJourneySchema()
    {
        var scenarios = JourneyPlayGenerators.Scenarios.ToArbitrary();
        return Prop.ForAll(scenarios, scenario =>
        {
            var journey = JourneyPlayGenerators.Play(scenario.definition, scenario.operations, scenario.actor);
            var problems = PublishedSchemas.Journey.Problems(FunnelJson.WriteJourney(journey));
            return (problems.Count == 0).Label(string.Join("\n", problems));
        });
    }

    [Fact]
    public void Journey_WithAForcedMove_FollowsTheJourneySchema()
    {
        var journey = JourneyPlayGenerators.Play(FunnelTemplates.B2BPipeline, [(7, 3, 5), (6, 2, 1), (5, 0, 1), (8, 1, 10)], "ann");
        var json = FunnelJson.WriteJourney(journey);

        Assert.Contains("\"override\"", json, StringComparison.Ordinal);
        Assert.Contains("\"closedAt\"", json, StringComparison.Ordinal);
        Assert.Empty(PublishedSchemas.Journey.Problems(json));
    }

    [Fact]
    public void JourneySchema_RefusesWhatTheReaderRefuses_AtEachPlace()
    {
        var problems = PublishedSchemas.Journey.Problems(
            """
            { "id": " ", "definition": "b2b", "currentStage": "lead", "status": "closed", "enteredStageAt": "yesterday",
              "lastChangedAt": "2026-03-02T09:00:00+00:00", "attributes": { "": "x" },
              "history": [ { "kind": "jump", "to": "lead", "at": "2026-03-02T09:00:00+00:00", "override": { "actor": "boss" } } ] }
            """);

        Assert.Contains(problems, e => e.StartsWith(": required:", StringComparison.Ordinal) && e.Contains("version", StringComparison.Ordinal));
        Assert.Contains(problems, e => e.StartsWith("/id: pattern:", StringComparison.Ordinal));
        Assert.Contains(problems, e => e.StartsWith("/status: enum:", StringComparison.Ordinal));
        Assert.Contains(problems, e => e.StartsWith("/enteredStageAt: format:", StringComparison.Ordinal));
        Assert.Contains(problems, e => e.StartsWith("/attributes/", StringComparison.Ordinal));
        Assert.Contains(problems, e => e.StartsWith("/history/0/kind: enum:", StringComparison.Ordinal));
        Assert.Contains(problems, e => e.StartsWith("/history/0/override: required:", StringComparison.Ordinal) && e.Contains("reason", StringComparison.Ordinal));
    }
}
