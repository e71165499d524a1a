using System.Text;
using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Metrics;

namespace Funnel.Serialization.Json.Tests;

/// <summary>
/// Defect 7 (issue 18): text that is not valid Unicode (invalid UTF-8 bytes, an escaped lone surrogate) surfaced as
/// <see cref="InvalidOperationException"/>; a UTF-8 byte order mark was rejected as malformed JSON. Every reader
/// failure is now a <see cref="FunnelJsonException"/> with the JSON path, the line and the position in the line.
/// </summary>
public sealed class FunnelJsonInvalidTextTests
{
    private const string Definition = """
        {
          "key": "shop",
          "stages": [
            { "key": "attention" },
            { "key": "purchase" }
          ],
          "wonAt": "purchase",
          "lossReasons": [ { "key": "price" } ]
        }
        """;

    private static readonly JsonSerializerOptions Options = new JsonSerializerOptions().ConfigureForFunnel(f => f.AddDefinitions(FunnelTemplates.All));

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The 1-based line and position (in characters) of the first occurrence of <paramref name="fragment"/>.</summary>
    private static (int Line, int Position) Where(string text, string fragment)
    {
        var at = text.IndexOf(fragment, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{fragment}' is not in the text");
        var lineStart = text.LastIndexOf('\n', Math.Max(at - 1, 0)) + 1;
        return (text[..at].Count(c => c == '\n') + 1, at - lineStart + 1);
    }

    private static void AssertProblem(FunnelJsonException ex, string path, (int Line, int Position) where, string message)
    {
        var problem = Assert.Single(ex.Problems);
        Assert.Equal(path, problem.Path);
        Assert.Equal(where, (problem.Line, problem.Position));
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinition_InvalidUtf8InAStageKey_ThrowsFunnelJsonExceptionWithPathLineAndPosition()
    {
        var bytes = Utf8(Definition.Replace("\"purchase\" }", "\"purch\u0001se\" }", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)1)] = 0xFF; // not UTF-8

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadDefinition(bytes, "shop.json"));

        AssertProblem(ex, "$.stages[1].key", Where(Definition, "\"purchase\" }"), "the stage key is not valid Unicode text");
        Assert.StartsWith("shop.json: $.stages[1].key: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinition_EscapedLoneSurrogateInAStageKey_ThrowsFunnelJsonExceptionWithPathLineAndPosition()
    {
        var json = Definition.Replace("\"attention\"", "\"atten\\ud800tion\"", StringComparison.Ordinal);

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadDefinition(json));

        AssertProblem(ex, "$.stages[0].key", Where(json, "\"atten"), "\\ud800");
    }

    [Fact]
    public void ReadDefinition_LoneSurrogateInAPropertyName_NamesTheObject()
    {
        var json = Definition.Replace("\"wonAt\"", "\"won\\udc00At\"", StringComparison.Ordinal);

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadDefinition(json));

        AssertProblem(ex, "$", Where(json, "\"won\\udc00At\""), "a property name is not valid Unicode text");
    }

    [Fact]
    public void ReadDefinitionDocument_LoneSurrogateInARuleParameter_NamesTheParameter()
    {
        var json = Definition.Replace(
            "\"lossReasons\": [ { \"key\": \"price\" } ]",
            "\"lossReasons\": [ { \"key\": \"price\" } ],\n  \"rules\": [ { \"type\": \"max-attempts\", \"parameters\": { \"maxAttempts\": \"\\ud800\" } } ]",
            StringComparison.Ordinal);

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadDefinitionDocument(json));

        AssertProblem(ex, "$.rules[0].parameters.maxAttempts", Where(json, "\"\\ud800\""), "a rule parameter is not valid Unicode text");
    }

    [Fact]
    public void ReadEvents_LoneSurrogateInATime_NamesTheTime()
    {
        const string Json = """[ { "entityId": "a", "stage": "attention", "at": "2026-01-01T00:00:00\ud800Z" } ]""";

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadEvents(Json));

        AssertProblem(ex, "$[0].at", Where(Json, "\"2026"), "a string that is not valid Unicode text");
    }

    [Fact]
    public void ReadJourney_LoneSurrogateInAnAttribute_ThrowsFunnelJsonException()
    {
        var journey = Journey.Start(FunnelTemplates.Aida, "lead-1", JsonGenerators.T0, attributes: [KeyValuePair.Create("source", "ads")]);
        var json = FunnelJson.WriteJourney(journey).Replace("\"ads\"", "\"a\\ud800ds\"", StringComparison.Ordinal);

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadJourney(json, FunnelTemplates.All));

        var problem = Assert.Single(ex.Problems);
        Assert.StartsWith("$.attributes", problem.Path, StringComparison.Ordinal);
        Assert.Equal(Where(json, "\"a\\ud800ds\""), (problem.Line, problem.Position));
    }

    [Fact]
    public void ReadReport_LoneSurrogateInAStageKey_ThrowsFunnelJsonException()
    {
        var report = FunnelReport.Compute(FunnelTemplates.Aida, [new FunnelEvent("a", "attention", JsonGenerators.T0)]);
        var json = FunnelJson.WriteReport(report).Replace("\"interest\"", "\"inter\\udfffest\"", StringComparison.Ordinal);

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadReport(json, FunnelTemplates.All));

        Assert.Contains(ex.Problems, p => p.Path.StartsWith("$.stages[1]", StringComparison.Ordinal) && p.Line > 0 && p.Position > 0);
    }

    [Fact]
    public void JsonSerializer_LoneSurrogate_ThrowsJsonExceptionNamingThePath()
    {
        var json = Definition.Replace("\"attention\"", "\"\\ud800\"", StringComparison.Ordinal);

        var ex = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<FunnelDefinition>(json, Options));

        Assert.Contains("$.stages[0].key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDefinition_Utf8ByteOrderMark_IsAccepted()
    {
        var withBom = Encoding.UTF8.GetPreamble().Concat(Utf8(Definition)).ToArray();

        Assert.Equal("shop", FunnelJson.ReadDefinition(withBom).Key);
        Assert.Equal("shop", FunnelJson.ReadDefinition(new MemoryStream(withBom)).Key);
        Assert.Equal("shop", FunnelJson.ReadDefinition("\uFEFF" + Definition).Key);
        Assert.Equal("shop", FunnelJson.ReadDefinitionDocument(withBom).Definition.Key);
    }

    [Fact]
    public void ReadDefinitionFile_WrittenWithAByteOrderMark_IsReadAndErrorsKeepTheirLinesAndPositions()
    {
        var path = Path.Combine(Path.GetTempPath(), $"funnel-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, Definition, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            Assert.Equal("shop", FunnelJson.ReadDefinitionFile(path).Key);

            var bad = Definition.Replace("\"wonAt\": \"purchase\"", "\"wonAt\": \"nowhere\"", StringComparison.Ordinal);
            File.WriteAllText(path, bad, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadDefinitionFile(path));

            AssertProblem(ex, "$.wonAt", Where(bad, "\"nowhere\""), "nowhere");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadJourneyAndReport_ByteOrderMark_IsAccepted()
    {
        var journey = Journey.Start(FunnelTemplates.Aida, "lead-1", JsonGenerators.T0);
        var report = FunnelReport.Compute(FunnelTemplates.Aida, [new FunnelEvent("a", "attention", JsonGenerators.T0)]);

        Assert.Equal(journey, FunnelJson.ReadJourney("\uFEFF" + FunnelJson.WriteJourney(journey), FunnelTemplates.All));
        Assert.Equal(FunnelJson.WriteReport(report), FunnelJson.WriteReport(FunnelJson.ReadReport("\uFEFF" + FunnelJson.WriteReport(report), FunnelTemplates.All)));
        Assert.Single(FunnelJson.ReadEvents("\uFEFF" + FunnelJson.WriteEvents([new FunnelEvent("a", "attention", JsonGenerators.T0)])));
    }

    [Fact]
    public void ReadDefinition_MalformedJson_GivesLineAndPositionOfTheError()
    {
        var json = Definition.Replace("\"wonAt\": \"purchase\",", "\"wonAt\": \"purchase\" oops,", StringComparison.Ordinal);

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadDefinition(json));

        AssertProblem(ex, "$", Where(json, "oops"), "malformed JSON"); // in the object, after the value of wonAt
    }

    [Fact]
    public void ReadDefinition_ProblemAfterNonAsciiText_CountsThePositionInCharacters()
    {
        var json = Definition.Replace("{ \"key\": \"attention\" }", "{ \"key\": \"atención\", \"displayName\": \"日本\", \"winProbability\": 7 }", StringComparison.Ordinal);

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadDefinition(json));

        AssertProblem(ex, "$.stages[0].winProbability", Where(json, "7 }"), "between 0 and 1");
    }
}
