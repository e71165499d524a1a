// Exercises the JSON package (and DI, reporting) the way a trimmed or native-AOT app does: reflection-based
// System.Text.Json is off, so everything must go through the converters and the source-generated context.
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Funnel.Core;
using Funnel.Extensions.DependencyInjection;
using Funnel.Reporting;
using Funnel.Serialization.Json;
using Microsoft.Extensions.DependencyInjection;

var failures = 0;
void Expect(bool condition, string what)
{
    Console.WriteLine($"{(condition ? "ok  " : "FAIL")} {what}");
    failures += condition ? 0 : 1;
}

Expect(!JsonSerializer.IsReflectionEnabledByDefault, "reflection-based serialization is disabled, as under native AOT");

var options = new JsonSerializerOptions { WriteIndented = true }.ConfigureForFunnel(f => f.AddDefinitions(FunnelTemplates.All));

// The AOT-safe overloads: type info from the configured options (which hold FunnelJsonContext), no reflection.
T RoundTrip<T>(T value)
{
    var info = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    return JsonSerializer.Deserialize(JsonSerializer.Serialize(value, info), info)!;
}

foreach (var template in FunnelTemplates.All)
{
    Expect(FunnelJson.ReadDefinition(FunnelJson.WriteDefinition(template)).Equals(template), $"definition {template.Key} round-trips through FunnelJson");
    Expect(RoundTrip(template).Equals(template), $"definition {template.Key} round-trips through JsonSerializer");
}

var at = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
var journey = Journey.Start(FunnelTemplates.Aida, "lead-1", at).MoveTo("interest", at.AddHours(1)).GetJourneyOrThrow()
    .MarkLost("price", at.AddHours(2)).GetJourneyOrThrow();
Expect(RoundTrip(journey).Equals(journey), "journey round-trips");
FunnelEvent[] events = [new("lead-1", "attention", at), new("lead-1", "interest", at.AddHours(1), "price", "ads")];
Expect(RoundTrip(events).SequenceEqual(events), "events round-trip");

try
{
    FunnelJson.ReadDefinition("""{ "key": "x", "stages": [ { "key": "a", "winProbability": 2 } ], "wonAt": "a" }""");
    Expect(false, "a bad definition is rejected");
}
catch (FunnelJsonException ex)
{
    Expect(ex.Problems[0].Path == "$.stages[0].winProbability", "a bad definition is rejected with its JSON path: " + ex.Message);
}

var document = FunnelJson.ReadDefinitionDocument("""{ "key": "x", "stages": [ { "key": "a" }, { "key": "b", "kind": "key" } ], "wonAt": "b", "rules": [ { "type": "no-skipping-key-stages" } ] }""");
Expect(document.CreateRuleSet().Rules.Length == 1 && RoundTrip(document).Equals(document), "a definition document with rules reads, builds its rule set and round-trips");
var report = Funnel.Core.Metrics.FunnelReport.Compute(FunnelTemplates.Aida, events);
var reportJson = FunnelJson.WriteReport(report);
Expect(reportJson.Contains("\"reached\"", StringComparison.Ordinal), "a metrics report is written as JSON");
Expect(FunnelJson.WriteReport(FunnelJson.ReadReport(reportJson, FunnelTemplates.All)) == reportJson, "a metrics report reads back through FunnelJson");
Expect(FunnelJson.WriteReport(RoundTrip(report)) == reportJson, "a metrics report round-trips through JsonSerializer");

var file = Path.Combine(Path.GetTempPath(), $"funnel-trim-smoke-{Environment.ProcessId}.json");
File.WriteAllText(file, FunnelJson.WriteDefinition(FunnelTemplates.CustomerJourney));
var services = new ServiceCollection();
services.AddFunnel().AddJsonDefinitions(file);
using (var provider = services.BuildServiceProvider())
{
    var service = provider.GetRequiredService<FunnelJourneyService>();
    Expect(service.Start("customer-journey", "lead-2").CurrentStage.Key == "awareness", "AddFunnel loads a JSON definition and starts a journey");
}

File.Delete(file);
Expect(MermaidDiagram.Render(FunnelTemplates.B2BPipeline).StartsWith("flowchart LR", StringComparison.Ordinal), "the Mermaid diagram renders");

Console.WriteLine(failures == 0 ? "trim smoke: all checks passed" : $"trim smoke: {failures} check(s) failed");
return failures == 0 ? 0 : 1;
