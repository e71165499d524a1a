using System.Collections.Immutable;

namespace Funnel.Core;

/// <summary>
/// The audit record of a change forced past rules: who forced it, the reason they gave, and every rule violation the
/// change overrode. Kept on the <see cref="JourneyTransition"/> in the journey's history.
/// </summary>
/// <remarks>
/// Only rule guards and the transition graph (<see cref="BuiltInChecks.TransitionAllowed"/>) can be overridden; the
/// other built-in checks (unknown stage or loss reason, time order, open status, the definition's required
/// attributes) are never bypassed. Instances are immutable and thread-safe. Two records are equal when their actor,
/// reason and overridden violations (rule id and message, in order) are equal.
/// </remarks>
public sealed class MoveOverride : IEquatable<MoveOverride>
{
    /// <summary>Creates an audit record.</summary>
    /// <param name="actor">Who forced the change; not blank.</param>
    /// <param name="reason">Why, as stated by the actor; not blank.</param>
    /// <param name="overridden">Every violation the change overrode, in the order they were found; may be empty when nothing had to be overridden.</param>
    /// <exception cref="ArgumentException"><paramref name="actor"/> or <paramref name="reason"/> is null or blank.</exception>
    public MoveOverride(string actor, string reason, ImmutableArray<MoveViolation> overridden)
    {
        Guard.Against.NullOrBlank(actor);
        Guard.Against.NullOrBlank(reason);
        Actor = actor;
        Reason = reason;
        Overridden = overridden.IsDefault ? [] : overridden;
    }

    /// <summary>Gets who forced the change.</summary>
    public string Actor { get; }

    /// <summary>Gets why the change was forced, as stated by the actor.</summary>
    public string Reason { get; }

    /// <summary>Gets every violation the change overrode, in the order they were found; empty when nothing had to be overridden.</summary>
    public ImmutableArray<MoveViolation> Overridden { get; }

    /// <summary>Gets the ids of the overridden rules and checks, in order, without duplicates.</summary>
    public ImmutableArray<string> OverriddenRuleIds => [.. Overridden.Select(v => v.RuleId).Distinct(StringComparer.Ordinal)];

    /// <inheritdoc />
    public bool Equals(MoveOverride? other) =>
        other is not null
        && string.Equals(Actor, other.Actor, StringComparison.Ordinal)
        && string.Equals(Reason, other.Reason, StringComparison.Ordinal)
        && Overridden.Length == other.Overridden.Length
        && Overridden.Zip(other.Overridden).All(pair =>
            string.Equals(pair.First.RuleId, pair.Second.RuleId, StringComparison.Ordinal)
            && string.Equals(pair.First.Message, pair.Second.Message, StringComparison.Ordinal));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MoveOverride);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Actor), StringComparer.Ordinal.GetHashCode(Reason), Overridden.Length);

    /// <summary>Returns who forced the change, why, and which rules it overrode.</summary>
    /// <returns>
    /// A text such as <c>[forced by anna: client called back; overrode no-skipping-key-stages]</c>; a full stop or
    /// semicolon that ends the reason is left out there, so that it does not run into the list.
    /// </returns>
    public override string ToString() =>
        $"[forced by {Actor}: {Reason.TrimEnd('.', ';', ' ')}; overrode {(Overridden.IsEmpty ? "nothing" : string.Join(", ", OverriddenRuleIds))}]";
}
