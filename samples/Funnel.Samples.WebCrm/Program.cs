using Funnel.Core.Rules;
using Funnel.Core.Telemetry;
using Funnel.Extensions.DependencyInjection;
using Funnel.Extensions.Hosting;
using Funnel.Extensions.Hosting.Health;
using Funnel.Samples.WebCrm;
using Funnel.Storage.PostgreSql.DependencyInjection;
using Funnel.Storage.Sqlite.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

var builder = WebApplication.CreateBuilder(args);

// Funnel: definitions, store, outbox and health settings from the "Funnel" section (validated at start), the store
// chosen by "WebCrm:Provider" (SQLite by default, a file under the app folder), the dispatcher and its handler.
var funnel = builder.Services.AddFunnel()
    .AddConfiguration(builder.Configuration.GetSection("Funnel"))
    .AddKeyedFunnel(CrmApi.FunnelKey)
    // An automation in code: entering "invoice" asks billing to send the invoice (an outbox message, delivered below).
    .AddRules(CrmApi.FunnelKey, rules => rules.AddAutomation("notify-billing", SignalKinds.StageEntered, a =>
        a.Journey.CurrentStage.Key.Value == "invoice"
            ? [a.Notify("billing@example.com", $"Send the invoice for {a.Journey.Id}")]
            : []))
    .AddOutboxDispatcher()
    .AddOutboxHandler<TaskInbox>();
if (string.Equals(builder.Configuration["WebCrm:Provider"], "postgresql", StringComparison.OrdinalIgnoreCase))
{
    funnel.AddPostgreSqlStore(); // Funnel:Store:ConnectionString
}
else
{
    var file = Path.GetFullPath(builder.Configuration["WebCrm:SqliteFile"] ?? "webcrm.db", AppContext.BaseDirectory);
    funnel.AddSqliteStore(builder.Configuration["Funnel:Store:ConnectionString"] ?? $"Data Source={file}");
}

builder.Services.AddSingleton(sp => (TaskInbox)sp.GetRequiredService<Funnel.Extensions.Hosting.Outbox.IFunnelOutboxHandler>());
builder.Services.AddHealthChecks().AddFunnelHealthChecks();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

// OpenTelemetry: "Telemetry:Exporter" is none (default), console or otlp (OTEL_EXPORTER_OTLP_ENDPOINT).
var exporter = builder.Configuration["Telemetry:Exporter"] ?? "none";
if (!string.Equals(exporter, "none", StringComparison.OrdinalIgnoreCase))
{
    var otlp = string.Equals(exporter, "otlp", StringComparison.OrdinalIgnoreCase);
    builder.Services.AddOpenTelemetry()
        .WithTracing(t =>
        {
            t.AddSource(FunnelTelemetry.ActivitySourceName);
            _ = otlp ? t.AddOtlpExporter() : t.AddConsoleExporter();
        })
        .WithMetrics(m =>
        {
            m.AddMeter(FunnelTelemetry.MeterName);
            _ = otlp ? m.AddOtlpExporter() : m.AddConsoleExporter();
        });
}

var app = builder.Build();
app.UseMiddleware<BadRequestProblems>();
app.MapOpenApi();
app.MapHealthChecks("/health");
app.MapCrmApi();
app.MapCrmPages();
app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
