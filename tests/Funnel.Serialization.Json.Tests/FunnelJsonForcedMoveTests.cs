using System.Collections.Immutable;
using Funnel.Core;
using Funnel.Core.Rules;

namespace Funnel.Serialization.Json.Tests;

/// <summary>
/// Issue 18, defect 1 (the audit of a forced move was lost by the stores): the JSON format already kept it; this test
/// pins that it keeps all of it — actor, reason, and every overridden violation with its rule id, message and data.
/// </summary>
public class FunnelJsonForcedMoveTests
{
    [Fact]
    public void ForcedMoveAudit_WrittenAndReadBack_KeepsWhoWhyAndEveryOverriddenViolation()
    {
        var rules = new RuleSetBuilder()
            .AddGuard("manager-approval", _ => GuardVerdict.Deny("Needs a manager.", ImmutableDictionary<string, string>.Empty.Add("missing", "approved-by")))
            .Build();
        var start = Journey.Start(FunnelTemplates.Aida, "lead-1", JsonGenerators.T0);

        // A skip past the graph and the guard at once: two violations overridden.
        var forced = rules.Evaluate(start, MoveRequest.MoveTo("desire", JsonGenerators.T0.AddHours(1), "crm").ForcedBy("vera.boss", "Called back; skip."))
            .GetJourneyOrThrow();
        var audit = forced.History[^1].Override!;
        Assert.Equal(2, audit.Overridden.Length);

        var read = FunnelJson.ReadJourney(FunnelJson.WriteJourney(forced), FunnelTemplates.All);

        Assert.Equal(forced, read);
        var back = read.History[^1].Override!;
        Assert.Equal("vera.boss", back.Actor);
        Assert.Equal("Called back; skip.", back.Reason);
        Assert.Equal(audit.OverriddenRuleIds.ToArray(), back.OverriddenRuleIds.ToArray());
        Assert.Equal(
            audit.Overridden.Select(v => v.Data.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray()),
            back.Overridden.Select(v => v.Data.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray()));
        Assert.Equal("approved-by", back.Overridden.Single(v => v.RuleId == "manager-approval").Data["missing"]);
    }
}
