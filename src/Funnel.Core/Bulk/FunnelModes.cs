using System.Collections.Immutable;

using Funnel.Core.Metrics;

namespace Funnel.Core.Bulk;

/// <summary>
/// The resolved funnel modes of an analyzer (issue 22, docs/bulk.md rules 8–12): anchor, step order, exclusions,
/// optional steps, whether time to convert is collected, and the median shown. Immutable; two modes are equal when
/// every setting is, which <see cref="TransitionAggregate.Merge"/> checks.
/// </summary>
internal sealed class FunnelModes : IEquatable<FunnelModes>
{
    public static readonly FunnelModes Default = new(AnchorMode.First, StepOrder.Ordered, [], [], false, MedianKind.Lower, ConversionTimeBins.Automatic);

    public FunnelModes(AnchorMode anchor, StepOrder order, ImmutableArray<ResolvedExclusion> exclusions, ImmutableArray<int> optionalSteps, bool conversionTimes, MedianKind median, ConversionTimeBins bins)
    {
        Bins = bins;
        Anchor = anchor;
        Order = order;
        Exclusions = exclusions;
        OptionalSteps = optionalSteps;
        ConversionTimes = conversionTimes;
        Median = median;
    }

    public AnchorMode Anchor { get; }

    public StepOrder Order { get; }

    public ImmutableArray<ResolvedExclusion> Exclusions { get; }

    /// <summary>The optional steps, ascending ordinals.</summary>
    public ImmutableArray<int> OptionalSteps { get; }

    public bool ConversionTimes { get; }

    public MedianKind Median { get; }

    /// <summary>How the time-to-convert histograms are binned.</summary>
    public ConversionTimeBins Bins { get; }

    /// <summary>Gets a value indicating whether the reach needs the per-lead pass (<see cref="LeadEvaluator"/>) rather than the kernel's level.</summary>
    public bool NeedsLeadPass =>
        Anchor != AnchorMode.First || Order != StepOrder.Ordered || !Exclusions.IsEmpty || !OptionalSteps.IsEmpty || ConversionTimes;

    public FunnelModes With(AnchorMode? anchor = null, StepOrder? order = null, ImmutableArray<ResolvedExclusion>? exclusions = null, ImmutableArray<int>? optionalSteps = null, bool? conversionTimes = null, MedianKind? median = null, ConversionTimeBins? bins = null) =>
        new(anchor ?? Anchor, order ?? Order, exclusions ?? Exclusions, optionalSteps ?? OptionalSteps, conversionTimes ?? ConversionTimes, median ?? Median, bins ?? Bins);

    public bool Equals(FunnelModes? other) =>
        other is not null && Anchor == other.Anchor && Order == other.Order && ConversionTimes == other.ConversionTimes && Median == other.Median && Bins.Equals(other.Bins)
        && Exclusions.AsSpan().SequenceEqual(other.Exclusions.AsSpan()) && OptionalSteps.AsSpan().SequenceEqual(other.OptionalSteps.AsSpan());

    public override bool Equals(object? obj) => Equals(obj as FunnelModes);

    public override int GetHashCode() => HashCode.Combine(Anchor, Order, Exclusions.Length, OptionalSteps.Length, ConversionTimes, Median);

    public override string ToString() =>
        $"anchor {Anchor}, order {Order}, exclusions [{string.Join(", ", Exclusions)}], optional [{string.Join(", ", OptionalSteps)}], median {Median}{(ConversionTimes ? $", time to convert ({Bins} bins)" : string.Empty)}";
}

/// <summary>An exclusion with its target as ordinals: an entry into <see cref="Stage"/> (≥ 0), or a loss (<see cref="Stage"/> −1) of reason <see cref="Reason"/> (−1 for any).</summary>
internal readonly record struct ResolvedExclusion(int Stage, int Reason, int FromStep, int ToStep)
{
    public bool Matches(in LeadEvent e) =>
        Stage >= 0 ? e.Reason < 0 && e.Stage == Stage : e.Reason >= 0 && (Reason < 0 || e.Reason == Reason);

    public override string ToString() => $"{(Stage >= 0 ? $"stage {Stage}" : Reason < 0 ? "lost" : $"lost:{Reason}")}@{FromStep}-{ToStep}";
}

/// <summary>One event of a lead for the per-lead pass: sorted by (entity, time, code), code = stage for entries, stages + reason for losses.</summary>
internal readonly record struct LeadEvent(int Entity, long Time, int Code, int Stage, int Reason) : IComparable<LeadEvent>
{
    public bool IsLoss => Reason >= 0;

    public int CompareTo(LeadEvent other)
    {
        var c = Entity.CompareTo(other.Entity);
        if (c == 0)
        {
            c = Time.CompareTo(other.Time);
        }

        return c != 0 ? c : Code.CompareTo(other.Code);
    }
}
