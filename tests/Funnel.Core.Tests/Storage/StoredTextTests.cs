using System.Collections.Immutable;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Storage;

namespace Funnel.Core.Tests.Storage;

/// <summary>
/// Issue 18, defect 6: lone surrogates and NUL characters behaved differently per store. <see cref="StoredText"/> is
/// the one rule every store and the JSON journey format apply.
/// </summary>
public class StoredTextTests
{
    private static readonly DateTimeOffset T0 = TestFunnels.T0;

    private static readonly FunnelDefinition Funnel = TestFunnels.FreeForm();

    /// <summary>The reference: text a strict UTF-8 encoder accepts (no unpaired surrogate) and that has no U+0000.</summary>
    private static bool Reference(string text)
    {
        try
        {
            _ = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetByteCount(text);
            return !text.Contains('\0', StringComparison.Ordinal);
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    [Property(MaxTest = 2000)]
    public Property IsValid_AnyMixOfNulSurrogatesAndOrdinaryCharacters_AgreesWithAStrictUtf8Encoder()
    {
        var text = StorageGenerators.HostileText;

        return Prop.ForAll(text.ToArbitrary(), s => StoredText.IsValid(s) == Reference(s));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("plain", true)]
    [InlineData("🚀 ok", true)]
    [InlineData("tab\tand\u0007bell", true)]
    [InlineData("\0", false)]
    [InlineData("x\0", false)]
    public void IsValid_Examples(string text, bool valid) => Assert.Equal(valid, StoredText.IsValid(text));

    [Fact]
    public void IsValid_LoneSurrogates_AreInvalid()
    {
        Assert.False(StoredText.IsValid("\uD800"));
        Assert.False(StoredText.IsValid("a\uDC00"));
        Assert.False(StoredText.IsValid("\uDE80\uD83D")); // a pair in the wrong order
        Assert.Throws<ArgumentNullException>(() => StoredText.IsValid(null!));
    }

    [Fact]
    public void Validate_BadTextInAnyField_ThrowsNamingTheFieldEntryAndPosition()
    {
        var start = Journey.Start(Funnel, "lead-1", T0, "web");
        var audit = new MoveOverride("boss", "why", [new MoveViolation("rule", "msg", ImmutableDictionary<string, string>.Empty.Add("stage", "x\uDBFF"))]);
        var cases = new (Journey Journey, string Message)[]
        {
            (Journey.Start(Funnel, "lead\0", T0), "The journey id of journey 'lead\\u0000' contains a NUL character (U+0000) at index 4"),
            (start.SetAttribute("ow\uD800ner", "ann").GetJourneyOrThrow(), "The attribute name of journey 'lead-1' contains an unpaired surrogate (U+D800) at index 2"),
            (start.SetAttribute("owner", "\uDC00").GetJourneyOrThrow(), "The value of attribute 'owner' of journey 'lead-1' contains an unpaired surrogate (U+DC00) at index 0"),
            (Journey.Start(Funnel, "lead-1", T0, "a\0"), "The actor of history entry 0 of journey 'lead-1' contains a NUL character (U+0000) at index 1"),
            (Forced(start, audit), "The data 'stage' of overridden violation 0 of history entry 1 of journey 'lead-1' contains an unpaired surrogate (U+DBFF) at index 1"),
        };

        foreach (var (journey, message) in cases)
        {
            var error = Assert.Throws<ArgumentException>(() => StoredText.Validate(journey));
            Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        }

        StoredText.Validate(start.SetAttribute("note", new string('x', 100_000)).GetJourneyOrThrow()); // no length limit here: that is the stores' option
        Assert.Throws<ArgumentNullException>(() => StoredText.Validate(null!));
    }

    private static Journey Forced(Journey start, MoveOverride audit) =>
        Journey.Restore(
            start.Definition, start.Id, start.Definition.Stages[1].Key, JourneyStatus.Open, default, T0.AddHours(1), T0.AddHours(1), null,
            [start.History[0], new JourneyTransition(MoveKind.Move, start.CurrentStage.Key, start.Definition.Stages[1].Key, T0.AddHours(1), "ann", null, default, audit)],
            [], [], 1);
}
