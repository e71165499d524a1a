using FsCheck;
using FsCheck.Fluent;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Core.Tests.Bulk;
using static Funnel.Core.Tests.Agreement.ModesGenerators;

namespace Funnel.Core.Tests.Agreement;

/// <summary>
/// The funnel modes of issue 22 are implemented twice, independently: in the bulk engine (<see cref="TransitionAnalyzer"/>'s
/// per-lead pass) and in the metrics report (<see cref="FunnelReport"/>, hence <see cref="TransitionLogMetrics"/> and the
/// CLI); they share only the sliding-window minima that give <see cref="AnchorMode.Best"/> every anchor's reach times
/// under exclusions and per-step windows (<c>AnchorReach</c>). Each is proven against its own literal model; this property checks that the two paths agree with each other on
/// every mode composed with anchors, windows, per-step windows, optional steps, exclusions, ties and the median choice.
/// </summary>
public class ModesAgreementProperties
{
    [FsCheck.Xunit.Property(Arbitrary = [typeof(BulkArbitraries)], MaxTest = 300)]
    public FsCheck.Property EveryMode_BulkEngineAndReport_GiveTheSameReachExclusionsAndConversionTimes(RealLog c, int seed)
    {
        var modes = Modes.Draw(seed, c.Stages, c.Reasons);
        var definition = BulkAndReportAgreementTests.Definition(c.Stages, c.Reasons, c.Goal);
        var events = Events(definition, c.Events);
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
