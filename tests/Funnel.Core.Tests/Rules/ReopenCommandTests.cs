using Funnel.Core.Rules;
using static Funnel.Core.Tests.Rules.RuleTestData;

namespace Funnel.Core.Tests.Rules;

public class ReopenCommandTests
{
    [Fact]
    public void ToString_WithAndWithoutNote_ShowsEveryField()
    {
        Assert.Equal("reopen lead-1 (win-back)", new ReopenCommand("win-back", "lead-1").ToString());
        Assert.Equal("reopen lead-1: came back (win-back)", new ReopenCommand("win-back", "lead-1", "came back").ToString());
    }

    [Theory]
    [InlineData(null, "lead-1")]
    [InlineData("", "lead-1")]
    [InlineData(" ", "lead-1")]
    [InlineData("win-back", null)]
    [InlineData("win-back", "")]
    [InlineData("win-back", "\t")]
    public void Constructor_BlankId_Throws(string? ruleId, string? journeyId) =>
        Assert.ThrowsAny<ArgumentException>(() => new ReopenCommand(ruleId!, journeyId!));

    [Fact]
    public void AutomationArgumentsReopen_CarriesTheRuleAndJourneyIds()
    {
        var arguments = new AutomationArguments(StartB2B(), FunnelSignal.External("ping", T0), "win-back");

        var command = arguments.Reopen("came back");

        Assert.Equal(("win-back", "deal-1", "came back"), (command.RuleId, command.JourneyId, command.Note));
        Assert.Null(arguments.Reopen().Note);
    }

    [Fact]
    public void Equals_SameFields_AreEqualButOtherCommandTypesAreNot()
    {
        var command = new ReopenCommand("r", "lead-1", "n");

        Assert.Equal(command, new ReopenCommand("r", "lead-1", "n"));
        Assert.Equal(command.GetHashCode(), new ReopenCommand("r", "lead-1", "n").GetHashCode());
        Assert.NotEqual(command, new ReopenCommand("r", "lead-1"));
        Assert.NotEqual<RuleCommand>(command, new MarkWonCommand("r", "lead-1", "n"));
    }
}
