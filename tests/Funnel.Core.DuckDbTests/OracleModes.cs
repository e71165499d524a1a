using System.Globalization;
using Funnel.Core.Metrics;

namespace Funnel.Core.DuckDbTests;

/// <summary>
/// The funnel modes of docs/bulk.md rules 8-13 that a case is analysed with, as <see cref="Bulk.TransitionAnalyzer"/>
/// takes them: the anchor, the step order, optional steps (ordinals), exclusions (targets as ordinal text, the way a
/// <see cref="Bulk.FunnelShape"/> names them) and the time-to-convert bins. Time to convert is always collected.
/// </summary>
internal sealed record OracleModes(
    AnchorMode Anchor = AnchorMode.First,
    StepOrder Order = StepOrder.Ordered,
    int[]? OptionalSteps = null,
    FunnelExclusion[]? Exclusions = null,
    ConversionTimeBins? Bins = null)
{
    /// <summary>Gets the optional steps, empty for none.</summary>
    public int[] Optional => OptionalSteps ?? [];

    /// <summary>Gets the exclusions, empty for none.</summary>
    public FunnelExclusion[] Excluding => Exclusions ?? [];

    /// <summary>Gets the time-to-convert bins (automatic unless set).</summary>
    public ConversionTimeBins BinsOrAutomatic => Bins ?? ConversionTimeBins.Automatic;

    /// <summary>Returns the modes as text, for failure messages.</summary>
    public string Describe() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"anchor {Anchor}, order {Order}, optional [{string.Join(", ", Optional)}], exclusions [{string.Join(", ", Excluding.Select(x => x.ToString()))}], bins {BinsOrAutomatic}");
}
