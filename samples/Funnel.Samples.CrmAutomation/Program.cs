using System.Collections.Immutable;
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Core.Rules;
using Funnel.Samples.CrmAutomation;

// A B2B CRM pipeline with automation: technical stages that move by themselves on signals, tasks for managers,
// a stale deal lost after its idle limit, a rejected move printed with every reason, an audited bypass, and a manager view.
var pipeline = FunnelTemplates.B2BPipeline;
var start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

// One immutable rule set, shared by every deal (and thread).
var rules = new RuleSetBuilder()
    // Technical stages move by themselves.
    .AddAutoAdvance(new AutoAdvanceOptions { Id = "proposal-emailed", Signal = "proposal.emailed", From = "request", To = "proposal-sent" })
    .AddAutoAdvance(new AutoAdvanceOptions { Id = "proposal-opened", Signal = "email.opened", From = "proposal-sent", To = "proposal-read", TaskTitle = "Call the client" })
    .AddAutoAdvance(new AutoAdvanceOptions { Id = "invoice-paid", Signal = "invoice.paid", From = "deciding", To = "won" })
    // Guards.
    .AddNoSkippingKeyStages()
    .AddRequiredAttributes(new RequiredAttributesOptions
    {
        Requirements = ImmutableDictionary<StageKey, ImmutableArray<string>>.Empty.Add("deciding", ["decision-maker"]),
    })
    .AddLossReasonRequired(new LossReasonOptions { CommentRequiredFor = [LossReasonCatalog.Competitor.Key] })
    .AddGuard("discount-approval", new DiscountApprovalGuard(maxDiscountPercent: 20), GuardScope.Entering("invoice-issued"))
    // Automations.
    .AddMaxAttempts(new MaxAttemptsOptions { MaxAttempts = 3, Stages = ["request"] })
    .AddRetargeting(new RetargetingOptions { TaskTitle = "Send a win-back offer: {reason}" })
    .AddAutomation("account-hand-off", new AccountHandOffAutomation("Account team"), SignalKinds.Won)
    // Declared as data, as a JSON definition file would: stale deals in "deciding" are lost, others get a reminder.
    .Add(new RuleDescriptor(BuiltInRuleTypes.IdleLimit, new Dictionary<string, string>
    {
        ["id"] = "stale-deal",
        ["action"] = "MarkLost",
        ["stages"] = "deciding",
        ["lossReason"] = "slow-response",
    }))
    .Add(new RuleDescriptor(BuiltInRuleTypes.IdleLimit, new Dictionary<string, string>
    {
        ["id"] = "idle-reminder",
        ["stages"] = "request, proposal-sent, proposal-read, invoice-issued",
    }))
    .Build();

// A rule naming a stage or reason the funnel lacks would silently never match: check once at start-up.
var problems = rules.Validate(pipeline);
if (!problems.IsEmpty)
{
    throw new InvalidOperationException("The rules do not fit the pipeline: " + string.Join(" ", problems));
}

Console.WriteLine($"Funnel: {pipeline.DisplayName} ({string.Join(" -> ", pipeline.Stages.Select(s => s.Key))})");
Console.WriteLine($"Rules:  {string.Join(", ", rules.Rules.Select(r => r.Id))}");

// --- Acme: the happy path, mostly driven by signals -------------------------------------------------------------
Section("Acme: a request that moves by itself");
var acme = Journey.Start(pipeline, "acme", start, "web-form", [new("company", "Acme Corp"), new("owner", "anna")]);
Say(start, $"request received from Acme Corp, owner anna -> {acme.CurrentStage.DisplayName}");
acme = Apply(rules.Run(acme, FunnelSignal.External("proposal.emailed", start.AddHours(1))), start.AddHours(1), "signal proposal.emailed");
acme = Apply(rules.Run(acme, FunnelSignal.External("email.opened", start.AddHours(5))), start.AddHours(5), "signal email.opened");

Say(start.AddHours(6), "anna tries to jump straight to 'deciding':");
var rejected = rules.Run(acme, MoveRequest.MoveTo("deciding", start.AddHours(6), "anna"));
foreach (var violation in rejected.Violations)
{
    Console.WriteLine($"      x {violation.RuleId}: {violation.Message}");
}

acme = acme.SetAttribute("amount", "48000").Journey.SetAttribute("discount", "25").Journey;
Say(start.AddHours(7), "anna issues the invoice with a 25% discount:");
foreach (var violation in rules.Run(acme, MoveRequest.MoveTo("invoice-issued", start.AddHours(7), "anna")).Violations)
{
    Console.WriteLine($"      x {violation.RuleId}: {violation.Message} [{string.Join(", ", violation.Data.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"))}]");
}

acme = Apply(rules.Run(acme, MoveRequest.MoveTo("invoice-issued", start.AddHours(8), "head-of-sales")), start.AddHours(8), "head-of-sales issues the invoice");
acme = acme.SetAttribute("decision-maker", "CFO Jane Roe").Journey;
acme = Apply(rules.Run(acme, MoveRequest.MoveTo("deciding", start.AddDays(1), "anna")), start.AddDays(1), "anna: the CFO is deciding");
acme = Apply(rules.Run(acme, FunnelSignal.External("invoice.paid", start.AddDays(3))), start.AddDays(3), "signal invoice.paid");

// --- Globex: a stale deal ----------------------------------------------------------------------------------------
Section("Globex: a deal that goes stale in 'deciding'");
var globex = Journey.Start(pipeline, "globex", start, "web-form", [new("company", "Globex"), new("owner", "boris"), new("amount", "12000"), new("decision-maker", "CEO")]);
foreach (var stage in new[] { "proposal-sent", "proposal-read", "invoice-issued", "deciding" })
{
    globex = rules.Run(globex, MoveRequest.MoveTo(stage, start.AddDays(1), "boris")).Journey;
}

Say(start.AddDays(1), $"boris moved Globex to '{globex.CurrentStage.Key}' (idle limit {pipeline.GetStage("deciding").IdleLimit!.Value.TotalDays} days)");
foreach (var sweep in new[] { start.AddDays(8), start.AddDays(15) })
{
    globex = Apply(rules.Run(globex, FunnelSignal.Idle(sweep)), sweep, $"nightly sweep, {(sweep - globex.LastChangedAt).TotalDays} days idle");
}

// --- Initech: unanswered calls and a reminder ---------------------------------------------------------------------
Section("Initech: nobody answers the phone");
var initech = Journey.Start(pipeline, "initech", start, "cold-list", [new("company", "Initech"), new("owner", "carla")]);
initech = Apply(rules.Run(initech, FunnelSignal.Idle(start.AddHours(5))), start.AddHours(5), "sweep after 5 hours");
for (var call = 1; call <= 3; call++)
{
    initech = Apply(rules.Run(initech, MoveRequest.Attempt(start.AddHours(5 + call), "carla")), start.AddHours(5 + call), $"carla calls, attempt {call}, no answer");
}

// --- Umbrella: a loss to a competitor needs a comment; a forced move is audited ----------------------------------
Section("Umbrella: loss reasons and an audited bypass");
var umbrella = Journey.Start(pipeline, "umbrella", start, "partner", [new("company", "Umbrella"), new("owner", "anna")]);
umbrella = rules.Run(umbrella, MoveRequest.MoveTo("proposal-sent", start.AddHours(1), "anna")).Journey;
umbrella = rules.Run(umbrella, MoveRequest.MoveTo("proposal-read", start.AddHours(2), "anna")).Journey;
Say(start.AddHours(3), "anna marks Umbrella lost to a competitor without a comment:");
foreach (var violation in rules.Run(umbrella, MoveRequest.Lost("competitor", start.AddHours(3), "anna")).Violations)
{
    Console.WriteLine($"      x {violation.RuleId}: {violation.Message}");
}

const string Why = "Signed term sheet received by phone; paperwork follows.";
Say(start.AddHours(4), "the client calls back; the head of sales forces an invoice without an amount:");
foreach (var violation in rules.Run(umbrella, MoveRequest.MoveTo("invoice-issued", start.AddHours(4), "head-of-sales").ForcedBy("head-of-sales", Why)).Violations)
{
    Console.WriteLine($"      x {violation.RuleId}: {violation.Message} (the definition's own checks are never bypassed)");
}

umbrella = umbrella.SetAttribute("amount", "9000").Journey;
umbrella = Apply(
    rules.Run(umbrella, MoveRequest.MoveTo("deciding", start.AddHours(5), "head-of-sales").ForcedBy("head-of-sales", Why)),
    start.AddHours(5),
    "with the amount recorded, the head of sales forces the deal to 'deciding'");
Console.WriteLine($"      history: {umbrella.History[^1]}");

Section("Where the deals stand");
foreach (var deal in new[] { acme, globex, initech, umbrella })
{
    Console.WriteLine($"  {deal.Id,-9} {deal.Status,-5} at {deal.CurrentStage.Key,-15} {(deal.LossReason is null ? "" : "(" + deal.LossReason.DisplayName + ")")}");
}

// --- The manager view: per owner (the "owner" attribute), the load and how fast each one answers -----------------
// The response time is from a lead's first event to its next one (a move or a loss); call attempts are not events.
Section("Manager view: per owner, as of 03-17");
var view = ManagerView.Compute(pipeline, [acme, globex, initech, umbrella], FunnelQuery.Default.WithAsOf(start.AddDays(15)));
foreach (var manager in view.Managers)
{
    var reasons = string.Join(", ", manager.LostByReason.ByReason.Where(r => r.Count > 0).Select(r => $"{r.Reason.Key} {r.Count}"));
    var response = manager.MedianTimeToFirstMove is { } median ? median.TotalHours.ToString("0.# h", CultureInfo.InvariantCulture) : "-";
    Console.WriteLine($"  {manager.Owner,-6} handled {manager.Handled}, won {manager.Won}, lost {manager.Lost}{(reasons.Length == 0 ? "" : $" ({reasons})")}, open {manager.OpenNow}, median response {response}");
}

static Journey Apply(RuleRun run, DateTimeOffset at, string what)
{
    if (!run.Succeeded)
    {
        Say(at, $"{what}: rejected");
        foreach (var violation in run.Violations)
        {
            Console.WriteLine($"      x {violation.RuleId}: {violation.Message}");
        }

        return run.Journey;
    }

    Say(at, $"{what} -> {run.Journey.CurrentStage.DisplayName} ({run.Journey.Status})");
    foreach (var command in run.Applied)
    {
        Console.WriteLine($"      > applied  {command}");
    }

    foreach (var command in run.Rejected)
    {
        Console.WriteLine($"      x rejected {command}");
    }

    foreach (var command in run.Pending)
    {
        Console.WriteLine(command switch
        {
            ScheduleTaskCommand task => $"      + task     \"{task.Title}\" for {task.Assignee} due {task.Due:yyyy-MM-dd HH:mm} ({task.RuleId})",
            NotifyCommand note => $"      + notify   {note.Recipient}: {note.Message} ({note.RuleId})",
            _ => $"      + {command}",
        });
    }

    return run.Journey;
}

static void Say(DateTimeOffset at, string text) => Console.WriteLine($"  {at:MM-dd HH:mm}  {text}");

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title}");
}
