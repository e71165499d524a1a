using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Core.Tests.Bulk;

namespace Funnel.Core.Tests.Agreement;

/// <summary>
/// The funnel modes of issue 22 are implemented twice, independently: in the bulk engine (<see cref="TransitionAnalyzer"/>'s
/// per-lead pass) and in the metrics report (<see cref="FunnelReport"/>, hence <see cref="TransitionLogMetrics"/> and the
/// CLI). Each is proven against its own literal model; this property checks that the two paths agree with each other on
/// every mode composed with anchors, windows, per-step windows, optional steps, exclusions, ties and the median choice.
/// </summary>
public class ModesAgreementProperties
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

    private static string Key(string prefix, int index) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{index}");

    [FsCheck.Xunit.Property(Arbitrary = [typeof(BulkArbitraries)], MaxTest = 300)]
    public FsCheck.Property EveryMode_BulkEngineAndReport_GiveTheSameReachExclusionsAndConversionTimes(RealLog c, int seed)
    {
        var modes = Modes.Draw(seed, c.Stages, c.Reasons);
        var definition = BulkAndReportAgreementTests.Definition(c.Stages, c.Reasons, c.Goal);
        var events = c.Events.Select(e => new FunnelEvent(
            Key("e", e.Entity),
            definition.Stages[e.Stage].Key,
            DateTimeOffset.FromUnixTimeSeconds(e.Time),
            e.Reason < 0 ? default : definition.LossReasons[e.Reason].Key)).ToList();
        var window = TimeSpan.FromSeconds(Math.Min(c.Window, (long)TimeSpan.MaxValue.TotalSeconds / 2));
        var stepWindows = modes.StepWindows ? c.Analyzer().StepWindows : [];

        var query = FunnelQuery.Default.Ordered(window, modes.Anchor)
            .WithOrder(modes.Order)
            .WithOptionalSteps(modes.Optional.Select(s => definition.Stages[s].Key.Value))
            .WithExclusions(modes.Exclusions)
            .WithMedian(modes.Median);
        if (modes.Order != StepOrder.Unordered)
        {
            query = query.WithStepWindows(stepWindows.IsEmpty ? Enumerable.Repeat<TimeSpan?>(null, c.Stages - 1) : stepWindows);
        }

        var report = FunnelReport.Compute(definition, events, query);
        var bulk = new TransitionAnalyzer(definition, window)
        {
            StepWindows = stepWindows,
            Anchor = modes.Anchor,
            Order = modes.Order,
            OptionalSteps = [.. modes.Optional],
            Exclusions = [.. modes.Exclusions],
            Median = modes.Median,
            ConversionTimes = true,
        }.Analyze(TransitionLog.FromEvents(events, definition, new EntityInterner<string>()));

        var label = $"{modes} report [{string.Join(", ", report.Reached)}] excluded {report.Excluded}, bulk [{string.Join(", ", bulk.Reached)}] excluded {bulk.Excluded}";
        var timeInStage = Enumerable.Range(0, c.Stages).All(s =>
            report.Stages[s].TimeInStage.MedianSecondsOf(modes.Median) == bulk.MedianSecondsOf(bulk.TimeInStage[s]));
        return (report.Reached.SequenceEqual(bulk.Reached)
                && report.Excluded == bulk.Excluded
                && report.ConversionTimes.SequenceEqual(bulk.ConversionTimes)
                && timeInStage).Label(label);
    }
}
