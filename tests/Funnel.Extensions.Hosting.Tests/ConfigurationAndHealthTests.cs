using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Extensions.DependencyInjection;
using Funnel.Extensions.Hosting.Configuration;
using Funnel.Extensions.Hosting.Health;
using Funnel.Extensions.Hosting.Journeys;
using Funnel.Storage.Sqlite.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Funnel.Extensions.Hosting.Tests;

public sealed class ConfigurationAndHealthTests
{
    private const string MiniDefinition = """{"key": "mini", "stages": [{"key": "a"}, {"key": "b"}], "wonAt": "b", "lossReasons": [{"key": "price"}]}""";

    [Fact]
    public async Task AnInvalidFunnelSection_StopsTheHostAtStart_WithEveryProblemAndItsPath()
    {
        using var host = Build(new Dictionary<string, string?>
        {
            ["Funnel:Definitions:0:Json"] = """{"key": "broken", "stages": [], "wonAt": "x"}""",
            ["Funnel:Definitions:1:Path"] = "a.json",
            ["Funnel:Definitions:1:Json"] = MiniDefinition,
            ["Funnel:Store:CreateSchemaAtStart"] = "sometimes",
            ["Funnel:Outbox:MaxAttempts"] = "0",
            ["Funnel:Outbox:PollInterval"] = "soon",
            ["Funnel:Outbox:MaxAttempt"] = "3",
            ["Funnel:Health:BacklogDegraded"] = "50",
            ["Funnel:Health:BacklogUnhealthy"] = "10",
            ["Funnel:Colour"] = "blue",
        });

        // Both option sets (definitions, hosting settings) fail together: every problem in one start-up error.
        var error = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync());
        var text = string.Join("\n", error.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures));

        Assert.Contains("Funnel:Definitions:1: give either Path (a definition file or folder) or Json (the definition text), not both.", text, StringComparison.Ordinal);
        Assert.Contains("Funnel:Store:CreateSchemaAtStart: 'sometimes' is not true or false.", text, StringComparison.Ordinal);
        Assert.Contains("Funnel:Outbox:MaxAttempts: must be at least 1, not 0.", text, StringComparison.Ordinal);
        Assert.Contains("Funnel:Outbox:PollInterval: 'soon' is not a time span", text, StringComparison.Ordinal);
        Assert.Contains("Funnel:Outbox:MaxAttempt: unknown setting; known: BatchSize, PollInterval, MaxAttempts, InitialBackoff, MaxBackoff.", text, StringComparison.Ordinal);
        Assert.Contains("Funnel:Health:BacklogUnhealthy: must be at least BacklogDegraded (50), not 10.", text, StringComparison.Ordinal);
        Assert.Contains("Funnel:Colour: unknown setting", text, StringComparison.Ordinal);
        Assert.Contains("Funnel:Definitions:0:Json", text, StringComparison.Ordinal); // the broken inline definition, with its source
        Assert.Contains("$.stages", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AValidSection_ConfiguresDefinitionsStoreAndOutbox_AndKeyedFunnelsResolve()
    {
        var folder = Directory.CreateTempSubdirectory("funnel-config-").FullName;
        try
        {
            using var host = Build(
                new Dictionary<string, string?>
                {
                    ["Funnel:Definitions:0:Json"] = MiniDefinition,
                    ["Funnel:Store:ConnectionString"] = $"Data Source={Path.Combine(folder, "crm.db")};Pooling=False",
                    ["Funnel:Store:CreateSchemaAtStart"] = "true",
                    ["Funnel:Outbox:MaxAttempts"] = "4",
                    ["Funnel:Outbox:PollInterval"] = "00:00:02",
                },
                f => f.AddDefinition(FunnelTemplates.B2BPipeline).AddKeyedFunnel("mini").AddKeyedFunnel("b2b-pipeline"));
            await host.StartAsync();

            var options = host.Services.GetRequiredService<IOptions<FunnelHostingOptions>>().Value;
            Assert.Equal(4, options.Outbox.MaxAttempts);
            Assert.Equal(TimeSpan.FromSeconds(2), options.Outbox.PollInterval);
            Assert.Equal("mini", host.Services.GetRequiredKeyedService<FunnelDefinition>("mini").Key);
            Assert.Equal("b2b-pipeline", host.Services.GetRequiredKeyedService<RegisteredFunnel>("b2b-pipeline").Definition.Key);
            Assert.NotNull(host.Services.GetRequiredKeyedService<Funnel.Core.Rules.RuleSet>("mini"));

            var workflow = host.Services.GetRequiredService<FunnelJourneyWorkflow>();
            Assert.True((await workflow.StartAsync("mini", "lead-1")).Succeeded); // the schema was created at start
            Assert.True((await workflow.MarkWonAsync("lead-1")).Succeeded);
            await host.StopAsync();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AKeyedFunnelThatNoDefinitionHas_StopsTheHost()
    {
        using var host = Build(new Dictionary<string, string?> { ["Funnel:Definitions:0:Json"] = MiniDefinition }, f => f.AddKeyedFunnel("b2b"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("AddKeyedFunnel('b2b'): no definition 'b2b' is registered; registered: mini.", error.Failures);
    }

    [Fact]
    public async Task HealthChecks_ReportReachability_SchemaVersion_AndBacklogAgainstThresholds()
    {
        var folder = Directory.CreateTempSubdirectory("funnel-health-").FullName;
        try
        {
            var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Services.AddFunnel()
                .AddDefinition(TestFunnel.Pipeline)
                .AddRules("pipeline", r => r.AddAutomation("n", Funnel.Core.Rules.SignalKinds.StageEntered, a => System.Collections.Immutable.ImmutableArray.Create<Funnel.Core.Rules.RuleCommand>(a.Notify("x@example.com", "moved"))))
                .AddSqliteStore($"Data Source={Path.Combine(folder, "crm.db")};Pooling=False")
                .ConfigureHosting(o =>
                {
                    o.Health.BacklogDegraded = 2;
                    o.Health.BacklogUnhealthy = 3;
                    o.Health.OldestAgeDegraded = TimeSpan.FromMinutes(5);
                    o.Health.OldestAgeUnhealthy = TimeSpan.FromMinutes(30);
                });
            builder.Services.AddHealthChecks().AddFunnelHealthChecks();
            using var host = builder.Build();
            var health = host.Services.GetRequiredService<HealthCheckService>();

            var missing = await health.CheckHealthAsync();
            Assert.Equal(HealthStatus.Unhealthy, missing.Entries["funnel-store"].Status);
            Assert.Contains("schema version 0 of 3", missing.Entries["funnel-store"].Description, StringComparison.Ordinal);

            var workflow = host.Services.GetRequiredService<FunnelJourneyWorkflow>();
            await workflow.Store.EnsureCreatedAsync();
            var healthy = await health.CheckHealthAsync();
            Assert.Equal(HealthStatus.Healthy, healthy.Status);

            await workflow.StartAsync("pipeline", "a");
            await workflow.MoveAsync("a", new StageKey("proposal"));
            await workflow.MoveAsync("a", new StageKey("invoice"));
            Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync()).Entries["funnel-outbox"].Status);

            await workflow.MoveAsync("a", new StageKey("won"));
            var unhealthy = (await health.CheckHealthAsync()).Entries["funnel-outbox"];
            Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
            Assert.Equal(3L, unhealthy.Data["pending"]);

            var ids = (await workflow.Store.ReadOutboxAsync()).Select(e => e.Id).ToArray();
            await workflow.Store.AcknowledgeOutboxAsync(ids[1..], clock.Now);
            Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["funnel-outbox"].Status);
            clock.Now = clock.Now.AddMinutes(6);
            Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync()).Entries["funnel-outbox"].Status);
            clock.Now = clock.Now.AddMinutes(30);
            Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Entries["funnel-outbox"].Status);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IHost Build(Dictionary<string, string?> settings, Action<FunnelBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        var funnel = builder.Services.AddFunnel().AddConfiguration(builder.Configuration.GetSection("Funnel")).AddSqliteStore();
        configure?.Invoke(funnel);
        return builder.Build();
    }
}
