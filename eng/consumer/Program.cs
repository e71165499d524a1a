using Funnel.Core;

var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
var journey = Journey.Start(FunnelTemplates.Aida, "consumer-lead", t0)
    .MoveTo("interest", t0.AddHours(1)).GetJourneyOrThrow();
var rejected = journey.MoveTo("action", t0.AddHours(2));
if (journey.CurrentStage.Key != "interest" || rejected.Succeeded)
{
    Console.Error.WriteLine("consumer: unexpected behaviour of the packed Funnel.Core");
    return 1;
}

Console.WriteLine($"consumer: Funnel.Core from the package works ({journey}; rejected: {rejected.Violations[0].RuleId})");
return 0;
