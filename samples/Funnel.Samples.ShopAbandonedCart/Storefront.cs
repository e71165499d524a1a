using Funnel.Core;
using Funnel.Core.Rules;

namespace Funnel.Samples.ShopAbandonedCart;

/// <summary>
/// The shop's side of the rules: it runs storefront events, nightly sweeps and exit-survey answers through the shared
/// rule set and carries out what the rules leave to it. It sends the e-mails (notifications addressed to the shopper)
/// and records each one as an attempt, and keeps the staff's task list. Reopening a lost shopper who comes back to
/// the cart is the rules' job (the <c>cart-recovered</c> automation), so the shop only passes the event on. It writes
/// what happens to a log (<see cref="TextWriter.Null"/> for a quiet run).
/// </summary>
/// <remarks>Holds a task list: one instance per run of the shop, not thread-safe.</remarks>
public sealed class Storefront
{
    /// <summary>The storefront event of a shopper who follows a link back to the cart.</summary>
    public const string CartRecovered = "cart.recovered";

    private readonly RuleSet _rules;
    private readonly TextWriter _log;
    private readonly List<ScheduleTaskCommand> _tasks = [];

    public Storefront(RuleSet rules, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(log);
        _rules = rules;
        _log = log;
    }

    /// <summary>Gets every task the rules handed to the shop's staff, in order.</summary>
    public IReadOnlyList<ScheduleTaskCommand> Tasks => _tasks;

    /// <summary>Starts the journey of a shopper who lands on the shop.</summary>
    public Journey Arrive(FunnelDefinition shop, string id, DateTimeOffset at, string email, string source, string cart)
    {
        var shopper = Journey.Start(shop, id, at, "storefront", [new("email", email), new("source", source), new("cart", cart)]);
        Say(at, $"{id} lands from {source} -> {shopper.CurrentStage.DisplayName}");
        return shopper;
    }

    /// <summary>Runs a storefront event (<c>product.viewed</c>, <c>order.paid</c>, <c>email.opened</c>, ...).</summary>
    public Journey Signal(Journey shopper, string name, DateTimeOffset at) =>
        Carry(shopper, _rules.Run(shopper, FunnelSignal.External(name, at)), at, $"signal {name}", always: true);

    /// <summary>Runs the nightly sweep for idle shoppers; logs only a sweep that did something.</summary>
    public Journey Sweep(Journey shopper, DateTimeOffset at) =>
        Carry(shopper, _rules.Run(shopper, FunnelSignal.Idle(at)), at, "nightly sweep", always: false);

    /// <summary>Records a shopper's answer to the exit survey: lost, with the reason given.</summary>
    public Journey Quit(Journey shopper, LossReason reason, DateTimeOffset at, string answer) =>
        Carry(shopper, _rules.Run(shopper, MoveRequest.Lost(reason.Key, at, "exit-survey", answer)), at, $"exit survey: \"{answer}\"", always: true);

    private Journey Carry(Journey before, RuleRun run, DateTimeOffset at, string what, bool always)
    {
        if (!always && run.Applied.IsEmpty && run.Pending.IsEmpty)
        {
            return before;
        }

        var shopper = run.Journey;
        if (!run.Succeeded)
        {
            Say(at, $"{what}: rejected");
            foreach (var violation in run.Violations)
            {
                _log.WriteLine($"      x {violation.RuleId}: {violation.Message}");
            }

            return shopper;
        }

        var outcome = shopper.LossReason is null ? shopper.Status.ToString() : $"{shopper.Status}: {shopper.LossReason.DisplayName}";
        var nothing = run.Applied.IsEmpty && run.Pending.IsEmpty && shopper.Version == before.Version ? "  (no rule reacts)" : "";
        Say(at, $"{what} -> {shopper.CurrentStage.DisplayName} ({outcome}){nothing}");
        foreach (var command in run.Applied)
        {
            _log.WriteLine($"      > {command}");
        }

        foreach (var rejected in run.Rejected)
        {
            _log.WriteLine($"      x rejected {rejected}");
        }

        foreach (var command in run.Pending)
        {
            switch (command)
            {
                case NotifyCommand mail when mail.Recipient == shopper.Attributes.GetValueOrDefault("email"):
                    // Every e-mail to the shopper is a contact attempt at the current stage: it restarts the idle
                    // clock, and the abandoned-cart automation reads it as "reminded already".
                    shopper = _rules.Run(shopper, MoveRequest.Attempt(at, "mailer")).Journey;
                    _log.WriteLine($"      @ e-mail to {mail.Recipient}: \"{mail.Message}\" ({mail.RuleId}; attempt {shopper.GetAttempts(shopper.CurrentStage.Key)} at '{shopper.CurrentStage.Key}')");
                    break;
                case NotifyCommand note:
                    _log.WriteLine($"      ! {note.Recipient}: {note.Message} ({note.RuleId})");
                    break;
                case ScheduleTaskCommand task:
                    _tasks.Add(task);
                    _log.WriteLine($"      + task \"{task.Title}\" for {task.Assignee} due {task.Due:MM-dd HH:mm} ({task.RuleId})");
                    break;
                default:
                    _log.WriteLine($"      + {command}");
                    break;
            }
        }

        return shopper;
    }

    private void Say(DateTimeOffset at, string text) => _log.WriteLine($"  {at:MM-dd HH:mm}  {text}");
}
