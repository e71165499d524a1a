using System.Globalization;

namespace Funnel.Core.Metrics;

/// <summary>
/// An exclusion step of a funnel query: a lead with an entry into a given stage, or a loss (of any reason or of one),
/// strictly between its steps <see cref="FromStep"/> and <see cref="ToStep"/> inside the conversion window is
/// dropped from the funnel (with <see cref="AnchorMode.Best"/>, that attempt is). See docs/metrics.md, "Funnel modes".
/// </summary>
/// <remarks>
/// <para>Steps are 0-based positions in the funnel (the definition's stage order). The target is matched by key when
/// the query is computed; an unknown key is an error naming it.</para>
/// <para>Instances are immutable and thread-safe; two exclusions with the same target and steps are equal.</para>
/// </remarks>
/// <example>
/// <code>
/// // A lead lost to a competitor between qualification (step 1) and the proposal (step 3) leaves the funnel.
/// var query = FunnelQuery.Default.WithExclusions([FunnelExclusion.Loss(1, 3, "competitor")]);
/// </code>
/// </example>
public sealed record FunnelExclusion
{
    private FunnelExclusion(string? stageKey, bool isLoss, string? lossReasonKey, int fromStep, int toStep)
    {
        Guard.Against.NegativeNumber(fromStep);
        if (toStep <= fromStep)
        {
            throw new ArgumentOutOfRangeException(
                nameof(toStep), toStep, string.Create(CultureInfo.InvariantCulture, $"The exclusion's last step must come after its first step ({fromStep})."));
        }

        StageKey = stageKey;
        IsLoss = isLoss;
        LossReasonKey = lossReasonKey;
        FromStep = fromStep;
        ToStep = toStep;
    }

    /// <summary>Gets the key of the stage whose entries disqualify, or <see langword="null"/> when <see cref="IsLoss"/>.</summary>
    public string? StageKey { get; }

    /// <summary>Gets a value indicating whether losses disqualify (rather than entries into a stage).</summary>
    public bool IsLoss { get; }

    /// <summary>Gets the key of the loss reason that disqualifies, or <see langword="null"/> for a loss of any reason (or when not <see cref="IsLoss"/>).</summary>
    public string? LossReasonKey { get; }

    /// <summary>Gets the 0-based step after whose reach an excluded event counts.</summary>
    public int FromStep { get; }

    /// <summary>Gets the 0-based step before whose reach an excluded event counts (until the window's end when the lead never reaches it).</summary>
    public int ToStep { get; }

    /// <summary>Creates an exclusion of entries into a stage between two steps.</summary>
    /// <param name="stageKey">The stage key.</param>
    /// <param name="fromStep">The 0-based step after which the entry counts.</param>
    /// <param name="toStep">The 0-based step before which the entry counts; greater than <paramref name="fromStep"/>.</param>
    /// <returns>The exclusion.</returns>
    /// <exception cref="ArgumentException"><paramref name="stageKey"/> is null, empty or blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromStep"/> is negative, or <paramref name="toStep"/> is not after it.</exception>
    public static FunnelExclusion Stage(string stageKey, int fromStep, int toStep)
    {
        Guard.Against.NullOrBlank(stageKey);
        return new(stageKey, false, null, fromStep, toStep);
    }

    /// <summary>Creates an exclusion of losses between two steps.</summary>
    /// <param name="fromStep">The 0-based step after which the loss counts.</param>
    /// <param name="toStep">The 0-based step before which the loss counts; greater than <paramref name="fromStep"/>.</param>
    /// <param name="lossReasonKey">The loss reason, or <see langword="null"/> for a loss of any reason.</param>
    /// <returns>The exclusion.</returns>
    /// <exception cref="ArgumentException"><paramref name="lossReasonKey"/> is empty or blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromStep"/> is negative, or <paramref name="toStep"/> is not after it.</exception>
    public static FunnelExclusion Loss(int fromStep, int toStep, string? lossReasonKey = null)
    {
        if (lossReasonKey is not null)
        {
            Guard.Against.NullOrBlank(lossReasonKey);
        }

        return new(null, true, lossReasonKey, fromStep, toStep);
    }

    /// <summary>Returns the exclusion as the CLI writes it: <c>stage@from-to</c> or <c>lost[:reason]@from-to</c> (steps 0-based).</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(IsLoss ? LossReasonKey is null ? "lost" : "lost:" + LossReasonKey : StageKey)}@{FromStep}-{ToStep}");
}
