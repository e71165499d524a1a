using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Fuzz.Tests;
using Funnel.Serialization.Json.Converters;
using Funnel.Serialization.Json.Internal;
using Xunit.Abstractions;
using static Funnel.Serialization.Json.Tests.ReportGenerators;

namespace Funnel.Serialization.Json.Tests.Legacy;

/// <summary>
/// TEMPORARY (issue 21): the report converter on JsonObjectShape against the hand-written one it replaces. Same bytes
/// written, and for every document and mutation of it the same report read or the same problems (path, line,
/// position, message, in order).
/// </summary>
public sealed class ReportConverterDifferentialTests(ITestOutputHelper output)
{
    private static readonly ImmutableDictionary<string, FunnelDefinition> Map = FunnelTemplates.All.ToImmutableDictionary(d => d.Key, StringComparer.Ordinal);

    private static readonly FunnelReportJsonConverter Current = new(Map);

    private static readonly LegacyFunnelReportJsonConverter Old = new(Map);

    private static readonly FunnelQuery[] ModeQueries =
    [
        FunnelQuery.Default.WithOrder(StepOrder.Strict).WithMedian(MedianKind.Interpolated),
        FunnelQuery.Default.Ordered(TimeSpan.FromHours(20), AnchorMode.Best).WithOrder(StepOrder.Unordered),
        FunnelQuery.Default.WithExclusions([FunnelExclusion.Loss(1, 3, "competitor"), FunnelExclusion.Stage("desire", 0, 1), FunnelExclusion.Loss(0, 2)]),
        FunnelQuery.Default.Ordered(TimeSpan.FromHours(30), AnchorMode.Best).WithOptionalSteps(["interest"]).WithExclusions([FunnelExclusion.Loss(0, 2, "price"), FunnelExclusion.Stage("action", 2, 3)]),
        FunnelQuery.Default.WithOptionalSteps(["desire"]).WithConversionTimeBins(ConversionTimeBins.Edges([TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromDays(1)]))
            .WithMedian(MedianKind.Interpolated),
        FunnelQuery.Default.Ordered(null, AnchorMode.Latest).WithExclusions([FunnelExclusion.Loss(0, 3)]).WithOrder(StepOrder.Strict),
        FunnelQuery.Default.Ordered(TimeSpan.FromHours(2), AnchorMode.First).WithStepWindows([null, TimeSpan.FromMinutes(30), TimeSpan.Zero]),
    ];

    private static readonly JsonNode?[] Replacements =
    [
        null, JsonValue.Create("x"), JsonValue.Create(""), JsonValue.Create("interest"), JsonValue.Create("price"), JsonValue.Create(-1), JsonValue.Create(0), JsonValue.Create(1),
        JsonValue.Create(1.5), JsonValue.Create(true), JsonValue.Create(false), JsonValue.Create(1e300), JsonValue.Create(2.0), JsonValue.Create("01:00:00"),
        JsonValue.Create("2026-03-02T09:00:00+00:00"), JsonValue.Create("anyOrder"), JsonValue.Create("totals"), JsonValue.Create("unordered"),
    ];

    private long _documents;
    private long _mutations;
    private long _errors;

    [Fact]
    public void Converters_AgreeOnGeneratedReportsAndMutations()
    {
        var logs = (from events in EventLogs from query in Gen.Choose(0, Queries.Length + ModeQueries.Length - 1) from seed in Gen.Choose(0, int.MaxValue) select (events, query, seed)).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(logs, c =>
            Compare(FunnelReport.Compute(FunnelTemplates.Aida, c.events, c.query < Queries.Length ? Queries[c.query] : ModeQueries[c.query - Queries.Length]), c.seed)));

        var journeys = (from c in JourneyCases from seed in Gen.Choose(0, int.MaxValue) select (c, seed)).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(journeys, x =>
            Compare(FunnelReport.Compute(x.c.definition, x.c.plays.Select((operations, i) => JourneyPlayGenerators.Play(x.c.definition, operations, x.c.actor, $"lead-{i}")), Queries[x.c.query]), x.seed)));

        output.WriteLine($"{_documents} documents, {_mutations} mutated documents ({_errors} read with problems)");
    }

    private void Compare(FunnelReport report, int seed)
    {
        foreach (var indented in new[] { true, false })
        {
            var expected = FunnelJson.Write(report, indented, Old.WriteCore);
            var actual = FunnelJson.Write(report, indented, Current.WriteCore);
            Assert.Equal(expected, actual);
        }

        var text = FunnelJson.Write(report, true, Old.WriteCore);
        _documents++;
        CompareRead(Encoding.UTF8.GetBytes(text));
        var random = new Random(seed);
        for (var i = 0; i < 60; i++)
        {
            var root = JsonNode.Parse(text)!;
            JsonNode? duplicate = null;
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                duplicate = Mutate(root, random) ?? duplicate;
            }

            CompareRead(Encoding.UTF8.GetBytes(Serialize(root, duplicate)));
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        var fuzz = ByteFuzz.Mutations(Gen.Constant(bytes));
        foreach (var mutated in fuzz.Sample(20, 10))
        {
            CompareRead(mutated);
        }
    }

    private void CompareRead(byte[] bytes)
    {
        _mutations++;
        var expected = Outcome(bytes, Old.ReadValue);
        var actual = Outcome(bytes, Current.ReadValue);
        if (expected.StartsWith("ERR", StringComparison.Ordinal))
        {
            _errors++;
        }

        if (expected != actual)
        {
            Assert.Fail($"different outcomes for\n{Encoding.UTF8.GetString(bytes)}\nold: {expected}\nnew: {actual}");
        }
    }

    private delegate FunnelReport ValueReader(ref Utf8JsonReader reader, JsonReadContext context);

    /// <summary>What FunnelJson.ReadReport gives: the report (written back) or every problem with its line and position.</summary>
    private static string Outcome(byte[] bytes, ValueReader read)
    {
        var reader = new Utf8JsonReader(bytes, FunnelJson.ReaderOptions);
        var context = new JsonReadContext();
        try
        {
            if (!reader.Read())
            {
                return "ERR empty";
            }

            var value = read(ref reader, context);
            context.ThrowIfProblems();
            return "OK " + FunnelJson.Write(value, false, Old.WriteCore);
        }
        catch (FunnelJsonReadException ex)
        {
            var map = JsonLineMap.Create(bytes);
            var atToken = map.Locate(reader.TokenStartIndex);
            return "ERR " + string.Join("\n", ex.Problems.Select(p => (p, Where: p.Offset >= 0 ? map.Locate(p.Offset) : p.AtReaderPosition ? atToken : map.LocatePath(p.Path)))
                .Select(x => $"{x.p.Path} @{x.Where.Line}:{x.Where.Position} {x.p.Message}"));
        }
        catch (JsonException ex)
        {
            return "JSON " + ex.Message + " at " + context.Path;
        }
#pragma warning disable CA1031 // Any other exception is an outcome to compare too.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return "EXC " + ex.GetType().Name + ": " + ex.Message;
        }
    }

    /// <summary>One random change to the tree; returns an object member to write twice, when that is the change.</summary>
    private static JsonNode? Mutate(JsonNode root, Random random)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var node = nodes[random.Next(nodes.Count)];
        var parent = node.Parent;
        var kind = random.Next(12);
        if (parent is null)
        {
            if (root is JsonObject rootObject)
            {
                rootObject["extra"] = 1;
            }

            return null;
        }

        switch (kind)
        {
            case 0:
                Remove(node);
                return null;
            case 1:
                if (parent is JsonObject o1)
                {
                    var name = node.GetPropertyName();
                    o1.Remove(name);
                    o1[random.Next(2) == 0 ? "bogus" : name + "s"] = node;
                }

                return null;
            case 2:
                if (node is JsonObject o2)
                {
                    o2["extra"] = 1;
                }
                else if (node is JsonArray a2)
                {
                    a2.Add(a2.Count > 0 ? a2[random.Next(a2.Count)]?.DeepClone() : 1);
                }

                return null;
            case 3:
                if (node is JsonArray a3 && a3.Count > 1)
                {
                    var i = random.Next(a3.Count);
                    var item = a3[i];
                    a3.RemoveAt(i);
                    a3.Insert(random.Next(a3.Count + 1), item);
                }
                else if (node is JsonArray a3b)
                {
                    a3b.Clear();
                }

                return null;
            case 4:
                return parent is JsonObject ? node : null;
            case 5 or 6:
                if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
                {
                    var number = double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
                    Replace(node, JsonValue.Create(kind == 5 ? number + 1 : number == Math.Floor(number) ? -number : number * 0.5));
                    return null;
                }

                goto default;
            case 7:
                Replace(node, new JsonObject());
                return null;
            case 8:
                Replace(node, new JsonArray());
                return null;
            default:
                Replace(node, Replacements[random.Next(Replacements.Length)]?.DeepClone());
                return null;
        }
    }

    private static void Collect(JsonNode node, List<JsonNode> into)
    {
        into.Add(node);
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is not null)
            {
                Collect(child, into);
            }
        }
    }

    private static void Remove(JsonNode node)
    {
        switch (node.Parent)
        {
            case JsonObject o:
                o.Remove(node.GetPropertyName());
                break;
            case JsonArray a:
                a.RemoveAt(node.GetElementIndex());
                break;
        }
    }

    private static void Replace(JsonNode node, JsonNode? with)
    {
        switch (node.Parent)
        {
            case JsonObject o:
                o[node.GetPropertyName()] = with;
                break;
            case JsonArray a:
                a[node.GetElementIndex()] = with;
                break;
        }
    }

    /// <summary>The tree as indented text, with <paramref name="duplicate"/> (an object member) written twice.</summary>
    private static string Serialize(JsonNode root, JsonNode? duplicate)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            Write(writer, root, duplicate);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node, JsonNode? duplicate)
    {
        switch (node)
        {
            case JsonObject o:
                writer.WriteStartObject();
                foreach (var (name, value) in o)
                {
                    for (var n = ReferenceEquals(value, duplicate) && value is not null ? 2 : 1; n > 0; n--)
                    {
                        writer.WritePropertyName(name);
                        Write(writer, value, duplicate);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonArray a:
                writer.WriteStartArray();
                foreach (var item in a)
                {
                    Write(writer, item, duplicate);
                }

                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
