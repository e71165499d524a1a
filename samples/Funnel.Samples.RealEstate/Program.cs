// Real estate: why a deal may not skip the showings, an audited manager override, and honest metrics. Run: dotnet run --project samples/Funnel.Samples.RealEstate
using System.Collections.Immutable;
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Core.Rules;
using Funnel.Samples.RealEstate;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture; // the same output on every machine
var pipeline = FunnelTemplates.RealEstate;
var start = new DateTimeOffset(2026, 4, 6, 9, 0, 0, TimeSpan.Zero);

// One immutable rule set for the whole agency, shared by every deal (and thread).
var rules = new RuleSetBuilder()
    // Showing, second showing and deal are key stages of the template: no forward jump over one never entered.
    .AddNoSkippingKeyStages()
    // No viewing without an address and a date; no deal without a price.
    .AddRequiredAttributes(new RequiredAttributesOptions
    {
        Requirements = ImmutableDictionary<StageKey, ImmutableArray<string>>.Empty
            .Add("showing", ["property", "viewing-at"])
            .Add("second-showing", ["second-viewing-at"])
            .Add("alternative-offer", ["alternative-property"])
            .Add("deal", ["agreed-price"]),
    })
    // Every lost buyer needs a reason and a real comment, or the loss report is useless.
    .AddLossReasonRequired(new LossReasonOptions { RequireComment = true, MinimumCommentLength = 10 })
    // Three unanswered calls in processing: the buyer is lost as unreachable.
    .AddMaxAttempts(new MaxAttemptsOptions { MaxAttempts = 3, Stages = ["processing"] })
    .Build();

// A rule naming a stage or reason the funnel lacks would silently never match: check once at start-up.
var problems = rules.Validate(pipeline);
if (!problems.IsEmpty)
{
    throw new InvalidOperationException("The rules do not fit the pipeline: " + string.Join(" ", problems));
}

Console.WriteLine($"Funnel: {pipeline.DisplayName} ({string.Join(" -> ", pipeline.Stages.Select(s => s.Key))})");
Console.WriteLine($"Key stages: {string.Join(", ", pipeline.Stages.Where(s => s.Kind == StageKind.Key).Select(s => s.Key))}");
Console.WriteLine($"Allowed moves: {string.Join(", ", pipeline.GetAllowedTransitions().Select(t => $"{t.From}->{t.To}"))}");
Console.WriteLine($"Rules: {string.Join(", ", rules.Rules.Select(r => r.Id))} (validated against the pipeline)");

// --- Hughes: an agent tries to close straight from the plans ----------------------------------------------------
Section("Hughes: a deal straight from the plans");
var hughes = Journey.Start(pipeline, "hughes", start, "website", [new("buyer", "Ms Hughes"), new("owner", "anna"), new("property", "14 Mill Lane, flat 7")]);
hughes = Apply(rules.Run(hughes, MoveRequest.MoveTo("plans-sent", start.AddHours(2), "anna")), start.AddHours(2), "anna e-mails the floor plans");
Say(start.AddHours(5), "Ms Hughes loves the plans; anna moves her straight to 'deal':");
Print(rules.Run(hughes, MoveRequest.MoveTo("deal", start.AddHours(5), "anna")).Violations);
hughes = hughes.SetAttribute("agreed-price", "412000").Journey;
Say(start.AddHours(5), "with the price recorded, anna presses the 'Won' button instead (a win is no loophole):");
Print(rules.Run(hughes, MoveRequest.Won(start.AddHours(5), "anna")).Violations);
Console.WriteLine("""
            Why the agency forbids it: a buyer who signs from the plans has not seen the light, the noise or the
            neighbours. Such deals collapse at the first visit, after the flat was taken off the market. And the
            numbers lie: a CRM that counts a deal as having passed every earlier stage reports showings that never
            happened, so the showing-to-deal rate looks better than the agents' real work.
      """);

const string Why = "Ms Hughes viewed this flat twice with the previous agency; the seller's agent confirmed it";
hughes = Apply(
    rules.Run(hughes, MoveRequest.MoveTo("deal", start.AddHours(6), DealSimulator.Manager).ForcedBy(DealSimulator.Manager, Why)),
    start.AddHours(6),
    "the head of the agency forces the deal, with a stated reason");
Console.WriteLine($"      history: {hughes.History[^1]}");
foreach (var overridden in hughes.History[^1].Override!.Overridden)
{
    Console.WriteLine($"      overrode {overridden}");
}

// --- Garcia: two showings, then a competitor ------------------------------------------------------------------------
Section("Garcia: two showings, then lost to a competitor");
var garcia = Journey.Start(pipeline, "garcia", start.AddDays(1), "portal", [new("buyer", "Mr Garcia"), new("owner", "boris"), new("property", "3 Harbour Road, flat 12")]);
garcia = Apply(rules.Run(garcia, MoveRequest.MoveTo("plans-sent", start.AddDays(1).AddHours(1), "boris")), start.AddDays(1).AddHours(1), "boris sends the plans");
Say(start.AddDays(2), "boris books a showing but forgets the date:");
Print(rules.Run(garcia, MoveRequest.MoveTo("showing", start.AddDays(2), "boris")).Violations);
garcia = Step(garcia, "showing", start.AddDays(2).AddHours(1), "boris", "showing booked for 2026-04-09 17:00", "viewing-at", "2026-04-09 17:00");
garcia = Step(garcia, "second-showing", start.AddDays(4), "boris", "he wants to see it again with his wife", "second-viewing-at", "2026-04-13 10:00");
Say(start.AddDays(9), "he buys elsewhere; boris marks him lost without a comment:");
Print(rules.Run(garcia, MoveRequest.Lost("competitor", start.AddDays(9), "boris")).Violations);
garcia = Apply(
    rules.Run(garcia, MoveRequest.Lost("competitor", start.AddDays(9), "boris", "Bought a flat two streets away through another agency.")),
    start.AddDays(9),
    "lost to a competitor, with a comment");

// --- Novak: the flat is sold, an alternative is shown, and she buys it ----------------------------------------------
Section("Novak: the flat is sold, an alternative is shown, then a deal");
var novak = Journey.Start(pipeline, "novak", start.AddDays(1), "referral", [new("buyer", "Ms Novak"), new("owner", "carla"), new("property", "27 Park Avenue, flat 3")]);
novak = Step(novak, "plans-sent", start.AddDays(1).AddHours(3), "carla", "carla sends the plans");
novak = Step(novak, "showing", start.AddDays(2), "carla", "first showing", "viewing-at", "2026-04-08 12:00");
novak = Step(novak, "second-showing", start.AddDays(4), "carla", "second showing", "second-viewing-at", "2026-04-11 12:00");
novak = Step(novak, "alternative-offer", start.AddDays(6), "carla", "the flat is sold to a cash buyer; carla offers 8 Station Square", "alternative-property", "8 Station Square, flat 21");
novak = novak.SetAttribute("property", "8 Station Square, flat 21").Journey;
novak = Step(novak, "showing", start.AddDays(7), "carla", "back to 'showing' for the alternative (the template allows it)", "viewing-at", "2026-04-14 18:00");
novak = Step(novak, "second-showing", start.AddDays(10), "carla", "second showing of the alternative", "second-viewing-at", "2026-04-18 11:00");
novak = Step(novak, "deal", start.AddDays(12), "carla", "deal at 365,000 (closing right after a second showing is allowed)", "agreed-price", "365000");

// --- Kim and Patel: a price loss at the alternative offer, and an unreachable buyer ---------------------------------
Section("Kim and Patel: lost at the alternative offer; lost after three calls");
var kim = Journey.Start(pipeline, "kim", start.AddDays(2), "portal", [new("buyer", "Mr Kim"), new("owner", "anna"), new("property", "5 Elm Street, flat 2")]);
foreach (var (stage, attribute, value, day) in new[]
{
    ("plans-sent", "", "", 2.2), ("showing", "viewing-at", "2026-04-10 09:00", 3.0),
    ("second-showing", "second-viewing-at", "2026-04-14 09:00", 5.0), ("alternative-offer", "alternative-property", "61 Elm Street, flat 9", 8.0),
})
{
    kim = rules.Run(attribute.Length == 0 ? kim : kim.SetAttribute(attribute, value).Journey, MoveRequest.MoveTo(stage, start.AddDays(day), "anna")).Journey;
}

kim = Apply(
    rules.Run(kim, MoveRequest.Lost("price", start.AddDays(11), "anna", "The alternative is 40,000 over his mortgage limit.")),
    start.AddDays(11),
    $"Mr Kim went {string.Join(" -> ", kim.History.Select(h => h.To))}; lost on price");
var patel = Journey.Start(pipeline, "patel", start.AddDays(3), "cold-list", [new("buyer", "Mr Patel"), new("owner", "boris")]);
for (var call = 1; call <= 3; call++)
{
    patel = Apply(rules.Run(patel, MoveRequest.Attempt(start.AddDays(3).AddHours(call * 3), "boris")), start.AddDays(3).AddHours(call * 3), $"boris calls Mr Patel, attempt {call}, no answer");
}

Section("Where the buyers stand");
foreach (var buyer in new[] { hughes, garcia, novak, kim, patel })
{
    var forced = buyer.History.Count(h => h.IsForced);
    Console.WriteLine($"  {buyer.Id,-7} {buyer.Status,-5} at {buyer.CurrentStage.Key,-18} {(buyer.LossReason is null ? "" : "(" + buyer.LossReason.DisplayName + ") ")}{(forced == 0 ? "" : $"[{forced} forced move]")}".TrimEnd());
}

// --- The agency's report over simulated deals -----------------------------------------------------------------------
var asOf = start.AddDays(75);
var deals = DealSimulator.Simulate(pipeline, rules, start, asOf, buyers: 60, seed: 2026);
Section($"Report: {deals.Length} simulated buyers (seed 2026), as of {asOf:yyyy-MM-dd}, every stage a buyer actually entered");
var entered = FunnelQuery.Default.AnyOrder().WithAsOf(asOf);
ReportPrinter.Print(FunnelReport.Compute(pipeline, deals, entered));

Section("If skips were allowed: the same buyers counted three ways");
var forcedSkips = deals.Where(d => d.History.Any(h => h.Override?.OverriddenRuleIds.Contains("no-skipping-key-stages") == true)).ToList();
var collapsed = forcedSkips.Count(d => d.Status == JourneyStatus.Lost);
Console.WriteLine($"  {forcedSkips.Count} deals were forced from the plans by {DealSimulator.Manager} (audited in their history); {collapsed} collapsed later.");
var views = new (string Name, FunnelQuery Query)[]
{
    ("entered", entered),
    ("ordered", FunnelQuery.Default.Ordered().WithAsOf(asOf)),
    ("pass-through", FunnelQuery.Default.PassThrough().WithAsOf(asOf)),
};
var reports = views.Select(v => FunnelReport.Compute(pipeline, deals, v.Query)).ToList();
Console.WriteLine($"  {"stage",-18} {string.Concat(views.Select(v => $"{v.Name,14}"))}");
foreach (var stage in pipeline.Stages)
{
    Console.WriteLine($"  {stage.DisplayName,-18} {string.Concat(reports.Select(r => $"{r[stage.Key].Reached,14}"))}");
}

Console.WriteLine("""

        entered:      the stages a buyer really entered; the forced deals count at 'deal' but at no showing.
        ordered:      the canonical count: each stage only after every earlier one, so a forced deal stops at 'plans sent';
                      the optional alternative offer must come before a deal too, so a close straight after the second
                      showing is not counted at 'deal' either. For this pipeline, read 'entered'.
        pass-through: how many CRMs count: a buyer at 'deal' passed every earlier stage. Each forced deal is credited
                      with a showing, a second showing and an alternative offer that never happened: the lie the
                      no-skipping rule keeps out of the agency's numbers.
      """);

// Sets an attribute when one is given, asks the rules to move the buyer, and prints the outcome.
Journey Step(Journey journey, StageKey stage, DateTimeOffset at, string actor, string what, string? attribute = null, string? value = null) =>
    Apply(rules.Run(attribute is null ? journey : journey.SetAttribute(attribute, value!).Journey, MoveRequest.MoveTo(stage, at, actor)), at, what);

static Journey Apply(RuleRun run, DateTimeOffset at, string what)
{
    if (!run.Succeeded)
    {
        Say(at, $"{what}: rejected");
        Print(run.Violations);
        return run.Journey;
    }

    Say(at, $"{what} -> {run.Journey.CurrentStage.DisplayName} ({run.Journey.Status})");
    foreach (var command in run.Applied)
    {
        Console.WriteLine($"      > applied  {command}");
    }

    return run.Journey;
}

static void Print(ImmutableArray<MoveViolation> violations)
{
    foreach (var violation in violations)
    {
        Console.WriteLine($"      x {violation.RuleId}: {violation.Message}");
    }
}

static void Say(DateTimeOffset at, string text) => Console.WriteLine($"  {at:MM-dd HH:mm}  {text}");

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title}");
}
