namespace Funnel.Core.Tests.Model;

public class StageKeyTests
{
    [Fact]
    public void Default_HasNoText()
    {
        var key = default(StageKey);
        Assert.True(key.IsDefault);
        Assert.Equal(string.Empty, key.Value);
        Assert.Equal(string.Empty, key.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_BlankText_Throws(string text) => Assert.Throws<ArgumentException>(() => new StageKey(text));

    [Fact]
    public void Constructor_Null_Throws() => Assert.Throws<ArgumentNullException>(() => new StageKey(null!));

    [Fact]
    public void Equality_IsOrdinalAndCaseSensitive()
    {
        StageKey a = "Interest";
        Assert.Equal(new StageKey("Interest"), a);
        Assert.True(a == "Interest");
        Assert.NotEqual(new StageKey("interest"), a);
        Assert.True(a != "interest");
        Assert.Equal(a.GetHashCode(), new StageKey("Interest").GetHashCode());
    }

    [Fact]
    public void Comparison_IsOrdinal()
    {
        Assert.True(new StageKey("B") < new StageKey("a"));
        Assert.True(new StageKey("a") >= new StageKey("B"));
        Assert.True(default(StageKey) < new StageKey("a"));
    }

    [Fact]
    public void LossReasonKey_BehavesLikeStageKey()
    {
        LossReasonKey price = "price";
        Assert.Equal("price", price.Value);
        Assert.True(default(LossReasonKey).IsDefault);
        Assert.Throws<ArgumentException>(() => new LossReasonKey(" "));
        Assert.Equal(new LossReasonKey("price"), price);
    }
}
