using System.Globalization;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Core.Tests.Bulk;

namespace Funnel.Core.Tests.Agreement;

/// <summary>The funnel modes a seed draws for <see cref="ModesAgreementProperties"/>, and the keys they name.</summary>
internal static class ModesGenerators
{
    /// <summary>The modes a seed draws: every combination the options allow (Unordered takes no step windows, optional steps or exclusions).</summary>
    internal sealed record Modes(AnchorMode Anchor, StepOrder Order, int[] Optional, FunnelExclusion[] Exclusions, MedianKind Median, bool StepWindows)
    {
        public static Modes Draw(int seed, int stages, int reasons)
        {
            var random = new Random(seed);
            var anchor = (AnchorMode)random.Next(3);
            var order = (StepOrder)random.Next(3);
            var median = (MedianKind)random.Next(2);
            if (order == StepOrder.Unordered || stages < 2)
            {
                return new(anchor, order, [], [], median, false);
            }

            var optional = Enumerable.Range(1, stages - 1).Where(_ => random.Next(4) == 0).ToArray();
            var required = Enumerable.Range(0, stages).Except(optional).ToArray();
            var exclusions = new List<FunnelExclusion>();
            if (required.Length >= 2 && random.Next(2) == 0)
            {
                var from = random.Next(required.Length - 1);
                var to = random.Next(from + 1, required.Length);
                exclusions.Add(random.Next(3) switch
                {
                    0 => FunnelExclusion.Loss(required[from], required[to]),
                    1 when reasons > 0 => FunnelExclusion.Loss(required[from], required[to], Key("r", random.Next(reasons))),
                    _ => FunnelExclusion.Stage(Key("s", random.Next(stages)), required[from], required[to]),
                });
            }

            return new(anchor, order, optional, [.. exclusions], median, random.Next(2) == 0);
        }
    }

    /// <summary>The rows as events of the agreement funnel (<see cref="BulkAndReportAgreementTests.Definition"/>: entities e0…, stages s0…, reasons r0…).</summary>
    internal static List<FunnelEvent> Events(FunnelDefinition definition, IEnumerable<RealLog.Row> rows) =>
        [.. rows.Select(e => new FunnelEvent(
            Key("e", e.Entity),
            definition.Stages[e.Stage].Key,
            DateTimeOffset.FromUnixTimeSeconds(e.Time),
            e.Reason < 0 ? default : definition.LossReasons[e.Reason].Key))];

    internal static string Key(string prefix, int index) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{index}");
}
