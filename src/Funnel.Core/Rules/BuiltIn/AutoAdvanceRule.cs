using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>
/// An automation on <see cref="SignalKinds.External"/> signals: when the named signal (such as <c>email.opened</c>)
/// arrives for an open lead in <see cref="AutoAdvanceOptions.From"/>, it emits a <see cref="MoveCommand"/> to
/// <see cref="AutoAdvanceOptions.To"/> and, when configured, a <see cref="ScheduleTaskCommand"/> (such as "Call the
/// client" for the deal's owner). The classic technical stage that moves by itself.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class AutoAdvanceRule : IAutomation, IDefinitionCheck
{
    /// <summary>Creates the rule.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The signal is blank, a stage is the default key, or the due delay is negative.</exception>
    public AutoAdvanceRule(AutoAdvanceOptions options)
    {
        Guard.Against.Null(options);
        Guard.Against.NullOrBlank(options.Signal, nameof(options));
        Guard.Against.NullOrBlank(options.AssigneeAttribute, nameof(options));
        if (options.From.IsDefault || options.To.IsDefault)
        {
            throw new ArgumentException("Auto-advance needs both a From and a To stage.", nameof(options));
        }

        if (options.TaskDueAfter < TimeSpan.Zero)
        {
            throw new ArgumentException("The task delay must not be negative.", nameof(options));
        }

        Options = options;
    }

    /// <summary>Gets the options.</summary>
    public AutoAdvanceOptions Options { get; }

    /// <inheritdoc />
    public ImmutableArray<RuleCommand> React(in AutomationArguments arguments)
    {
        var journey = arguments.Journey;
        if (arguments.Signal.Kind != SignalKinds.External
            || !string.Equals(arguments.Signal.Name, Options.Signal, StringComparison.Ordinal)
            || journey.Status != JourneyStatus.Open
            || journey.CurrentStage.Key != Options.From)
        {
            return [];
        }

        var move = arguments.Move(Options.To, $"signal {Options.Signal}");
        if (Options.TaskTitle is null)
        {
            return [move];
        }

        var owner = journey.Attributes.TryGetValue(Options.AssigneeAttribute, out var named)
            ? named
            : journey.Definition.TryGetStage(Options.To, out var target) ? target.Owner : null;
        return [move, arguments.ScheduleTask(Options.TaskTitle, arguments.At + Options.TaskDueAfter, owner)];
    }

    void IDefinitionCheck.Check(FunnelDefinition definition, ProblemCollector problems)
    {
        problems.Stage(Options.From, "The From stage");
        problems.Stage(Options.To, "The To stage");
        if (definition.TryGetStage(Options.From, out var from)
            && definition.TryGetStage(Options.To, out var to)
            && !definition.IsTransitionAllowed(from.Order, to.Order))
        {
            problems.Add($"Funnel '{definition.Key}' does not allow the move '{from.Key}' -> '{to.Key}', so every move this rule emits would be rejected.");
        }
    }
}
