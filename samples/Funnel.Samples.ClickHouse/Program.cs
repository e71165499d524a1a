// ClickHouse push-down: a generated log appended to the two-shard cluster of eng/clickhouse.sh, its report computed
// on the cluster and next to it the in-process bulk engine's report on the same log; the two must be equal.
// Run (cluster up):  eval "$(eng/clickhouse.sh start)"
//                    dotnet run -c Release --project samples/Funnel.Samples.ClickHouse [-- <entities>]
using System.Diagnostics;
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Storage.ClickHouse;

var entities = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
string Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
    ? value
    : throw new InvalidOperationException($"{name} is not set: start the two-shard cluster first with eval \"$(eng/clickhouse.sh start)\" in the repository root.");

var funnel = FunnelTemplates.CustomerJourney; // 6 stages, the shape of the generated log; ordinals are stage orders
var window = TimeSpan.FromDays(30);
var log = TransitionLogGenerator.Generate(entities);
var keys = Enumerable.Range(0, log.EntityIdLimit).Select(i => "lead-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
var events = log.ToEvents(funnel, keys);

await using var store = new ClickHouseEventLogStore(new ClickHouseEventLogOptions
{
    ConnectionString = Variable("FUNNEL_CLICKHOUSE_TEST_CONNECTION"),
    Cluster = Variable("FUNNEL_CLICKHOUSE_TEST_CLUSTER"),
    NodeConnectionStrings = [Variable("FUNNEL_CLICKHOUSE_TEST_CONNECTION"), Variable("FUNNEL_CLICKHOUSE_TEST_CONNECTION2")],
});
await store.EnsureCreatedAsync();
await store.DeleteAsync(funnel); // an earlier run's log is no longer read
var clock = Stopwatch.StartNew();
await store.AppendAsync(funnel, events);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Appended {events.Length:N0} events of {entities:N0} leads to the two-shard cluster in {clock.Elapsed.TotalSeconds:0.00} s."));

clock.Restart();
var pushed = await store.ComputeAggregatesAsync(funnel, window);
var pushSeconds = clock.Elapsed.TotalSeconds;
clock.Restart();
var inProcess = new TransitionAnalyzer(funnel, window).Analyze(log);
var engineSeconds = clock.Elapsed.TotalSeconds;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"",-24} {"ClickHouse",12} {"in process",12}"));
for (var k = 0; k < funnel.Stages.Length; k++)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reached {funnel.Stages[k].Key,-16} {pushed.Reached[k],12:N0} {inProcess.Reached[k],12:N0}"));
}

for (var k = 0; k < funnel.Stages.Length; k++)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"median h {funnel.Stages[k].Key,-15} {pushed.TimeInStage[k].MedianSeconds / 3600.0,12:N1} {inProcess.TimeInStage[k].MedianSeconds / 3600.0,12:N1}"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"transitions",-24} {pushed.Transitions.Total,12:N0} {inProcess.Transitions.Total,12:N0}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"won / lost",-24} {pushed.Won,5:N0} / {pushed.Lost,4:N0} {inProcess.Won,5:N0} / {inProcess.Lost,4:N0}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"seconds",-24} {pushSeconds,12:0.000} {engineSeconds,12:0.000}"));
Console.WriteLine($"The two reports are equal: {pushed.Equals(inProcess)}");
return pushed.Equals(inProcess) ? 0 : 1;
