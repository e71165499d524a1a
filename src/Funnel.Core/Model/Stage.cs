using System.Collections.Immutable;

namespace Funnel.Core;

/// <summary>
/// One stage of a funnel: a step a lead passes on its way to a purchase and beyond, such as "Interest" or
/// "Invoice issued".
/// </summary>
/// <remarks>
/// Stages are created by <see cref="FunnelDefinitionBuilder"/> and belong to one <see cref="FunnelDefinition"/>.
/// Instances are immutable and thread-safe. Two stages are equal when all their properties are equal.
/// </remarks>
public sealed class Stage : IEquatable<Stage>
{
    internal Stage(
        StageKey key,
        string displayName,
        int order,
        StageKind kind,
        FunnelPhase phase,
        string? owner,
        ImmutableArray<string> channels,
        double? winProbability,
        TimeSpan? idleLimit,
        ImmutableArray<string> requiredAttributes,
        TimeSpan? stepWindow = null)
    {
        StepWindow = stepWindow;
        Key = key;
        DisplayName = displayName;
        Order = order;
        Kind = kind;
        Phase = phase;
        Owner = owner;
        Channels = channels;
        WinProbability = winProbability;
        IdleLimit = idleLimit;
        RequiredAttributes = requiredAttributes;
    }

    /// <summary>Gets the key that identifies the stage within its definition.</summary>
    public StageKey Key { get; }

    /// <summary>Gets the name shown to people.</summary>
    public string DisplayName { get; }

    /// <summary>Gets the zero-based position of the stage in the funnel; the first stage has order 0.</summary>
    public int Order { get; }

    /// <summary>Gets what the stage is for: standard, key (money is made here) or technical (automation).</summary>
    public StageKind Kind { get; }

    /// <summary>Gets the phase of the funnel the stage belongs to (TOFU / MOFU / BOFU).</summary>
    public FunnelPhase Phase { get; }

    /// <summary>Gets the team that owns the stage, such as "Marketing" or "Sales", or <see langword="null"/>.</summary>
    public string? Owner { get; }

    /// <summary>Gets the channels that work at this stage (see <see cref="Core.Channels"/>), without duplicates, in declaration order.</summary>
    public ImmutableArray<string> Channels { get; }

    /// <summary>Gets the probability, from 0 to 1, that a lead in this stage is eventually won, or <see langword="null"/> when not set.</summary>
    public double? WinProbability { get; }

    /// <summary>Gets how long a lead may stay idle in this stage before it counts as stale, or <see langword="null"/> for no limit.</summary>
    public TimeSpan? IdleLimit { get; }

    /// <summary>
    /// Gets the per-step conversion window of the window funnel's step into this stage: an entry into it counts only
    /// within this time of the matched entry into the previous stage (docs/bulk.md, rule 7); <see langword="null"/>
    /// for no limit beyond the funnel's window. Never set on the first stage.
    /// </summary>
    public TimeSpan? StepWindow { get; }

    /// <summary>Gets the names of the journey attributes that must be present before a lead may enter this stage.</summary>
    public ImmutableArray<string> RequiredAttributes { get; }

    /// <inheritdoc />
    public bool Equals(Stage? other) =>
        other is not null
        && Key == other.Key
        && string.Equals(DisplayName, other.DisplayName, StringComparison.Ordinal)
        && Order == other.Order
        && Kind == other.Kind
        && Phase == other.Phase
        && string.Equals(Owner, other.Owner, StringComparison.Ordinal)
        && Channels.SequenceEqual(other.Channels, StringComparer.Ordinal)
        && WinProbability == other.WinProbability
        && IdleLimit == other.IdleLimit
        && StepWindow == other.StepWindow
        && RequiredAttributes.SequenceEqual(other.RequiredAttributes, StringComparer.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Stage);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Key, Order, Kind, Phase);

    /// <summary>Returns the key and the display name.</summary>
    /// <returns>A text such as <c>interest (Interest)</c>.</returns>
    public override string ToString() => $"{Key} ({DisplayName})";
}
