using System.Text.RegularExpressions;

namespace Funnel.Cli.Tests;

/// <summary>Runs samples/Funnel.Samples.ShopAbandonedCart and checks what it prints.</summary>
public sealed class ShopAbandonedCartSampleTests
{
    [Fact]
    public void ShopAbandonedCart_Runs_RemindsLosesAndRetargetsRecoverableLossesOnly()
    {
        var run = CliRun.StartProgram(CliRun.Metadata("ShopSamplePath"), Path.GetTempPath());

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("@ e-mail to bob@example.com: \"You left a rain jacket in your cart.", run.Out, StringComparison.Ordinal);
        Assert.Contains("mark cleo lost (abandoned-cart)", run.Out, StringComparison.Ordinal);
        Assert.Contains("task \"Send the win-back e-mail (Abandoned cart)\" for Marketing", run.Out, StringComparison.Ordinal);
        Assert.Contains("signal cart.recovered -> Desire (added to cart) (Open)", run.Out, StringComparison.Ordinal);
        Assert.Contains("> reopen cleo: came back to the cart (cart-recovered)", run.Out, StringComparison.Ordinal);
        Assert.Contains("=> lost for 'Chose a competitor' (Competitor), which is not recoverable: 0 win-back tasks.", run.Out, StringComparison.Ordinal);
        Assert.Contains("== 40 simulated shoppers", run.Out, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"  (\d+) recoverable losses got \1 win-back tasks", RegexOptions.None, TimeSpan.FromSeconds(1)), run.Out);
        Assert.Contains("losses that are not recoverable got 0.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ShopAbandonedCart_TwoRuns_PrintTheSameText()
    {
        var first = CliRun.StartProgram(CliRun.Metadata("ShopSamplePath"), Path.GetTempPath());
        var second = CliRun.StartProgram(CliRun.Metadata("ShopSamplePath"), Path.GetTempPath());

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(first.Out, second.Out);
    }
}
