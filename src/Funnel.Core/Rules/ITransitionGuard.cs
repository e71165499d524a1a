namespace Funnel.Core.Rules;

/// <summary>
/// A guard: decides whether a proposed change (a move, a win, a loss, a reopening) may happen. Register it on a
/// <see cref="RuleSetBuilder"/> with an id, a <see cref="GuardScope"/> and a priority.
/// </summary>
/// <remarks>
/// A guard is shared by every journey and thread that uses its rule set: implementations must be thread-safe
/// (stateless, or immutable state) and deterministic (the same arguments give the same verdict; take time from
/// <see cref="GuardArguments.At"/>, never from the clock). Allowing should allocate nothing.
/// </remarks>
public interface ITransitionGuard
{
    /// <summary>Decides about a proposed change.</summary>
    /// <param name="arguments">The proposed change.</param>
    /// <returns><see cref="GuardVerdict.Allow"/>, or a denial with a message and data.</returns>
    GuardVerdict Check(in GuardArguments arguments);
}
