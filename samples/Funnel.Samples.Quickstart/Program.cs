// Quickstart: the AIDA shop funnel. A few leads move through it, one is lost for a slow response, and one
// move is rejected and printed with every reason. Run: dotnet run --project samples/Funnel.Samples.Quickstart
using Funnel.Core;

var funnel = FunnelTemplates.Aida; // attention → interest → desire (added to cart) → action (purchase, the goal)
var t0 = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

// Ann buys: every move is checked, and each one returns a new, immutable journey.
var ann = Journey.Start(funnel, "ann", t0, actor: "web", attributes: [new("source", "search")])
    .MoveTo("interest", t0.AddMinutes(3)).GetJourneyOrThrow()
    .MoveTo("desire", t0.AddMinutes(9)).GetJourneyOrThrow()
    .MoveTo("action", t0.AddMinutes(15)).GetJourneyOrThrow();

// Bob fills his cart, then nobody answers his question in time: lost for a slow response.
var bob = Journey.Start(funnel, "bob", t0.AddHours(1))
    .MoveTo("interest", t0.AddHours(2)).GetJourneyOrThrow()
    .MoveTo("desire", t0.AddHours(3)).GetJourneyOrThrow()
    .MarkLost(LossReasonCatalog.SlowResponse.Key, t0.AddDays(2), actor: "shop-bot", note: "question in chat unanswered for 2 days").GetJourneyOrThrow();

// Cleo tries to jump straight from attention to purchase, with a clock that went backwards: rejected.
var cleo = Journey.Start(funnel, "cleo", t0.AddHours(4));
var rejected = cleo.MoveTo("action", t0.AddHours(3));

Console.WriteLine($"Funnel '{funnel.DisplayName}': {string.Join(" → ", funnel.Stages.Select(s => s.DisplayName))}");
Console.WriteLine();
foreach (var journey in new[] { ann, bob, cleo })
{
    var outcome = journey.Status switch
    {
        JourneyStatus.Won => $"won at '{journey.CurrentStage.DisplayName}'",
        JourneyStatus.Lost => $"lost at '{journey.LostAtStage!.DisplayName}': {journey.LossReason!.DisplayName}",
        _ => $"open at '{journey.CurrentStage.DisplayName}'",
    };
    Console.WriteLine($"{journey.Id,-5} {outcome} after {journey.History.Length - 1} move(s)");
    foreach (var entry in journey.History)
    {
        Console.WriteLine($"        {entry}");
    }
}

Console.WriteLine();
Console.WriteLine($"cleo  move to 'action' rejected ({rejected.Violations.Length} reasons):");
foreach (var violation in rejected.Violations)
{
    Console.WriteLine($"        [{violation.RuleId}] {violation.Message}");
}

Console.WriteLine();
var journeys = new[] { ann, bob, cleo };
foreach (var stage in funnel.Stages)
{
    var reached = journeys.Count(j => j.History.Any(h => h.To == stage.Key));
    Console.WriteLine($"{stage.DisplayName,-24} reached by {reached} of {journeys.Length}");
}
