using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Fuzz.Tests;

namespace Funnel.Serialization.Json.Tests;

/// <summary>
/// Fuzz properties of the JSON readers (issue 18): any bytes, and random mutations of valid documents, read as a
/// definition, a definition document, a journey, an event log or a report give a value or a
/// <see cref="FunnelJsonException"/> whose every problem has a JSON path, a line and a position — never another
/// exception, a hang or a runaway allocation. Through <see cref="JsonSerializer"/> with
/// <see cref="FunnelJsonSerializerOptionsExtensions.ConfigureForFunnel"/> the documented error is a <see cref="JsonException"/>.
/// </summary>
[Properties(Arbitrary = [typeof(JsonFuzzArbitraries)], MaxTest = 200)]
public sealed class JsonReaderFuzzProperties
{
    private const long AllocationLimit = 64L << 20;

    private static readonly FunnelDefinition[] Definitions = [.. FunnelTemplates.All];

    private static readonly JsonSerializerOptions Options = new JsonSerializerOptions().ConfigureForFunnel(f => f.AddDefinitions(FunnelTemplates.All));

    [Property]
    public Property FunnelJson_AnyBytes_GiveAValueOrAFunnelJsonExceptionWithALocation(JsonFuzzCase c) => CheckFunnelJson(c.Bytes);

    [Property]
    public Property FunnelJson_MutatedValidDocument_GivesAValueOrAFunnelJsonExceptionWithALocation(JsonMutationCase c) => CheckFunnelJson(c.Bytes);

    [Property]
    public Property JsonSerializer_AnyBytes_GiveAValueOrAJsonException(JsonFuzzCase c) => CheckSerializer(c.Bytes);

    [Property]
    public Property JsonSerializer_MutatedValidDocument_GivesAValueOrAJsonException(JsonMutationCase c) => CheckSerializer(c.Bytes);

    private static Property CheckFunnelJson(byte[] bytes)
    {
        // The text entry points take a string: the bytes as UTF-8 (invalid sequences become U+FFFD), so escaped lone
        // surrogates and NUL still reach them; the byte entry points take the bytes as they are.
        var text = Encoding.UTF8.GetString(bytes);
        Action[] reads =
        [
            () => FunnelJson.ReadDefinition(bytes),
            () => FunnelJson.ReadDefinition(new MemoryStream(bytes)),
            () => FunnelJson.ReadDefinition(text),
            () => FunnelJson.ReadDefinitionDocument(bytes),
            () => FunnelJson.ReadJourney(text, Definitions),
            () => FunnelJson.ReadEvents(text),
            () => FunnelJson.ReadReport(text, Definitions),
        ];
        var problem = reads.Select((read, i) => ByteFuzz.Check(read, FunnelJsonJudge, AllocationLimit) is { } p ? $"read {i}: {p}" : null).FirstOrDefault(p => p is not null);
        return (problem is null).Label($"{problem}\n{ByteFuzz.Show(bytes)}");
    }

    private static Property CheckSerializer(byte[] bytes)
    {
        Action[] reads =
        [
            () => JsonSerializer.Deserialize<FunnelDefinition>(bytes, Options),
            () => JsonSerializer.Deserialize<FunnelDefinitionDocument>(bytes, Options),
            () => JsonSerializer.Deserialize<Journey>(bytes, Options),
            () => JsonSerializer.Deserialize<FunnelEvent[]>(bytes, Options),
            () => JsonSerializer.Deserialize<FunnelReport>(bytes, Options),
        ];
        var problem = reads.Select((read, i) => ByteFuzz.Check(read, SerializerJudge, AllocationLimit) is { } p ? $"read {i}: {p}" : null).FirstOrDefault(p => p is not null);
        return (problem is null).Label($"{problem}\n{ByteFuzz.Show(bytes)}");
    }

    private static string? FunnelJsonJudge(Exception e)
    {
        if (e is not FunnelJsonException json)
        {
            return "not a FunnelJsonException";
        }

        return json.Problems.FirstOrDefault(p => !p.Path.StartsWith('$') || p.Line < 1 || p.Position < 1) is { } bad
            ? $"a problem without a full location (path '{bad.Path}', line {bad.Line}, position {bad.Position})"
            : null;
    }

    private static string? SerializerJudge(Exception e) => e is JsonException ? null : "not a JsonException";
}

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
        var journey = RoundTripPropertyTests.Play(FunnelTemplates.Aida, [(0, 1, 30), (5, 0, 10), (3, 1, 60), (4, 0, 5), (7, 2, 5), (6, 1, 1)], "ann");
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
