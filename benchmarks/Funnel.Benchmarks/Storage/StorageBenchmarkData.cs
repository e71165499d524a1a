using Funnel.Core;

namespace Funnel.Benchmarks.Storage;

/// <summary>The shared data of the storage benchmarks: a 5-stage funnel and a seeded log with ties, re-entries and losses.</summary>
internal static class StorageBenchmarkData
{
    public const string PostgresVariable = "FUNNEL_POSTGRES_TEST_CONNECTION";

    public static FunnelDefinition Definition(string key) =>
        new FunnelDefinitionBuilder(key)
            .AddStage("lead").AddStage("qualified").AddStage("proposal").AddStage("negotiation").AddStage("customer")
            .WonAt("customer")
            .AddLossReason("no-budget").AddLossReason("no-answer").AddLossReason("competitor")
            .WithTransitionOptions(TransitionOptions.FreeForm)
            .Build();

    public static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Set {PostgresVariable} (eval \"$(eng/postgres.sh start)\") before running the storage benchmarks.");

    /// <summary>About <paramref name="count"/> events from entities with 1 to 9 events each, interleaved as a real log is.</summary>
    public static FunnelEvent[] Log(FunnelDefinition definition, int count, int seed = 42)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var events = new FunnelEvent[count];
        var n = 0;
        var entity = 0;
        var open = new List<(string Id, int Stage, long T, int Left)>();
        while (n < count)
        {
            if (open.Count < 1000)
            {
                open.Add(("lead-" + entity++, 0, random.Next(0, 86_400 * 30), random.Next(1, 10)));
            }

            var i = random.Next(open.Count);
            var (id, stage, t, left) = open[i];
            if (random.Next(12) == 0)
            {
                events[n++] = new FunnelEvent(id, definition.Stages[stage].Key, start.AddSeconds(t), definition.LossReasons[random.Next(3)].Key);
                left = 0;
            }
            else
            {
                events[n++] = new FunnelEvent(id, definition.Stages[stage].Key, start.AddSeconds(t), segment: (entity % 4).ToString(System.Globalization.CultureInfo.InvariantCulture));
                stage = random.Next(10) < 7 ? Math.Min(stage + 1, 4) : random.Next(5);
                t += random.Next(0, 4) * 3600;
                left--;
            }

            if (left <= 0)
            {
                open.RemoveAt(i);
            }
            else
            {
                open[i] = (id, stage, t, left);
            }
        }

        return events;
    }
}
