namespace Funnel.Core.Storage;

/// <summary>
/// The options of a <see cref="Bulk.TransitionAnalyzer"/>, beyond its window, that an <see cref="EventLogStore"/>
/// can compute on the database server (<see cref="EventLogStore.ComputeAggregatesAsync(FunnelDefinition, Bulk.TransitionAnalyzer, CancellationToken)"/>).
/// A store refuses an analyzer that uses an option it does not list in <see cref="EventLogStore.SupportedPushDownOptions"/>,
/// naming the option, rather than return other numbers than the engine.
/// </summary>
[Flags]
public enum PushDownOptions
{
    /// <summary>Only the defaults: the ordered window funnel anchored at the first entry, with the lower median.</summary>
    None = 0,

    /// <summary>Per-step windows (<see cref="Bulk.TransitionAnalyzer.StepWindows"/>, <see cref="Stage.StepWindow"/>).</summary>
    StepWindows = 1,

    /// <summary>The latest first-step entry as the anchor (<see cref="Metrics.AnchorMode.Latest"/>).</summary>
    LatestAnchor = 2,

    /// <summary>Every first-step entry as an attempt, the deepest counting (<see cref="Metrics.AnchorMode.Best"/>).</summary>
    BestAnchor = 4,

    /// <summary>Strict order (<see cref="Metrics.StepOrder.Strict"/>).</summary>
    StrictOrder = 8,

    /// <summary>Unordered steps (<see cref="Metrics.StepOrder.Unordered"/>).</summary>
    UnorderedSteps = 16,

    /// <summary>Exclusion steps (<see cref="Bulk.TransitionAnalyzer.Exclusions"/>).</summary>
    Exclusions = 32,

    /// <summary>Optional steps (<see cref="Bulk.TransitionAnalyzer.OptionalSteps"/>).</summary>
    OptionalSteps = 64,

    /// <summary>Time to convert per step (<see cref="Bulk.TransitionAnalyzer.ConversionTimes"/>).</summary>
    ConversionTimes = 128,

    /// <summary>The interpolated median of time in stage (<see cref="Metrics.MedianKind.Interpolated"/>).</summary>
    InterpolatedMedian = 256,
}
