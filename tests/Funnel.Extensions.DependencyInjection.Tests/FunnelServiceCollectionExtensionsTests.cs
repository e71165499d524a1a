using Funnel.Core;
using Funnel.Core.Rules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Funnel.Extensions.DependencyInjection.Tests;

public sealed class FunnelServiceCollectionExtensionsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("funnel-di-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string ShopJson = """
        {
          "key": "shop",
          "stages": [ { "key": "visit" }, { "key": "cart" }, { "key": "paid", "kind": "key" } ],
          "wonAt": "paid",
          "lossReasons": [ { "key": "price", "category": "price" } ]
        }
        """;

    private string WriteFile(string name, string json)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void AddFunnel_DefinitionsFromCodeAndJson_AreResolvedByKey()
    {
        WriteFile("shop.json", ShopJson);
        var services = new ServiceCollection();
        var builder = services.AddFunnel()
            .AddDefinition(FunnelTemplates.B2BPipeline)
            .AddDefinition("mini", "Mini", b => b.AddStage("a").AddStage("b").WonAt("b"))
            .AddJsonDefinitions(_folder);

        Assert.Same(services, builder.Services);
        using var provider = services.BuildServiceProvider(validateScopes: true);
        var registry = provider.GetRequiredService<IFunnelRegistry>();

        Assert.Equal(["b2b-pipeline", "mini", "shop"], registry.Keys);
        Assert.Same(FunnelTemplates.B2BPipeline, registry.GetDefinition("b2b-pipeline"));
        Assert.Equal("Mini", registry.GetDefinition("mini").DisplayName);
        Assert.Equal(StageKind.Key, registry.GetDefinition("shop").GetStage("paid").Kind);
        Assert.Same(registry, provider.GetRequiredService<IFunnelRegistry>());
    }

    [Fact]
    public void GetDefinition_UnknownKey_ListsTheRegisteredOnes()
    {
        var services = new ServiceCollection();
        services.AddFunnel(f => f.AddDefinition(FunnelTemplates.Aida));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<IFunnelRegistry>().GetDefinition("crm"));

        Assert.Contains("registered: aida", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddFunnel_CalledTwice_RegistersEachServiceOnce_AndKeepsBothDefinitions()
    {
        var services = new ServiceCollection();
        services.AddFunnel(f => f.AddDefinition(FunnelTemplates.Aida));
        var count = services.Count;
        services.AddFunnel(f => f.AddDefinition(FunnelTemplates.FiveStage));

        Assert.Equal(count + 1, services.Count); // only the second Configure callback
        Assert.Single(services, d => d.ServiceType == typeof(IFunnelRegistry));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<FunnelOptions>));
        using var provider = services.BuildServiceProvider();
        Assert.Equal(["aida", "five-stage"], provider.GetRequiredService<IFunnelRegistry>().Keys);
    }

    [Fact]
    public void AddFunnel_SameDefinitionTwice_IsKeptOnce_ButADifferentOneWithTheSameKeyFails()
    {
        var services = new ServiceCollection();
        services.AddFunnel().AddDefinition(FunnelTemplates.Aida).AddDefinition(FunnelTemplates.Aida);
        using (var provider = services.BuildServiceProvider())
        {
            Assert.Equal(["aida"], provider.GetRequiredService<IFunnelRegistry>().Keys);
        }

        services.AddFunnel().AddDefinition("aida", null, b => b.AddStage("x").WonAt("x"));
        using var failing = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => failing.GetRequiredService<IFunnelRegistry>());
        Assert.Contains("the definition key 'aida' is already used", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartupValidation_BadDefinitions_FailWithTheFullProblemList()
    {
        var bad = WriteFile("bad.json", ShopJson.Replace("\"kind\": \"key\"", "\"winProbability\": 7", StringComparison.Ordinal).Replace("\"wonAt\": \"paid\"", "\"wonAt\": \"nowhere\"", StringComparison.Ordinal));
        var services = new ServiceCollection();
        services.AddFunnel()
            .AddJsonDefinitions(bad)
            .AddDefinition("twice", null, b => b.AddStage("a").AddStage("a"));
        using var provider = services.BuildServiceProvider();

        // What a host does at start-up (validate-on-start), before any request resolves the registry.
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(4, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.Contains("bad.json: $.stages[2].winProbability:", StringComparison.Ordinal) && f.EndsWith("(line 3)", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("bad.json: $.wonAt:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("definition 'twice' (added in code): stages[1] 'a': DuplicateStageKey", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("GoalStageMissing", StringComparison.Ordinal));
    }

    [Fact]
    public void AddJsonDefinitions_MissingPath_FailsAtStartUpNotAtRegistration()
    {
        var services = new ServiceCollection();
        services.AddFunnel().AddJsonDefinitions(Path.Combine(_folder, "none.json"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("No definition file or folder", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void JourneyService_UsesTheContainersTimeProviderAndLoggerFactory()
    {
        var clock = new ManualTimeProvider(T0);
        var logs = new RecordingLoggerFactory();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<ILoggerFactory>(logs);
        services.AddFunnel(f => f.AddDefinition(FunnelTemplates.Aida));
        using var provider = services.BuildServiceProvider();
        var journeys = provider.GetRequiredService<FunnelJourneyService>();

        var journey = journeys.Start("aida", "lead-1");
        clock.Now = T0.AddHours(2);
        journey = journeys.MoveTo(journey, "interest").Journey;
        clock.Now = T0.AddHours(3);
        var rejected = journeys.MoveTo(journey, "action");

        Assert.Equal(T0, journey.StartedAt);
        Assert.Equal(T0.AddHours(2), journey.EnteredStageAt);
        Assert.False(rejected.Succeeded);
        Assert.Contains(logs.Messages, m => m.StartsWith("Funnel.Journeys: Move of journey lead-1 rejected", StringComparison.Ordinal));
        Assert.Contains(logs.Messages, m => m.StartsWith("Funnel.Registry: Funnel definition aida registered", StringComparison.Ordinal));
    }

    [Fact]
    public void AddFunnel_WithoutATimeProvider_UsesTheSystemClock_AndRegistrationsWinOverDefaults()
    {
        var services = new ServiceCollection();
        services.AddFunnel();
        using (var provider = services.BuildServiceProvider())
        {
            Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        }

        var clock = new ManualTimeProvider(T0);
        var later = new ServiceCollection();
        later.AddFunnel();
        later.AddSingleton<TimeProvider>(clock); // registered after AddFunnel: the last registration wins
        using var overridden = later.BuildServiceProvider();
        Assert.Same(clock, overridden.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Registry_CanBeReplaced_BeforeAddFunnel()
    {
        var services = new ServiceCollection();
        var own = new SingleDefinitionRegistry(FunnelTemplates.RealEstate);
        services.AddSingleton<IFunnelRegistry>(own);
        services.AddFunnel();
        using var provider = services.BuildServiceProvider();

        Assert.Same(own, provider.GetRequiredService<IFunnelRegistry>());
        Assert.Equal("real-estate", provider.GetRequiredService<FunnelJourneyService>().Start("real-estate", "x").Definition.Key);
    }

    [Fact]
    public void Rules_FromJsonCustomTypesAndCode_FormTheSharedRuleSet_AndGuardMoves()
    {
        WriteFile("shop.json", ShopJson.Replace("\"lossReasons\"", "\"rules\": [ { \"type\": \"no-skipping-key-stages\" }, { \"type\": \"vip-only\", \"parameters\": { \"attribute\": \"vip\" } } ],\n  \"lossReasons\"", StringComparison.Ordinal));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new ManualTimeProvider(T0));
        services.AddFunnel()
            .AddRuleType("vip-only", p =>
            {
                var attribute = p.GetRequiredString("attribute");
                return new RuleSetBuilder().AddGuard("vip-only", a => a.Journey.Attributes.ContainsKey(attribute) ? GuardVerdict.Allow : GuardVerdict.Deny("VIPs only."), GuardScope.Entering("paid")).Build().Rules[0];
            })
            .AddJsonDefinitions(_folder)
            .AddRules("shop", rules => rules.AddGuard("no-weekend-carts", _ => GuardVerdict.Allow, GuardScope.Entering("cart")));
        using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<IFunnelRegistry>();
        var journeys = provider.GetRequiredService<FunnelJourneyService>();

        Assert.Equal(["no-skipping-key-stages", "vip-only", "no-weekend-carts"], registry.GetRuleSet("shop").Rules.Select(r => r.Id));
        Assert.Same(registry.GetRuleSet("shop"), registry.GetFunnel("shop").Rules);
        var lead = journeys.MoveTo(journeys.Start("shop", "lead-1"), "cart").Journey;
        var refused = journeys.MoveTo(lead, "paid");
        Assert.False(refused.Succeeded);
        Assert.Contains(refused.Violations, v => v.RuleId == "vip-only");
    }

    [Fact]
    public void Rules_UnknownTypeOrUnknownDefinition_FailAtStartUp()
    {
        WriteFile("shop.json", ShopJson.Replace("\"lossReasons\"", "\"rules\": [ { \"type\": \"vip-only\" } ],\n  \"lossReasons\"", StringComparison.Ordinal));
        var services = new ServiceCollection();
        services.AddFunnel().AddJsonDefinitions(_folder).AddRules("crm", _ => { });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(ex.Failures, f => f.Contains("$.rules[0].type", StringComparison.Ordinal) && f.Contains("Known rule types: allowed-transitions", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AddRules('crm'): no definition 'crm' is registered", StringComparison.Ordinal));
    }

    private sealed class SingleDefinitionRegistry(FunnelDefinition definition) : IFunnelRegistry
    {
        public IReadOnlyList<string> Keys => [definition.Key];

        public bool TryGetFunnel(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RegisteredFunnel? found)
        {
            found = key == definition.Key ? new RegisteredFunnel(definition, RuleSet.Empty) : null;
            return found is not null;
        }
    }
}
