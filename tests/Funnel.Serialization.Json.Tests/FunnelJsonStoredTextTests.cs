using Funnel.Core;

namespace Funnel.Serialization.Json.Tests;

/// <summary>
/// Issue 18, defect 6: lone surrogates and NUL characters in keys or attributes behaved differently in every store.
/// The rule (docs/storage.md, "Text rules") holds in JSON too: a journey's text may not contain U+0000 or an unpaired
/// surrogate, and reading one gives a <see cref="FunnelJsonException"/> with the JSON path and line of the string.
/// </summary>
public class FunnelJsonStoredTextTests
{
    private const string Template = """
        {
          "id": "@id", "definition": "aida", "currentStage": "interest", "status": "open",
          "enteredStageAt": "2026-03-02T10:00:00+00:00", "lastChangedAt": "2026-03-02T10:00:00+00:00",
          "history": [
            { "kind": "start", "to": "attention", "at": "2026-03-02T09:00:00+00:00", "actor": "@actor" },
            { "kind": "move", "from": "attention", "to": "interest", "at": "2026-03-02T10:00:00+00:00", "note": "@note",
              "override": { "actor": "boss", "reason": "@reason", "overridden": [] } }
          ],
          "attributes": { "@name": "@value" },
          "version": 1
        }
        """;

    public static TheoryData<string, string, string> BadTextInEveryField()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var bad in new[] { @"a\u0000b", @"a\ud800b", @"ab\udc00", @"\udc00\ud800" })
        {
            data.Add("@id", bad, "$.id");
            data.Add("@actor", bad, "$.history[0].actor");
            data.Add("@note", bad, "$.history[1].note");
            data.Add("@reason", bad, "$.history[1].override.reason");
            data.Add("@value", bad, "$.attributes.owner");
            data.Add("@name", bad, "$.attributes");
        }

        return data;
    }

    private static string Fill(string placeholder, string bad) =>
        Template.Replace(placeholder, bad, StringComparison.Ordinal)
            .Replace("@id", "lead-1", StringComparison.Ordinal)
            .Replace("@actor", "web", StringComparison.Ordinal)
            .Replace("@note", "called", StringComparison.Ordinal)
            .Replace("@reason", "urgent", StringComparison.Ordinal)
            .Replace("@name", "owner", StringComparison.Ordinal)
            .Replace("@value", "ann", StringComparison.Ordinal);

    [Fact]
    public void ReadJourney_CleanTemplate_Reads()
    {
        var journey = FunnelJson.ReadJourney(Fill("-", "-"), FunnelTemplates.All);

        Assert.Equal("ann", journey.Attributes["owner"]);
        Assert.True(journey.History[1].IsForced);
    }

    [Theory]
    [MemberData(nameof(BadTextInEveryField))]
    public void NulAndLoneSurrogate_InAnyJourneyText_ThrowsFunnelJsonExceptionWithPathAndLine(string placeholder, string bad, string path)
    {
        var json = Fill(placeholder, bad);
        var line = json[..json.IndexOf(bad, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadJourney(json, FunnelTemplates.All, "lead.json"));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(path, problem.Path);
        Assert.Equal(line, problem.Line);
        Assert.Contains(bad.Contains("u0000", StringComparison.Ordinal) ? "NUL character (U+0000)" : "not valid Unicode text", problem.Message, StringComparison.Ordinal);
        Assert.Contains("lead.json", ex.Message, StringComparison.Ordinal);
        if (placeholder == "@value" && bad == @"a\u0000b")
        {
            // The example in docs/json.md.
            Assert.Equal(@"an attribute value ""a\u0000b"" contains a NUL character (U+0000) at index 1; the text of a journey must not contain U+0000", problem.Message);
        }
    }

    [Theory]
    [InlineData(0x0000, "NUL character (U+0000) at index 1")]
    [InlineData(0xD800, "unpaired surrogate (U+D800) at index 1")] // (a code, not the text: attribute arguments cannot hold a lone surrogate)
    public void NulAndLoneSurrogate_InAJourneyToWrite_ThrowsNamingTheFieldInsteadOfWritingAChangedOrUnreadableText(int code, string what)
    {
        var bad = "a" + (char)code + "b";
        // The writer used to put U+FFFD in place of an unpaired surrogate, and wrote a NUL that no reader takes back.
        var start = Journey.Start(FunnelTemplates.Aida, "lead-1", JsonGenerators.T0);
        var withAttribute = start.SetAttribute("owner", bad).GetJourneyOrThrow();
        var withNote = start.MoveTo("interest", JsonGenerators.T0.AddHours(1), "ann", bad).GetJourneyOrThrow();

        var attributeError = Assert.Throws<ArgumentException>(() => FunnelJson.WriteJourney(withAttribute));
        var noteError = Assert.Throws<ArgumentException>(() => FunnelJson.WriteJourney(withNote));

        Assert.Contains("The value of attribute 'owner' of journey 'lead-1' contains", attributeError.Message, StringComparison.Ordinal);
        Assert.Contains(what, attributeError.Message, StringComparison.Ordinal);
        Assert.Contains("The note of history entry 1 of journey 'lead-1' contains", noteError.Message, StringComparison.Ordinal);
        Assert.Contains(what, noteError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NulAndLoneSurrogate_ValidSurrogatePairsAndOtherControlCharacters_AreKept()
    {
        var json = Fill("@value", @"\ud83d\ude80 tab\t bell\u0007");

        var journey = FunnelJson.ReadJourney(json, FunnelTemplates.All);

        Assert.Equal("🚀 tab\t bell\u0007", journey.Attributes["owner"]);
    }
}
