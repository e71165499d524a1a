using System.Collections.Immutable;
using Funnel.Core;
using Funnel.Core.Rules;

namespace Funnel.Samples.CrmAutomation;

/// <summary>
/// A custom automation: when a deal is won, the account team is notified and gets a kick-off call task.
/// Register it with <c>builder.AddAutomation("account-hand-off", new AccountHandOffAutomation("Account team"), SignalKinds.Won)</c>.
/// </summary>
/// <remarks>Stateless, so one instance serves every journey and thread.</remarks>
public sealed class AccountHandOffAutomation : IAutomation
{
    private readonly string _team;

    public AccountHandOffAutomation(string team) => _team = team;

    public ImmutableArray<RuleCommand> React(in AutomationArguments arguments)
    {
        if (arguments.Signal.Kind != SignalKinds.Won)
        {
            return []; // nothing to do: no allocation
        }

        var company = arguments.Journey.Attributes.GetValueOrDefault("company", arguments.Journey.Id);
        return
        [
            arguments.Notify(_team, $"{company} signed: please take over."),
            arguments.ScheduleTask($"Kick-off call with {company}", arguments.At.AddDays(2), _team),
        ];
    }
}
