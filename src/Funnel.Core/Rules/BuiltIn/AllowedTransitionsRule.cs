namespace Funnel.Core.Rules;

/// <summary>
/// A guard that allows only the listed moves between stages (see <see cref="AllowedTransitionsOptions"/>). Like the
/// definition's graph, it can be overridden by a forced, audited change. Violation data: <c>from</c>, <c>to</c>.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class AllowedTransitionsRule : ITransitionGuard, IDefinitionCheck
{
    private readonly HashSet<(StageKey, StageKey)> _allowed;

    /// <summary>Creates the rule.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No transition is listed, or a key is the default key.</exception>
    public AllowedTransitionsRule(AllowedTransitionsOptions options)
    {
        Guard.Against.Null(options);
        if (options.Transitions.IsDefaultOrEmpty)
        {
            throw new ArgumentException("List at least one allowed transition.", nameof(options));
        }

        if (options.Transitions.Any(t => t.From.IsDefault || t.To.IsDefault))
        {
            throw new ArgumentException("A transition names the default stage key.", nameof(options));
        }

        Options = options;
        _allowed = [.. options.Transitions];
    }

    /// <summary>Gets the options.</summary>
    public AllowedTransitionsOptions Options { get; }

    /// <inheritdoc />
    public GuardVerdict Check(in GuardArguments arguments)
    {
        if (arguments.Kind != MoveKind.Move || _allowed.Contains((arguments.From.Key, arguments.To.Key)))
        {
            return GuardVerdict.Allow;
        }

        return GuardVerdict.Deny(
            $"The rule '{arguments.RuleId}' does not allow the move '{arguments.From.Key}' -> '{arguments.To.Key}'.",
            RuleData.Of("from", arguments.From.Key.Value, "to", arguments.To.Key.Value));
    }

    void IDefinitionCheck.Check(FunnelDefinition definition, ProblemCollector problems)
    {
        foreach (var (from, to) in Options.Transitions)
        {
            problems.Stage(from, "The transition source");
            problems.Stage(to, "The transition target");
        }
    }
}
