using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Core.Storage;
using FsCheck;
using FsCheck.Xunit;

namespace Funnel.Serialization.Json.Tests;

public sealed class OutboxCommandJsonTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.FromHours(3));

    public static TheoryData<RuleCommand, string> Commands => new()
    {
        { new NotifyCommand("notify-manager", "lead-1", "manager@example.com", "Lead \"ACME\" moved"), "funnel.notify" },
        { new ScheduleTaskCommand("follow-up", "lead-1", "Call back", T0.AddDays(2), "anna"), "funnel.schedule-task" },
        { new ScheduleTaskCommand("follow-up", "lead-1", "Call back", T0.AddDays(2), null), "funnel.schedule-task" },
        { new MoveCommand("auto-advance", "lead-1", new StageKey("proposal"), "paid"), "funnel.move" },
        { new MarkWonCommand("auto-win", "lead-1"), "funnel.mark-won" },
        { new MarkLostCommand("max-attempts", "lead-1", new LossReasonKey("no-response"), "5 calls"), "funnel.mark-lost" },
        { new ReopenCommand("retarget", "lead-1", null), "funnel.reopen" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryCommand_RoundTripsThroughAnOutboxMessage(RuleCommand command, string type)
    {
        var message = FunnelJson.WriteOutboxMessage(command, T0);

        Assert.Equal(type, message.Type);
        Assert.Equal(T0, message.CreatedAt);
        Assert.Equal(command, FunnelJson.ReadOutboxCommand(message));
    }

    [Property]
    public void Notify_RoundTripsAnyText(NonEmptyString recipient, NonEmptyString text)
    {
        // Lone surrogates are not text a message can carry (stores refuse them too); any other character is.
        static string Clean(string s) => "x" + new string(s.Select(c => char.IsSurrogate(c) ? '?' : c).ToArray());
        var r = Clean(recipient.Get);
        var m = Clean(text.Get);
        var command = new NotifyCommand("rule", "lead", r, m);
        Assert.Equal(command, FunnelJson.ReadOutboxCommand(FunnelJson.WriteOutboxMessage(command, T0)));
    }

    [Fact]
    public void AMalformedPayload_ListsEveryProblemWithItsPath()
    {
        var message = new OutboxMessage("funnel.schedule-task", "{\"ruleId\": \"r\", \"title\": 5, \"due\": \"tomorrow\"}", T0);

        var error = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadOutboxCommand(message));

        Assert.Equal(["$.journeyId", "$.title", "$.due"], error.Problems.Select(p => p.Path));
        Assert.Contains("'tomorrow' is not an ISO 8601", error.Problems[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownType_OrABrokenDocument_IsRefusedByName()
    {
        var unknown = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadOutboxCommand(new OutboxMessage("crm.sync", "{\"ruleId\":\"r\",\"journeyId\":\"j\"}", T0)));
        Assert.Contains("'crm.sync' is not a rule command", unknown.Problems.Single().Message, StringComparison.Ordinal);

        var broken = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadOutboxCommand(new OutboxMessage("funnel.notify", "{\"ruleId\":", T0)));
        Assert.Single(broken.Problems);
    }
}
