using System.Globalization;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Core.Storage;

namespace Funnel.Storage.Specification;

/// <summary>
/// A question for the push-down (<see cref="EventLogStore.ComputeAggregatesAsync(FunnelDefinition, TransitionAnalyzer, CancellationToken)"/>)
/// over a generated log with the hard shapes: the log of <see cref="GeneratedLogs"/> (ties, bursts logged backwards, losses
/// first, rows out of time order, string keys), plus second attempts (stage 0 entered again, then the steps with gaps
/// at a step window's edge), appended in a shuffled order when <see cref="Shuffled"/>.
/// </summary>
/// <param name="Seed">The log's seed.</param>
/// <param name="Entities">The number of entities.</param>
/// <param name="Window">The window in seconds; −1 for <see cref="TimeSpan.MaxValue"/>.</param>
/// <param name="StepWindows">Four per-step windows in seconds (null: no limit on that step), or null for none.</param>
/// <param name="Anchor">The anchor.</param>
/// <param name="Median">The median kind.</param>
/// <param name="Extra">One more option of the engine (strict, unordered, exclusions, optional steps, time to convert) or none.</param>
/// <param name="SecondAttempts">How many entities get a second attempt.</param>
/// <param name="Shuffled">Whether the rows are appended in a random order (ties then fall in another log order).</param>
internal sealed record PushDownCase(int Seed, int Entities, long Window, long?[]? StepWindows, AnchorMode Anchor, MedianKind Median, PushDownOptions Extra, int SecondAttempts, bool Shuffled)
{
    /// <summary>The analyzer that asks the question; the definition is one of <see cref="GeneratedLogs.Definition"/>.</summary>
    public TransitionAnalyzer Analyzer(FunnelDefinition definition) =>
        new(definition, Window < 0 ? TimeSpan.MaxValue : TimeSpan.FromSeconds(Window))
        {
            // The engine refuses per-step windows, exclusions and optional steps with unordered steps.
            StepWindows = StepWindows is null || Extra == PushDownOptions.UnorderedSteps ? [] : [.. StepWindows.Select(w => w is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null)],
            Anchor = Anchor,
            Median = Median,
            Order = Extra switch
            {
                PushDownOptions.StrictOrder => StepOrder.Strict,
                PushDownOptions.UnorderedSteps => StepOrder.Unordered,
                _ => StepOrder.Ordered,
            },
            Exclusions = Extra == PushDownOptions.Exclusions ? [FunnelExclusion.Loss(1, 3)] : [],
            OptionalSteps = Extra == PushDownOptions.OptionalSteps ? [2] : [],
            ConversionTimes = Extra == PushDownOptions.ConversionTimes,
        };

    /// <summary>The events, in the order they are appended.</summary>
    public List<FunnelEvent> Events(FunnelDefinition definition)
    {
        var events = GeneratedLogs.Create(definition, Seed, Entities);
        var random = new Random(Seed ^ 0x5eed);
        var ids = events.Select(e => e.EntityId).Distinct(StringComparer.Ordinal).ToList();
        for (var a = 0; a < SecondAttempts && ids.Count > 0; a++)
        {
            // Stage 0 again after the entity's last event, then the steps, each 0, 1 or 599..601 s after the one before.
            var id = ids[random.Next(ids.Count)];
            var at = events.Where(e => e.EntityId == id).Max(e => e.At).AddSeconds(random.Next(0, 3) * 1800);
            var depth = random.Next(1, definition.Stages.Length + 1);
            for (var s = 0; s < depth; s++)
            {
                at = at.AddSeconds(s == 0 ? 0 : random.Next(5) switch { 0 => 0, 1 => 1, 2 => 599, 3 => 600, _ => 601 });
                events.Add(new FunnelEvent(id, definition.Stages[s].Key, at));
            }
        }

        if (Shuffled)
        {
            // Fisher–Yates: every entity's rows in a random log order (rows with equal timestamps included).
            for (var i = events.Count - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (events[i], events[j]) = (events[j], events[i]);
            }
        }

        return events;
    }

    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"seed {Seed}, {Entities} entities, window {Window}, steps [{(StepWindows is null ? "none" : string.Join(", ", StepWindows.Select(w => w?.ToString(CultureInfo.InvariantCulture) ?? "-")))}], anchor {Anchor}, median {Median}, extra {Extra}, second attempts {SecondAttempts}, shuffled {Shuffled}");
}
