namespace Funnel.Core.Tests.Model;

/// <summary>The "did you mean" rules: case, separators, a typing slip, a display name; nothing for a far or ambiguous text.</summary>
public sealed class KeySuggestionTests
{
    private static readonly FunnelDefinition Aida = FunnelTemplates.Aida;

    [Theory]
    [InlineData("Interest", "interest", KeyMatch.IgnoringCase)]
    [InlineData("ACTION", "action", KeyMatch.IgnoringCase)]
    [InlineData("atention", "attention", KeyMatch.Typo)]
    [InlineData("intrest", "interest", KeyMatch.Typo)]
    [InlineData("desier", "desire", KeyMatch.Typo)]
    [InlineData("Desire (added to cart)", "desire", KeyMatch.DisplayName)]
    [InlineData("action (PURCHASE)", "action", KeyMatch.DisplayName)]
    public void ForStage_NearText_SuggestsTheKeyAndSaysHow(string text, string key, KeyMatch match)
    {
        var suggestion = KeySuggestion.ForStage(Aida, text);

        Assert.NotNull(suggestion);
        Assert.Equal((key, match), (suggestion.Key, suggestion.Match));
        Assert.Equal(Aida.Stages.Single(s => s.Key.Value == key).DisplayName, suggestion.DisplayName);
    }

    [Theory]
    [InlineData("Abandoned Cart", "abandoned-cart", KeyMatch.IgnoringSeparators)]
    [InlineData("no_budget", "no-budget", KeyMatch.IgnoringSeparators)]
    [InlineData("  not.qualified ", "not-qualified", KeyMatch.IgnoringSeparators)]
    [InlineData("Price", "price", KeyMatch.IgnoringCase)]
    [InlineData("Price too high", "price", KeyMatch.DisplayName)]
    [InlineData("competitr", "competitor", KeyMatch.Typo)]
    public void ForLossReason_NearText_SuggestsTheKeyAndSaysHow(string text, string key, KeyMatch match)
    {
        var suggestion = KeySuggestion.ForLossReason(Aida, text);

        Assert.NotNull(suggestion);
        Assert.Equal((key, match), (suggestion.Key, suggestion.Match));
    }

    [Theory]
    [InlineData("nowhere")]
    [InlineData("purchase")]
    [InlineData("x")]
    [InlineData("9")]
    [InlineData("")]
    [InlineData("attention")]
    public void ForStage_FarTextOrAKeyAlready_SuggestsNothing(string text) =>
        Assert.Null(KeySuggestion.ForStage(Aida, text));

    [Fact]
    public void ForStage_TwoKeysEquallyNear_SuggestsNothing()
    {
        var definition = new FunnelDefinitionBuilder("ties").AddStage("lead-a").AddStage("lead-b").WonAt("lead-b").Build();

        Assert.Null(KeySuggestion.ForStage(definition, "lead-c"));
        Assert.Equal("lead-a", KeySuggestion.ForStage(definition, "Lead A")?.Key);
    }

    [Fact]
    public void ToString_NamesTheDisplayNameOnlyWhenItMatched()
    {
        Assert.Equal("'price' (display name 'Price too high')", KeySuggestion.ForLossReason(Aida, "price too high")!.ToString());
        Assert.Equal("'interest'", KeySuggestion.ForStage(Aida, "Interest")!.ToString());
    }

    [Fact]
    public void Nearest_AnyNames_FindsTheOneMeantOrNone()
    {
        string[] commands = ["analyze", "generate", "validate", "init"];

        Assert.Equal("analyze", KeySuggestion.Nearest("anlyze", commands));
        Assert.Equal("validate", KeySuggestion.Nearest("Validate", commands));
        Assert.Null(KeySuggestion.Nearest("analyze", commands));
        Assert.Null(KeySuggestion.Nearest("report", commands));
        Assert.Throws<ArgumentNullException>(() => KeySuggestion.Nearest("x", null!));
        Assert.Throws<ArgumentNullException>(() => KeySuggestion.ForStage(null!, "x"));
    }
}
