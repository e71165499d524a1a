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
