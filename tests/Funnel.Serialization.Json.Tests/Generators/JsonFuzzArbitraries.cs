using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Fuzz.Tests;

namespace Funnel.Serialization.Json.Tests;

/// <summary>Any bytes for the JSON readers.</summary>
public sealed record JsonFuzzCase(byte[] Bytes)
{
    public override string ToString() => ByteFuzz.Show(Bytes);
}

/// <summary>A mutated valid document: a definition, a definition document with rules, a journey, an event log or a report.</summary>
public sealed record JsonMutationCase(byte[] Bytes)
{
    public override string ToString() => ByteFuzz.Show(Bytes);
}

public static class JsonFuzzArbitraries
{
    private static readonly byte[] Alphabet = "{}[]\",:0123456789-.eE+ \n\ttruefalsnul\\/*abcdefgh$\u00e9\"key\"stage\"stages\"definition"u8.ToArray();

    private static readonly Lazy<byte[][]> Samples = new(MakeSamples);

    public static Arbitrary<JsonFuzzCase> JsonFuzzCases() =>
        ByteFuzz.Bytes(Alphabet, 200).Select(b => new JsonFuzzCase(b)).ToArbitrary();

    public static Arbitrary<JsonMutationCase> JsonMutationCases() =>
        ByteFuzz.Mutations(Gen.Elements(Samples.Value)).Select(b => new JsonMutationCase(b)).ToArbitrary();

    private static byte[][] MakeSamples()
    {
        var journey = JourneyPlayGenerators.Play(FunnelTemplates.Aida, [(0, 1, 30), (5, 0, 10), (3, 1, 60), (4, 0, 5), (7, 2, 5), (6, 1, 1)], "ann");
        var events = new[]
        {
            new FunnelEvent("lead-1", "attention", JsonGenerators.T0),
            new FunnelEvent("lead-1", "interest", JsonGenerators.T0.AddHours(2), segment: "ads"),
            new FunnelEvent("lead-2", "attention", JsonGenerators.T0.AddHours(1)),
            new FunnelEvent("lead-2", "attention", JsonGenerators.T0.AddHours(5), new LossReasonKey("price")),
        };
        var document = FunnelJson.ReadDefinitionDocument("""
            {
              "key": "crm",
              "stages": [ { "key": "request" }, { "key": "proposal" }, { "key": "won" } ],
              "wonAt": "won",
              "lossReasons": [ { "key": "unreachable" } ],
              "rules": [
                { "type": "max-attempts", "parameters": { "maxAttempts": 3, "stages": ["request", "proposal"] } },
                { "type": "idle-limit", "parameters": { "action": "remind", "limit.proposal": "2.00:00:00", "enabled": false } }
              ]
            }
            """);
        string[] texts =
        [
            FunnelJson.WriteDefinition(FunnelTemplates.B2BPipeline),
            FunnelJson.WriteDefinition(FunnelTemplates.Aida, indented: false),
            FunnelJson.WriteDefinitionDocument(document),
            FunnelJson.WriteJourney(journey),
            FunnelJson.WriteEvents(events),
            FunnelJson.WriteReport(FunnelReport.Compute(FunnelTemplates.Aida, events)),
        ];
        return [.. texts.Select(Encoding.UTF8.GetBytes)];
    }
}
