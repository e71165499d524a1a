using System.Collections.Immutable;
using Funnel.Core.Rules;
using static Funnel.Core.Tests.Rules.RuleTestData;

namespace Funnel.Core.Tests.Rules;

public class RuleTypeRegistryTests
{
    private static RuleDescriptor Describe(string type, params (string Key, string Value)[] parameters) =>
        new(type, parameters.Select(p => KeyValuePair.Create(p.Key, p.Value)));

    [Fact]
    public void Default_KnowsEveryBuiltInRuleType()
    {
        string[] expected =
        [
            BuiltInRuleTypes.AllowedTransitions, BuiltInRuleTypes.AutoAdvance, BuiltInRuleTypes.IdleLimit, BuiltInRuleTypes.LossReason,
            BuiltInRuleTypes.MaxAttempts, BuiltInRuleTypes.NoSkippingKeyStages, BuiltInRuleTypes.RequiredAttributes, BuiltInRuleTypes.Retargeting,
        ];

        Assert.Equal(expected.Order(StringComparer.Ordinal), RuleTypeRegistry.Default.TypeNames);
    }

    [Fact]
    public void Create_EveryBuiltInFromData_BehavesLikeTheCodeForm()
    {
        var declared = new RuleSetBuilder()
            .Add(Describe("no-skipping-key-stages"))
            .Add(Describe("required-attributes", ("required.deciding", "decision-maker")))
            .Add(Describe("loss-reason", ("commentRequiredFor", "competitor")))
            .Add(Describe("max-attempts", ("maxAttempts", "2"), ("stages", "request")))
            .Add(Describe("idle-limit", ("id", "idle-reminder"), ("stages", "proposal-read, invoice-issued")))
            .Add(Describe("idle-limit", ("id", "idle-lost"), ("action", "MarkLost"), ("stages", "deciding")))
            .Add(Describe("auto-advance", ("signal", "email.opened"), ("from", "proposal-sent"), ("to", "proposal-read"), ("taskTitle", "Call the client")))
            .Add(Describe("retargeting"))
            .Build();

        Assert.Equal(CrmRules.Rules.Select(r => r.ToString()), declared.Rules.Select(r => r.ToString()));
        foreach (var (journey, step, at) in DeterminismTests.Scenario())
        {
            Assert.Equal(DeterminismTests.Describe(CrmRules, journey, step, at), DeterminismTests.Describe(declared, journey, step, at));
        }
    }

    [Fact]
    public void Create_AllowedTransitionsAndDurations_AreParsed()
    {
        var transitions = (AllowedTransitionsRule)RuleTypeRegistry.Default.Create(Describe("allowed-transitions", ("transitions", "request->proposal-sent, proposal-sent -> proposal-read"), ("priority", "7"))).Guard!;
        var idle = (IdleLimitRule)RuleTypeRegistry.Default.Create(Describe("idle-limit", ("limit.request", "PT2H"), ("limit.deciding", "10.00:00:00"))).Automation!;
        var retargeting = RuleTypeRegistry.Default.Create(Describe("retargeting", ("delay", "P2D"), ("enabled", "false"), ("id", "win-back")));

        Assert.Equal([("request", "proposal-sent"), ("proposal-sent", "proposal-read")], transitions.Options.Transitions.Select(t => (t.From.Value, t.To.Value)));
        Assert.Equal(TimeSpan.FromHours(2), idle.Options.Limits["request"]);
        Assert.Equal(TimeSpan.FromDays(10), idle.Options.Limits["deciding"]);
        Assert.Equal(TimeSpan.FromDays(2), ((RetargetingRule)retargeting.Automation!).Options.Delay);
        Assert.False(retargeting.IsEnabled);
        Assert.Equal("win-back", retargeting.Id);
    }

    [Fact]
    public void Create_UnknownTypeName_ListsTheKnownOnes()
    {
        var ex = Assert.Throws<RuleConfigurationException>(() => RuleTypeRegistry.Default.Create(Describe("max-attempt")));

        Assert.Contains("Unknown rule type 'max-attempt'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("allowed-transitions, auto-advance, idle-limit, loss-reason, max-attempts, no-skipping-key-stages, required-attributes, retargeting", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnknownParameter_NamesItAndTheKnownOnes()
    {
        var ex = Assert.Throws<RuleConfigurationException>(() => RuleTypeRegistry.Default.Create(Describe("max-attempts", ("maxAtempts", "2"))));

        Assert.Contains("'maxAtempts'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("maxAttempts", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("max-attempts", "maxAttempts", "three", "is not an integer")]
    [InlineData("max-attempts", "maxAttempts", "0", "MaxAttempts")]
    [InlineData("idle-limit", "action", "Explode", "is not one of Remind, MarkLost")]
    [InlineData("idle-limit", "limit.request", "soon", "is not a duration")]
    [InlineData("retargeting", "delay", "PXYZ", "is not an ISO 8601 duration")]
    [InlineData("loss-reason", "requireComment", "yes", "is not true or false")]
    [InlineData("allowed-transitions", "transitions", "a-b", "is not a stage pair")]
    [InlineData("auto-advance", "signal", "email.opened", "'from' is required")]
    public void Create_BadParameter_NamesTheTypeAndParameter(string type, string name, string value, string expected)
    {
        var ex = Assert.Throws<RuleConfigurationException>(() => RuleTypeRegistry.Default.Create(Describe(type, (name, value))));

        Assert.Contains($"Rule type '{type}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_UserRuleType_IsCreatedFromData()
    {
        var registry = RuleTypeRegistry.Default.With("min-amount", p =>
        {
            var minimum = p.GetInt32("minimum", 1000);
            var stage = p.GetRequiredString("stage");
            return RuleRegistration.ForGuard(p.GetString("id", "min-amount"), new LambdaGuard(a =>
                int.TryParse(a.Journey.Attributes.GetValueOrDefault("amount"), System.Globalization.CultureInfo.InvariantCulture, out var amount) && amount >= minimum
                    ? GuardVerdict.Allow
                    : GuardVerdict.Deny($"Amount below {minimum}.")), GuardScope.Entering(stage));
        });
        var rules = new RuleSetBuilder().Add(Describe("min-amount", ("stage", "invoice-issued"), ("minimum", "500")), registry).Build();
        var journey = StartB2B(definition: FreeB2B, attributes: ("amount", "100"));

        var result = rules.Evaluate(journey, MoveRequest.MoveTo("invoice-issued", T0));

        Assert.Equal("Amount below 500.", Assert.Single(result.Violations).Message);
        Assert.Contains("min-amount", registry.TypeNames);
        Assert.DoesNotContain("min-amount", RuleTypeRegistry.Default.TypeNames);
        Assert.Throws<ArgumentException>(() => registry.With("min-amount", _ => throw new InvalidOperationException()));
    }

    [Fact]
    public void Descriptor_ToString_ListsParametersInOrder() =>
        Assert.Equal("max-attempts(a=1, maxAttempts=3)", Describe("max-attempts", ("maxAttempts", "3"), ("a", "1")).ToString());

    [Fact]
    public void Descriptor_Parameters_AreImmutableAndOrdinal()
    {
        var descriptor = Describe("x", ("Key", "1"));

        Assert.False(descriptor.Parameters.ContainsKey("key"));
        Assert.IsType<ImmutableDictionary<string, string>>(descriptor.Parameters);
    }

    [Fact]
    public void Create_ParametersLeftOut_TakeTheDefaultsOfTheOptionsType()
    {
        var maxAttempts = Created<MaxAttemptsRule>(Describe("max-attempts")).Options;
        var maxDefaults = new MaxAttemptsOptions();
        Assert.Equal((maxDefaults.Id, maxDefaults.Priority, maxDefaults.Enabled, maxDefaults.MaxAttempts, maxDefaults.LossReason), (maxAttempts.Id, maxAttempts.Priority, maxAttempts.Enabled, maxAttempts.MaxAttempts, maxAttempts.LossReason));
        Assert.Equal<StageKey>(maxDefaults.Stages, maxAttempts.Stages);

        var idle = Created<IdleLimitRule>(Describe("idle-limit")).Options;
        var idleDefaults = new IdleLimitOptions();
        Assert.Equal((idleDefaults.Id, idleDefaults.Action, idleDefaults.LossReason, idleDefaults.TaskTitle, idleDefaults.AssigneeAttribute), (idle.Id, idle.Action, idle.LossReason, idle.TaskTitle, idle.AssigneeAttribute));
        Assert.Equal<KeyValuePair<StageKey, TimeSpan>>(idleDefaults.Limits, idle.Limits);

        var advance = Created<AutoAdvanceRule>(Describe("auto-advance", ("signal", "email.opened"), ("from", "a"), ("to", "b"))).Options;
        var advanceDefaults = new AutoAdvanceOptions();
        Assert.Equal((advanceDefaults.TaskTitle, advanceDefaults.TaskDueAfter, advanceDefaults.AssigneeAttribute), (advance.TaskTitle, advance.TaskDueAfter, advance.AssigneeAttribute));

        var retargeting = Created<RetargetingRule>(Describe("retargeting")).Options;
        var retargetingDefaults = new RetargetingOptions();
        Assert.Equal((retargetingDefaults.TaskTitle, retargetingDefaults.Delay, retargetingDefaults.Assignee), (retargeting.TaskTitle, retargeting.Delay, retargeting.Assignee));
        Assert.Equal<LossReasonKey>(retargetingDefaults.Reasons, retargeting.Reasons);

        var loss = Created<LossReasonRule>(Describe("loss-reason")).Options;
        var lossDefaults = new LossReasonOptions();
        Assert.Equal((lossDefaults.Id, lossDefaults.RequireComment, lossDefaults.MinimumCommentLength), (loss.Id, loss.RequireComment, loss.MinimumCommentLength));

        Assert.Equal(new NoSkippingKeyStagesOptions().IncludeWins, Created<NoSkippingKeyStagesRule>(Describe("no-skipping-key-stages")).Options.IncludeWins);
        Assert.Equal(new RequiredAttributesOptions().RejectBlankValues, Created<RequiredAttributesRule>(Describe("required-attributes", ("required.b", "owner"))).Options.RejectBlankValues);
        Assert.Equal(new AllowedTransitionsOptions().Id, Created<AllowedTransitionsRule>(Describe("allowed-transitions", ("transitions", "a->b"))).Options.Id);
    }

    private static TRule Created<TRule>(RuleDescriptor descriptor)
    {
        var rule = RuleTypeRegistry.Default.Create(descriptor);
        return Assert.IsType<TRule>(rule.Guard ?? (object?)rule.Automation);
    }
}
