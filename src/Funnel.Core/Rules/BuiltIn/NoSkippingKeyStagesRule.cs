namespace Funnel.Core.Rules;

/// <summary>
/// A guard that denies a forward jump over a key stage the lead has never entered (such as going from "proposal read"
/// straight to "won" without "invoice issued"). Violation data: <c>from</c>, <c>to</c>, <c>skipped</c> (comma-separated,
/// in funnel order).
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class NoSkippingKeyStagesRule : ITransitionGuard, IDefinitionCheck
{
    /// <summary>Creates the rule.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A listed stage is the default key.</exception>
    public NoSkippingKeyStagesRule(NoSkippingKeyStagesOptions options)
    {
        Guard.Against.Null(options);
        if (!options.Stages.IsDefault && options.Stages.Any(s => s.IsDefault))
        {
            throw new ArgumentException("A listed stage is the default key.", nameof(options));
        }

        Options = options;
    }

    /// <summary>Gets the options.</summary>
    public NoSkippingKeyStagesOptions Options { get; }

    /// <inheritdoc />
    public GuardVerdict Check(in GuardArguments arguments)
    {
        if (!(arguments.Kind == MoveKind.Move || (arguments.Kind == MoveKind.Won && Options.IncludeWins))
            || arguments.To.Order <= arguments.From.Order + 1)
        {
            return GuardVerdict.Allow;
        }

        List<Stage>? skipped = null;
        var stages = arguments.Definition.Stages;
        for (var order = arguments.From.Order + 1; order < arguments.To.Order; order++)
        {
            var stage = stages[order];
            if (IsGuarded(stage) && !WasEntered(arguments.Journey, stage.Key))
            {
                (skipped ??= []).Add(stage);
            }
        }

        if (skipped is null)
        {
            return GuardVerdict.Allow;
        }

        var names = string.Join(", ", skipped.Select(s => s.Key.Value));
        return GuardVerdict.Deny(
            $"The move '{arguments.From.Key}' -> '{arguments.To.Key}' skips the key stage(s) {names}.",
            RuleData.Of("from", arguments.From.Key.Value, "to", arguments.To.Key.Value, "skipped", names));
    }

    private static bool WasEntered(Journey journey, StageKey stage)
    {
        foreach (var entry in journey.HistorySpan)
        {
            if (entry.To == stage && entry.Kind is MoveKind.Start or MoveKind.Move or MoveKind.Won)
            {
                return true;
            }
        }

        return false;
    }

    private bool IsGuarded(Stage stage) =>
        Options.Stages.IsDefaultOrEmpty ? stage.Kind == StageKind.Key : Options.Stages.Contains(stage.Key);

    void IDefinitionCheck.Check(FunnelDefinition definition, ProblemCollector problems)
    {
        problems.Stages(Options.Stages.IsDefault ? [] : Options.Stages, "The key stage");
    }
}
