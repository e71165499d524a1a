// An AIDA online shop: abandoned carts get a reminder e-mail, then are lost and retargeted; 40 simulated shoppers end
// in a funnel report with Wilson intervals. Run: dotnet run --project samples/Funnel.Samples.ShopAbandonedCart
using System.Collections.Immutable;
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Core.Rules;
using Funnel.Samples.ShopAbandonedCart;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture; // the same output on every machine
var shop = FunnelTemplates.Aida; // attention → interest → desire (added to cart) → action (purchase, the goal)
var cart = shop.GetStage("desire");

// One immutable rule set, shared by every shopper (and thread).
var rules = new RuleSetBuilder()
    // Storefront events move shoppers by themselves.
    .AddAutoAdvance(new AutoAdvanceOptions { Id = "product-viewed", Signal = "product.viewed", From = "attention", To = "interest" })
    .AddAutoAdvance(new AutoAdvanceOptions { Id = "cart-added", Signal = "cart.added", From = "interest", To = "desire" })
    .AddAutoAdvance(new AutoAdvanceOptions { Id = "order-paid", Signal = "order.paid", From = "desire", To = "action", TaskTitle = "Pack and ship the order" })
    // Abandoned carts: a reminder e-mail once a cart is idle past the stage's limit, lost when idle past it again.
    .AddAutomation("abandoned-cart", new AbandonedCartAutomation(cart), SignalKinds.Idle)
    // Window shoppers who never fill a cart: the built-in idle limit, with a limit of our own.
    .AddIdleLimit(new IdleLimitOptions
    {
        Id = "window-shopper",
        Action = IdleAction.MarkLost,
        LossReason = LossReasonCatalog.IncompleteJourney.Key,
        Stages = ["interest"],
        Limits = ImmutableDictionary<StageKey, TimeSpan>.Empty.Add("interest", TimeSpan.FromDays(3)),
    })
    // A win-back task for every recoverable loss, and for no other.
    .AddRetargeting(new RetargetingOptions { TaskTitle = "Send the win-back e-mail ({reason})" })
    // A lost shopper who opens the win-back e-mail is warm again: a quick lambda rule asks for a discount code.
    .AddAutomation("win-back-opened", SignalKinds.External, a =>
        a.Signal.Name == "email.opened" && a.Journey is { Status: JourneyStatus.Lost, LossReason.IsRecoverable: true }
            ? [a.ScheduleTask($"Send a 10% code to {a.Journey.Attributes.GetValueOrDefault("email")}", a.At.AddHours(2), "Marketing")]
            : [])
    // A lost shopper who follows a link back to the cart is reopened where they left off, through the same guards.
    .AddAutomation("cart-recovered", SignalKinds.External, a =>
        a.Signal.Name == Storefront.CartRecovered && a.Journey.Status == JourneyStatus.Lost ? [a.Reopen("came back to the cart")] : [])
    .Build();

// A rule naming a stage or reason the funnel lacks would silently never match: check once, at start-up.
var problems = rules.Validate(shop);
if (!problems.IsEmpty)
{
    throw new InvalidOperationException("The rules do not fit the shop: " + string.Join(" ", problems));
}

Console.WriteLine($"Funnel: {shop.DisplayName} ({string.Join(" -> ", shop.Stages.Select(s => s.Key))})");
Console.WriteLine($"Rules:  {string.Join(", ", rules.Rules.Select(r => r.Id))}");
Console.WriteLine($"A cart is idle after {cart.IdleLimit!.Value.TotalDays:0} day (the '{cart.Key}' stage's limit); the shop sweeps for idle shoppers nightly at 02:00 UTC.");
Console.WriteLine($"Recoverable losses:     {Reasons(shop.LossReasons.Where(r => r.IsRecoverable))}");
Console.WriteLine($"Not recoverable losses: {Reasons(shop.LossReasons.Where(r => !r.IsRecoverable))}");

// --- Four shoppers, step by step -----------------------------------------------------------------------------------
var monday = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
var store = new Storefront(rules, Console.Out);
var walkthrough = new (string Id, ShopperScript Script, string Cart)[]
{
    ("ann", ShopperScripts.BuysAtOnce, "running shoes"),
    ("bob", ShopperScripts.BuysAfterReminder, "a rain jacket"),
    ("cleo", ShopperScripts.ComesBackAfterWinBack, "two cookbooks"),
    ("dan", ShopperScripts.BuysElsewhere, "a coffee grinder"),
};
foreach (var (id, script, items) in walkthrough)
{
    Section($"{id}: {script.Name}");
    var shopper = store.Arrive(shop, id, monday, $"{id}@example.com", "search", items);
    shopper = script.Play(store, shopper, monday.AddDays(7));
    var winBacks = store.Tasks.Count(t => t.JourneyId == id && t.RuleId == "retargeting");
    if (shopper.LossReason is { IsRecoverable: false } reason)
    {
        Console.WriteLine($"  => lost for '{reason.DisplayName}' ({reason.Category}), which is not recoverable: {winBacks} win-back tasks.");
    }
}

// --- A few dozen shoppers, the same rules, and the report ----------------------------------------------------------
var random = new Random(2026);
var quiet = new Storefront(rules, TextWriter.Null);
var asOf = monday.AddDays(28);
var shoppers = new List<Journey>();
for (var i = 1; i <= 40; i++)
{
    var id = $"shopper-{i:00}";
    var landed = monday.AddDays(random.Next(21)).AddHours(random.Next(-1, 11)).AddMinutes(random.Next(60));
    var source = new[] { "search", "ads", "social" }[random.Next(3)];
    var shopper = quiet.Arrive(shop, id, landed, $"{id}@example.com", source, "a gift");
    shoppers.Add(ShopperScripts.Pick(random).Play(quiet, shopper, asOf));
}

var report = FunnelReport.Compute(shop, shoppers, FunnelQuery.Default.WithAsOf(asOf).WithSilentAfter(TimeSpan.FromDays(7)));
Section($"{report.Leads} simulated shoppers, landed {monday:MM-dd} to {monday.AddDays(20):MM-dd}, as of {asOf:yyyy-MM-dd}");
Console.WriteLine($"  won {report.Won}, lost {report.Lost}, open {report.Open}; overall conversion {Rate(report.OverallConversion)}, win rate {Rate(report.WinRate)}");
Console.WriteLine();
Console.WriteLine($"  {"stage",-24} {"reached",7}   {"from previous [95% Wilson]",-31} {"from top [95% Wilson]",-31} {"lost",4} {"silent",6}");
foreach (var stage in report.Stages)
{
    var fromTop = stage.ConversionFromTop is { } top ? Rate(top) : "";
    Console.WriteLine($"  {stage.Stage.DisplayName,-24} {stage.Reached,7}   {Rate(stage.ConversionFromPrevious),-31} {fromTop,-31} {stage.Losses.Total,4} {stage.Dropped,6}");
}

Console.WriteLine($"  * fewer than {report.Query.MinimumSample} shoppers behind the rate: a hint, not a fact. Silent: open, nothing for over {report.Query.SilentAfter.TotalDays:0} days.");

// Every shopper loses at most once here, so "lost for this reason" and "got a win-back task" match shopper by shopper.
var retargeted = quiet.Tasks.Where(t => t.RuleId == "retargeting").Select(t => t.JourneyId).ToHashSet();
Console.WriteLine();
Console.WriteLine($"  {"lost by reason (every loss, won back or not)",-46} {"",-15} {"losses",6} {"win-back tasks",14}");
foreach (var count in report.Losses.ByReason.Where(c => c.Count > 0))
{
    var lostForIt = shoppers.Where(s => s.History.Any(h => h.LossReason == count.Reason.Key)).ToList();
    var recoverable = count.Reason.IsRecoverable ? "recoverable" : "not recoverable";
    Console.WriteLine($"  {count.Reason.DisplayName,-46} {recoverable,-15} {count.Count,6} {lostForIt.Count(s => retargeted.Contains(s.Id)),14}");
}

var comeBack = shoppers.Count(s => s.Status == JourneyStatus.Won && s.History.Any(h => h.Kind == MoveKind.Reopen));
Console.WriteLine();
Console.WriteLine($"  {report.Losses.Recoverable} recoverable losses got {retargeted.Count} win-back tasks ({comeBack} of those shoppers came back and bought);");
Console.WriteLine($"  {report.Losses.NotRecoverable} losses that are not recoverable got {shoppers.Count(s => s.LossReason is { IsRecoverable: false } && retargeted.Contains(s.Id))}.");

static string Reasons(IEnumerable<LossReason> reasons) => string.Join(", ", reasons.Select(r => $"{r.Key} ({r.Category})"));

static string Rate(Proportion p) =>
    p.HasData ? $"{p.Successes}/{p.Trials} = {p.Value * 100:0.0}% [{p.Interval.Lower * 100:0.0}-{p.Interval.Upper * 100:0.0}]{(p.IsSmallSample ? "*" : "")}" : "no data";

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title}");
}
