using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>
/// An automation: reacts to a signal with commands (move, mark won or lost, schedule a task, notify). It never
/// changes anything itself. Register it on a <see cref="RuleSetBuilder"/> with an id, the signal kinds it reacts
/// to and a priority.
/// </summary>
/// <remarks>
/// An automation is shared by every journey and thread that uses its rule set: implementations must be thread-safe
/// and deterministic (take time from <see cref="AutomationArguments.At"/>, never from the clock). Returning an
/// empty array (<c>[]</c>) when nothing is to be done allocates nothing.
/// </remarks>
public interface IAutomation
{
    /// <summary>Reacts to a signal.</summary>
    /// <param name="arguments">The journey and the signal.</param>
    /// <returns>The commands to carry out, in order; empty when nothing is to be done.</returns>
    ImmutableArray<RuleCommand> React(in AutomationArguments arguments);
}
