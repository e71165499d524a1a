using Funnel.Core;

namespace Funnel.Storage.Specification;

/// <summary>Random event logs with the awkward cases: equal timestamps (also bursts of stages in one second, logged backwards), re-entries, back moves, losses first and after losses, events after the goal, entities that never enter stage 0, events out of time order.</summary>
public static class GeneratedLogs
{
    /// <summary>The funnel lead → qualified → proposal → negotiation → customer, won at <paramref name="wonAt"/> (stages after it come after the goal).</summary>
    public static FunnelDefinition Definition(string key, string wonAt = "customer") =>
        new FunnelDefinitionBuilder(key)
            .AddStage("lead")
            .AddStage("qualified")
            .AddStage("proposal")
            .AddStage("negotiation")
            .AddStage("customer")
            .WonAt(wonAt)
            .AddLossReason("no-budget")
            .AddLossReason("no-answer")
            .AddLossReason("competitor")
            .WithTransitionOptions(TransitionOptions.FreeForm)
            .Build();

    public static List<FunnelEvent> Create(FunnelDefinition definition, int seed, int entities)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var events = new List<FunnelEvent>();
        for (var e = 0; e < entities; e++)
        {
            var id = "e" + e.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var count = random.Next(0, 12);
            var t = random.Next(0, 50) * 60L;
            var stage = random.Next(10) < 8 ? 0 : random.Next(definition.Stages.Length);
            for (var i = 0; i < count; i++)
            {
                // Mostly forward, sometimes back or staying; timestamps on a coarse grid so ties are common, sometimes earlier.
                var roll = random.Next(10);
                stage = roll switch
                {
                    < 6 => Math.Min(stage + (i == 0 ? 0 : 1), definition.Stages.Length - 1),
                    < 8 => random.Next(definition.Stages.Length),
                    _ => stage,
                };
                t += random.Next(-1, 4) * 600L;
                var at = start.AddSeconds(Math.Max(0, t) + random.Next(0, 2));
                if (random.Next(10) == 0)
                {
                    var reason = definition.LossReasons[random.Next(definition.LossReasons.Length)].Key;
                    events.Add(new FunnelEvent(id, definition.Stages[stage].Key, at, reason, segment: "s" + (e % 3).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
                else if (random.Next(8) == 0 && stage + 2 < definition.Stages.Length)
                {
                    // A burst: three stages entered in one second, logged backwards (ties match in any order).
                    for (var s = stage + 2; s >= stage; s--)
                    {
                        events.Add(new FunnelEvent(id, definition.Stages[s].Key, at));
                    }

                    stage += 2;
                }
                else
                {
                    events.Add(new FunnelEvent(id, definition.Stages[stage].Key, at, segment: e % 4 == 0 ? null : "s" + (e % 3).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }

        // Interleave entities as a real log would, keeping each entity's own order (which is not always time order).
        return Interleave(events, random);
    }

    private static List<FunnelEvent> Interleave(List<FunnelEvent> events, Random random)
    {
        var queues = events.GroupBy(e => e.EntityId, StringComparer.Ordinal).Select(g => new Queue<FunnelEvent>(g)).ToList();
        var result = new List<FunnelEvent>(events.Count);
        while (queues.Count > 0)
        {
            var i = random.Next(queues.Count);
            result.Add(queues[i].Dequeue());
            if (queues[i].Count == 0)
            {
                queues.RemoveAt(i);
            }
        }

        return result;
    }
}
