using System.Globalization;

namespace Funnel.Core.Metrics;

/// <summary>
/// The time to convert into one step of a funnel (step k ≥ 1), over the leads whose counted attempt reached it (matched
/// it, for an optional step): from the attempt's anchor (T_k − T_0) and from the previous step the lead reached
/// (T_k − T_p), each summarized and binned. See docs/metrics.md, "Time to convert".
/// </summary>
/// <remarks>
/// <para>Under <see cref="StepOrder.Unordered"/> step k means "k + 1 distinct steps", not the stage at position k.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed record StepConversionTime
{
    /// <summary>Creates the time to convert of a step, such as when restoring a serialized report.</summary>
    /// <param name="step">The 0-based step, at least 1.</param>
    /// <param name="fromAnchor">The durations from the anchor.</param>
    /// <param name="fromPrevious">The durations from the previous step reached; as many as <paramref name="fromAnchor"/>.</param>
    /// <param name="fromAnchorHistogram">The histogram of the durations from the anchor; its total is their count.</param>
    /// <param name="fromPreviousHistogram">The histogram of the durations from the previous step; its total is their count.</param>
    /// <exception cref="ArgumentNullException">A histogram is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The counts differ.</exception>
    public StepConversionTime(int step, DurationSummary fromAnchor, DurationSummary fromPrevious, DurationHistogram fromAnchorHistogram, DurationHistogram fromPreviousHistogram)
    {
        Guard.Against.LessThan(step, 1);
        Guard.Against.Null(fromAnchorHistogram);
        Guard.Against.Null(fromPreviousHistogram);
        if (fromPrevious.Count != fromAnchor.Count || fromAnchorHistogram.Total != fromAnchor.Count || fromPreviousHistogram.Total != fromAnchor.Count)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The time to convert into step {step} must count the same leads everywhere: {fromAnchor.Count} from the anchor, {fromPrevious.Count} from the previous step, histograms of {fromAnchorHistogram.Total} and {fromPreviousHistogram.Total}."),
                nameof(fromPrevious));
        }

        Step = step;
        FromAnchor = fromAnchor;
        FromPrevious = fromPrevious;
        FromAnchorHistogram = fromAnchorHistogram;
        FromPreviousHistogram = fromPreviousHistogram;
    }

    /// <summary>Gets the 0-based step (1 … number of stages − 1).</summary>
    public int Step { get; }

    /// <summary>Gets the durations from the anchor (T_k − T_0), one per lead that reached the step.</summary>
    public DurationSummary FromAnchor { get; }

    /// <summary>Gets the durations from the previous step the lead reached (T_k − T_p), one per lead that reached the step.</summary>
    public DurationSummary FromPrevious { get; }

    /// <summary>Gets the histogram of <see cref="FromAnchor"/>'s durations.</summary>
    public DurationHistogram FromAnchorHistogram { get; }

    /// <summary>Gets the histogram of <see cref="FromPrevious"/>'s durations.</summary>
    public DurationHistogram FromPreviousHistogram { get; }
}
