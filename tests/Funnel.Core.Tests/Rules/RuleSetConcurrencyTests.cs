using Funnel.Core.Rules;
using static Funnel.Core.Tests.Rules.RuleTestData;

namespace Funnel.Core.Tests.Rules;

public class RuleSetConcurrencyTests
{
    [Fact]
    public async Task Run_OneRuleSetFromManyThreadsAtOnce_GivesTheSameResultsAsSequentially()
    {
        const int Leads = 400;
        static string Story(int lead)
        {
            var journey = StartB2B($"deal-{lead}", attributes: ("owner", $"manager-{lead % 7}"));
            var at = T0.AddMinutes(lead);
            var lines = new List<string>();
            void Add(RuleRun run)
            {
                lines.Add(run.ToString() + " | " + string.Join("; ", run.Pending) + " | " + string.Join("; ", run.Violations));
                journey = run.Journey;
            }

            Add(CrmRules.Run(journey, MoveRequest.MoveTo("proposal-sent", at = at.AddHours(1), "anna")));
            if (lead % 3 == 0)
            {
                Add(CrmRules.Run(journey, FunnelSignal.External("email.opened", at = at.AddHours(5))));
                Add(CrmRules.Run(journey, MoveRequest.MoveTo("deciding", at = at.AddHours(1), "anna")));
            }

            if (lead % 5 == 0)
            {
                Add(CrmRules.Run(journey, MoveRequest.Lost(lead % 2 == 0 ? "price" : "competitor", at = at.AddHours(1), "anna")));
            }

            Add(CrmRules.Run(journey, FunnelSignal.Idle(at.AddDays(4))));
            return string.Join("\n", lines);
        }

        var sequential = Enumerable.Range(0, Leads).Select(Story).ToArray();
        using var start = new ManualResetEventSlim(false);
        var tasks = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            start.Wait();
            return Enumerable.Range(0, Leads).Where(lead => lead % 8 == worker).Select(lead => (lead, Story(lead))).ToList();
        })).ToArray();
        start.Set();
        var parallel = (await Task.WhenAll(tasks)).SelectMany(x => x).OrderBy(x => x.lead).Select(x => x.Item2).ToArray();

        Assert.Equal(sequential, parallel);
        Assert.Contains(sequential, s => s.Contains("Call the client", StringComparison.Ordinal));
        Assert.Contains(sequential, s => s.Contains(BuiltInRuleTypes.NoSkippingKeyStages, StringComparison.Ordinal));
        Assert.Contains(sequential, s => s.Contains("Win back", StringComparison.Ordinal));
    }
}
