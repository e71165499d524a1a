using System.Collections.Immutable;
using System.Diagnostics;
using Funnel.Core.Telemetry;

namespace Funnel.Core.Rules;

/// <summary>
/// An immutable set of guards and automations shared by every journey of a funnel: the rule engine. It decides
/// whether a proposed change may happen (built-in checks first, then every guard in scope, all violations returned)
/// and what should follow it (the automations' commands). It is pure: nothing is carried out;
/// <see cref="Run(Journey, MoveRequest)"/> is the helper that applies the move, win, loss and reopen commands through
/// the same guards and returns the rest.
/// </summary>
/// <remarks>
/// <para>Instances are immutable and thread-safe: build one with <see cref="RuleSetBuilder"/> and use it from any
/// number of threads at once. Rules run in priority order (higher first; equal priorities keep registration order),
/// so verdicts and commands come out in a deterministic order.</para>
/// <para>Time comes from the request or signal, never from the clock.</para>
/// <para>Forced changes (<see cref="MoveRequest.ForcedBy"/>) override guards and the transition graph
/// (<see cref="BuiltInChecks.TransitionAllowed"/>); the other built-in checks always apply.</para>
/// </remarks>
/// <example>
/// <code>
/// var rules = new RuleSetBuilder().AddLossReasonRequired(new LossReasonOptions { RequireComment = true }).Build();
/// var result = rules.Evaluate(journey, MoveRequest.Lost("price", at, "anna"));
/// </code>
/// </example>
public sealed class RuleSet
{
    /// <summary>The default of <see cref="MaxCascadeDepth"/>: 32.</summary>
    public const int DefaultMaxCascadeDepth = 32;

    private readonly RuleRegistration[] _guards;
    private readonly RuleRegistration[] _automations;

    internal RuleSet(ImmutableArray<RuleRegistration> rules, int maxCascadeDepth)
    {
        Rules = rules;
        MaxCascadeDepth = maxCascadeDepth;
        var ordered = rules.Select((rule, index) => (rule, index))
            .Where(pair => pair.rule.IsEnabled)
            .OrderByDescending(pair => pair.rule.Priority)
            .ThenBy(pair => pair.index)
            .Select(pair => pair.rule)
            .ToArray();
        _guards = [.. ordered.Where(r => r.Guard is not null)];
        _automations = [.. ordered.Where(r => r.Automation is not null)];
    }

    /// <summary>Gets a rule set without rules: only the built-in checks apply.</summary>
    public static RuleSet Empty { get; } = new([], DefaultMaxCascadeDepth);

    /// <summary>Gets every rule, enabled or not, in registration order.</summary>
    public ImmutableArray<RuleRegistration> Rules { get; }

    /// <summary>Gets how many move, win, loss and reopen commands one run may apply before it stops with a <see cref="RuleCascadeException"/>.</summary>
    /// <value>Default <see cref="DefaultMaxCascadeDepth"/> (32).</value>
    public int MaxCascadeDepth { get; }

    /// <summary>Returns a builder holding this set's rules, to derive a changed set.</summary>
    /// <returns>The builder.</returns>
    public RuleSetBuilder ToBuilder() => new(this);

    /// <summary>Returns a copy with a rule enabled or disabled.</summary>
    /// <param name="id">The rule id.</param>
    /// <param name="enabled">Whether it runs.</param>
    /// <returns>The new rule set.</returns>
    /// <exception cref="ArgumentException">No rule has the id; the message lists the known ids.</exception>
    public RuleSet WithEnabled(string id, bool enabled)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var index = -1;
        for (var i = 0; i < Rules.Length; i++)
        {
            if (string.Equals(Rules[i].Id, id, StringComparison.Ordinal))
            {
                index = i;
            }
        }

        if (index < 0)
        {
            throw new ArgumentException($"No rule has the id '{id}' (known: {string.Join(", ", Rules.Select(r => r.Id))}).", nameof(id));
        }

        return new RuleSet(Rules.SetItem(index, Rules[index].WithEnabled(enabled)), MaxCascadeDepth);
    }

    /// <summary>Tells whether a rule is in the set and enabled.</summary>
    /// <param name="id">The rule id.</param>
    /// <returns><see langword="true"/> when enabled.</returns>
    public bool IsEnabled(string id) => Rules.Any(r => r.IsEnabled && string.Equals(r.Id, id, StringComparison.Ordinal));

    /// <summary>
    /// Checks the rules against a definition: every stage and loss reason a built-in rule or a guard scope names must
    /// exist, and an auto-advance must be a move the graph allows. Otherwise such a rule would silently never match,
    /// or have every command rejected. Custom guards and automations are checked through their scopes, and through
    /// <see cref="IRuleValidation"/> when they implement it.
    /// </summary>
    /// <param name="definition">The definition the rule set will be used with.</param>
    /// <returns>Every problem, in rule registration order; empty when the rules fit.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    public ImmutableArray<RuleProblem> Validate(FunnelDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = new ProblemCollector(definition);
        foreach (var rule in Rules)
        {
            problems.RuleId = rule.Id;
            if (rule.Guard is not null && rule.Scope.Kind is GuardScopeKind.EnteringStage or GuardScopeKind.LeavingStage or GuardScopeKind.Transition)
            {
                problems.Stage(rule.Scope.Stage, "The scope's stage");
                if (rule.Scope.Kind == GuardScopeKind.Transition)
                {
                    problems.Stage(rule.Scope.To, "The scope's target stage");
                }
            }

            ((rule.Guard as IDefinitionCheck) ?? (rule.Automation as IDefinitionCheck))?.Check(definition, problems);
            if (((rule.Guard as IRuleValidation) ?? (rule.Automation as IRuleValidation)) is { } custom)
            {
                foreach (var message in custom.Validate(definition) ?? [])
                {
                    problems.Add(string.IsNullOrWhiteSpace(message) ? "The rule reported a problem without a message." : message);
                }
            }
        }

        return [.. problems.Problems];
    }

    /// <summary>
    /// Evaluates a proposed change: runs the built-in checks and every guard in scope; when accepted, makes the change
    /// and asks the automations what should follow (stage left, stage entered, won, lost, reopened, attempt recorded).
    /// </summary>
    /// <param name="journey">The journey.</param>
    /// <param name="request">The proposed change.</param>
    /// <returns>The new journey and the commands, or every violation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="request"/> is the <see langword="default"/> value.</exception>
    /// <exception cref="RuleExecutionException">A guard or automation threw, or an automation returned a <see langword="null"/> command.</exception>
    public RuleResult Evaluate(Journey journey, MoveRequest request)
    {
        ArgumentNullException.ThrowIfNull(journey);
        if (request.Kind is not (MoveKind.Move or MoveKind.Won or MoveKind.Lost or MoveKind.Reopen or MoveKind.Attempt))
        {
            throw new ArgumentException("Create the request with MoveRequest.MoveTo, Won, Lost, Reopen or Attempt.", nameof(request));
        }

        using var activity = FunnelInstruments.Source.HasListeners() ? StartEvaluateActivity(journey, request) : null;
        var builtIn = default(ViolationList);
        var target = journey.CheckChange(request.Kind, request.Stage, request.LossReason, request.At, ref builtIn, out var lossReason);
        var guarded = default(ViolationList);
        if (target is not null)
        {
            CheckGuards(journey, request, target, lossReason, ref guarded);
        }

        MoveOverride? bypass = null;
        ImmutableArray<MoveViolation> violations;
        if (request.IsForced)
        {
            var hard = default(ViolationList);
            var overridden = default(ViolationList);
            foreach (var violation in builtIn.ToImmutable())
            {
                if (string.Equals(violation.RuleId, BuiltInChecks.TransitionAllowed, StringComparison.Ordinal))
                {
                    overridden.Add(violation);
                }
                else
                {
                    hard.Add(violation);
                }
            }

            overridden.AddRange(guarded.ToImmutable());
            violations = hard.ToImmutable();
            if (violations.IsEmpty)
            {
                bypass = new MoveOverride(request.Actor!, request.ForceReason!, overridden.ToImmutable());
            }
        }
        else
        {
            builtIn.AddRange(guarded.ToImmutable());
            violations = builtIn.ToImmutable();
        }

        if (!violations.IsEmpty)
        {
            RecordRejection(journey, violations, activity);
            return new RuleResult(request.Kind, journey, violations, [], null);
        }

        var next = journey.ApplyChange(request.Kind, target!, lossReason, request.At, request.Actor, request.Note, bypass);
        RecordChange(journey, next, request, bypass, activity);
        var commands = default(CommandList);
        if (_automations.Length > 0)
        {
            RaiseChangeSignals(journey, next, request.Kind, request.At, ref commands);
        }

        return new RuleResult(request.Kind, next, [], commands.ToImmutable(), bypass);
    }

    /// <summary>
    /// Asks the automations what should follow an external signal (such as <c>email.opened</c>) or a sweep for idle
    /// leads (<see cref="FunnelSignal.Idle(DateTimeOffset)"/>). Nothing is carried out.
    /// </summary>
    /// <param name="journey">The journey.</param>
    /// <param name="signal">The signal.</param>
    /// <returns>The commands, in rule order; empty when nothing fired.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="signal"/> is the <see langword="default"/> value.</exception>
    /// <exception cref="RuleExecutionException">An automation threw, or returned a <see langword="null"/> command.</exception>
    public ImmutableArray<RuleCommand> React(Journey journey, FunnelSignal signal)
    {
        ArgumentNullException.ThrowIfNull(journey);
        if (signal.Kind == SignalKinds.None)
        {
            throw new ArgumentException("Create the signal with FunnelSignal.External, Idle or Change.", nameof(signal));
        }

        using var activity = FunnelInstruments.Source.HasListeners() ? StartSignalActivity(journey, signal) : null;
        var commands = default(CommandList);
        Dispatch(journey, signal, ref commands);
        var result = commands.ToImmutable();
        activity?.SetTag("funnel.commands", result.Length);
        return result;
    }

    /// <summary>
    /// Evaluates a proposed change and, when accepted, applies the automations' move, win, loss and reopen commands
    /// through the same guards, cascading, until none is left. Tasks and notifications are returned for the caller.
    /// </summary>
    /// <param name="journey">The journey.</param>
    /// <param name="request">The proposed change.</param>
    /// <returns>The final journey, what was applied, rejected, and left to do; or the rejection of the request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    /// <exception cref="RuleCascadeException">The automations form a cycle, or the cascade exceeds <see cref="MaxCascadeDepth"/>.</exception>
    /// <exception cref="RuleExecutionException">A guard or automation threw, or an automation returned a <see langword="null"/> command.</exception>
    public RuleRun Run(Journey journey, MoveRequest request)
    {
        var first = Evaluate(journey, request);
        if (!first.Succeeded)
        {
            return new RuleRun(journey, first.Violations, [], [], []);
        }

        return Cascade(first.Journey, first.Commands, request.At);
    }

    /// <summary>
    /// Reacts to an external or sweep signal and applies the automations' move, win, loss and reopen commands
    /// through the guards, cascading. A scheduler or batch job sweeps idle leads with <c>Run(journey, FunnelSignal.Idle(asOf))</c>.
    /// </summary>
    /// <param name="journey">The journey.</param>
    /// <param name="signal">The signal.</param>
    /// <returns>The final journey, what was applied, rejected, and left to do.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    /// <exception cref="RuleCascadeException">The automations form a cycle, or the cascade exceeds <see cref="MaxCascadeDepth"/>.</exception>
    /// <exception cref="RuleExecutionException">A guard or automation threw, or an automation returned a <see langword="null"/> command.</exception>
    public RuleRun Run(Journey journey, FunnelSignal signal) => Cascade(journey, React(journey, signal), signal.At);

    private static MoveRequest ToRequest(RuleCommand command, DateTimeOffset at) => command switch
    {
        MoveCommand move => MoveRequest.MoveTo(move.Stage, at, "rule:" + move.RuleId, move.Note),
        MarkWonCommand won => MoveRequest.Won(at, "rule:" + won.RuleId, won.Note),
        MarkLostCommand lost => MoveRequest.Lost(lost.Reason, at, "rule:" + lost.RuleId, lost.Comment),
        ReopenCommand reopen => MoveRequest.Reopen(at, "rule:" + reopen.RuleId, reopen.Note),
        _ => default,
    };

    private static string Describe(MoveKind kind, Stage from, Stage to) => kind switch
    {
        MoveKind.Move => $"the move '{from.Key}' -> '{to.Key}'",
        MoveKind.Won => "a win",
        MoveKind.Lost => "a loss",
        MoveKind.Reopen => "a reopening",
        _ => "an attempt",
    };

    private static string Describe(FunnelSignal signal) =>
        signal.Kind == SignalKinds.External ? $"the signal '{signal.Name}'" : signal.Kind.ToString();

    private static Activity? StartEvaluateActivity(Journey journey, MoveRequest request)
    {
        var activity = FunnelInstruments.Source.StartActivity(FunnelTelemetry.EvaluateActivity);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("funnel", journey.Definition.Key);
            activity.SetTag("funnel.journey", journey.Id);
            activity.SetTag("funnel.kind", request.Kind.ToString());
            activity.SetTag("funnel.from", journey.CurrentStage.Key.Value);
            if (!request.Stage.IsDefault)
            {
                activity.SetTag("funnel.to", request.Stage.Value);
            }

            activity.SetTag("funnel.forced", request.IsForced);
        }

        return activity;
    }

    private static Activity? StartSignalActivity(Journey journey, FunnelSignal signal)
    {
        var activity = FunnelInstruments.Source.StartActivity(FunnelTelemetry.SignalActivity);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("funnel", journey.Definition.Key);
            activity.SetTag("funnel.journey", journey.Id);
            activity.SetTag("funnel.signal", signal.Kind == SignalKinds.External ? signal.Name : signal.Kind.ToString());
        }

        return activity;
    }

    private static void RecordRejection(Journey journey, ImmutableArray<MoveViolation> violations, Activity? activity)
    {
        if (FunnelInstruments.Rejections.Enabled)
        {
            foreach (var violation in violations)
            {
                FunnelInstruments.Rejections.Add(1, new("funnel", journey.Definition.Key), new("rule", violation.RuleId));
            }
        }

        if (activity is not null)
        {
            activity.SetTag("funnel.outcome", "rejected");
            activity.SetTag("funnel.violations", violations.Length);
            activity.SetStatus(ActivityStatusCode.Ok);
        }
    }

    private static void RecordChange(Journey before, Journey after, MoveRequest request, MoveOverride? bypass, Activity? activity)
    {
        var funnel = before.Definition.Key;
        var changedStage = after.CurrentStage.Order != before.CurrentStage.Order || request.Kind == MoveKind.Move;
        if (changedStage && request.Kind is MoveKind.Move or MoveKind.Won)
        {
            if (FunnelInstruments.Transitions.Enabled)
            {
                FunnelInstruments.Transitions.Add(1, new("funnel", funnel), new("from", before.CurrentStage.Key.Value), new("to", after.CurrentStage.Key.Value));
            }

            if (FunnelInstruments.TimeInStage.Enabled)
            {
                FunnelInstruments.TimeInStage.Record(before.TimeInStage(request.At).TotalSeconds, new("funnel", funnel), new("stage", before.CurrentStage.Key.Value));
            }
        }
        else if (request.Kind == MoveKind.Lost)
        {
            if (FunnelInstruments.Losses.Enabled)
            {
                FunnelInstruments.Losses.Add(1, new("funnel", funnel), new("stage", after.CurrentStage.Key.Value), new("reason", request.LossReason.Value));
            }

            if (FunnelInstruments.TimeInStage.Enabled)
            {
                FunnelInstruments.TimeInStage.Record(before.TimeInStage(request.At).TotalSeconds, new("funnel", funnel), new("stage", before.CurrentStage.Key.Value));
            }
        }
        else if (request.Kind == MoveKind.Reopen && FunnelInstruments.Reopenings.Enabled)
        {
            FunnelInstruments.Reopenings.Add(1, new("funnel", funnel), new("stage", after.CurrentStage.Key.Value), new("from", before.Status == JourneyStatus.Won ? "won" : "lost"));
        }

        if (bypass is not null && FunnelInstruments.Overrides.Enabled)
        {
            foreach (var violation in bypass.Overridden)
            {
                FunnelInstruments.Overrides.Add(1, new("funnel", funnel), new("rule", violation.RuleId));
            }
        }

        activity?.SetTag("funnel.outcome", bypass is null ? "accepted" : "forced");
    }

    private void CheckGuards(Journey journey, MoveRequest request, Stage target, LossReason? lossReason, ref ViolationList violations)
    {
        foreach (var rule in _guards)
        {
            var arguments = new GuardArguments(journey, request.Kind, target, request.At, request.Actor, request.Note, lossReason, rule.Id);
            if (!rule.Scope.Covers(in arguments))
            {
                continue;
            }

            GuardVerdict verdict;
            try
            {
                verdict = rule.Guard!.Check(in arguments);
            }
            catch (Exception exception)
            {
                throw new RuleExecutionException(
                    $"Guard '{rule.Id}' threw {exception.GetType().Name} checking {Describe(request.Kind, journey.CurrentStage, target)} of journey '{journey.Id}' at stage '{journey.CurrentStage.Key}': {exception.Message}",
                    rule.Id,
                    journey.Id,
                    journey.CurrentStage.Key,
                    exception);
            }

            if (!verdict.IsAllowed)
            {
                violations.Add(new MoveViolation(rule.Id, verdict.Message!, verdict.Data));
            }
        }
    }

    private void RaiseChangeSignals(Journey before, Journey after, MoveKind kind, DateTimeOffset at, ref CommandList commands)
    {
        switch (kind)
        {
            case MoveKind.Move:
            case MoveKind.Won:
                if (kind == MoveKind.Move || after.CurrentStage.Order != before.CurrentStage.Order)
                {
                    Dispatch(after, FunnelSignal.Change(SignalKinds.StageLeft, before.CurrentStage.Key, at), ref commands);
                    Dispatch(after, FunnelSignal.Change(SignalKinds.StageEntered, after.CurrentStage.Key, at), ref commands);
                }

                if (before.Status == JourneyStatus.Open && after.Status == JourneyStatus.Won)
                {
                    Dispatch(after, FunnelSignal.Change(SignalKinds.Won, after.CurrentStage.Key, at), ref commands);
                }

                break;
            case MoveKind.Lost:
                Dispatch(after, FunnelSignal.Change(SignalKinds.Lost, after.CurrentStage.Key, at), ref commands);
                break;
            case MoveKind.Reopen:
                Dispatch(after, FunnelSignal.Change(SignalKinds.Reopened, after.CurrentStage.Key, at), ref commands);
                break;
            default:
                Dispatch(after, FunnelSignal.Change(SignalKinds.AttemptRecorded, after.CurrentStage.Key, at), ref commands);
                break;
        }
    }

    private void Dispatch(Journey journey, FunnelSignal signal, ref CommandList commands)
    {
        foreach (var rule in _automations)
        {
            if ((rule.Signals & signal.Kind) == 0)
            {
                continue;
            }

            ImmutableArray<RuleCommand> emitted;
            try
            {
                emitted = rule.Automation!.React(new AutomationArguments(journey, signal, rule.Id));
            }
            catch (Exception exception)
            {
                throw new RuleExecutionException(
                    $"Automation '{rule.Id}' threw {exception.GetType().Name} reacting to {Describe(signal)} on journey '{journey.Id}' at stage '{journey.CurrentStage.Key}': {exception.Message}",
                    rule.Id,
                    journey.Id,
                    journey.CurrentStage.Key,
                    exception);
            }

            if (!emitted.IsDefaultOrEmpty)
            {
                for (var i = 0; i < emitted.Length; i++)
                {
                    if (emitted[i] is null)
                    {
                        throw new RuleExecutionException(
                            $"Automation '{rule.Id}' returned a null command (item {i} of {emitted.Length}) reacting to {Describe(signal)} on journey '{journey.Id}' at stage '{journey.CurrentStage.Key}'; return [] when nothing is to be done.",
                            rule.Id,
                            journey.Id,
                            journey.CurrentStage.Key,
                            innerException: null);
                    }
                }

                commands.AddRange(emitted);
                if (FunnelInstruments.AutomationsFired.Enabled)
                {
                    FunnelInstruments.AutomationsFired.Add(1, new("funnel", journey.Definition.Key), new("rule", rule.Id));
                }
            }
        }
    }

    private RuleRun Cascade(Journey journey, ImmutableArray<RuleCommand> initial, DateTimeOffset at)
    {
        if (initial.IsEmpty)
        {
            return new RuleRun(journey, [], [], [], []);
        }

        var queue = new Queue<RuleCommand>(initial);
        var applied = ImmutableArray.CreateBuilder<RuleCommand>();
        var rejected = ImmutableArray.CreateBuilder<RejectedCommand>();
        var pending = ImmutableArray.CreateBuilder<RuleCommand>();
        // Every applied step in order, and where each (stage, status, command) first occurred: a command coming round
        // again from the same state is found in O(1) (it was a scan of the trail comparing texts, quadratic in the
        // cascade's length; issue 18, defect 10).
        var trail = new List<RuleCommand>();
        var steps = new Dictionary<(StageKey Stage, JourneyStatus Status, RuleCommand Command), int>();
        while (queue.TryDequeue(out var command))
        {
            var request = ToRequest(command, at);
            if (request.Kind == MoveKind.Start || !string.Equals(command.JourneyId, journey.Id, StringComparison.Ordinal))
            {
                pending.Add(command);
                continue;
            }

            var step = (journey.CurrentStage.Key, journey.Status, command);
            if (steps.TryGetValue(step, out var seen))
            {
                var cycle = trail.Skip(seen).Append(command).ToList();
                var ids = cycle.Select(c => c.RuleId).Distinct(StringComparer.Ordinal).ToImmutableArray();
                throw new RuleCascadeException(
                    $"Automations form a cycle on journey '{journey.Id}': {string.Join(" -> ", cycle.Select(c => $"{c.RuleId} ({c})"))}. Rules in the cycle: {string.Join(", ", ids)}.",
                    journey.Id,
                    ids,
                    isCycle: true);
            }

            var result = Evaluate(journey, request);
            if (!result.Succeeded)
            {
                rejected.Add(new RejectedCommand(command, result.Violations));
                continue;
            }

            if (applied.Count >= MaxCascadeDepth)
            {
                var ids = applied.Select(c => c.RuleId).Append(command.RuleId).Distinct(StringComparer.Ordinal).ToImmutableArray();
                throw new RuleCascadeException(
                    $"The automations on journey '{journey.Id}' applied more than {MaxCascadeDepth} commands in one run (rules: {string.Join(", ", ids)}); raise MaxCascadeDepth or break the chain.",
                    journey.Id,
                    ids,
                    isCycle: false);
            }

            steps.Add(step, trail.Count);
            trail.Add(command);
            applied.Add(command);
            journey = result.Journey;
            foreach (var next in result.Commands)
            {
                queue.Enqueue(next);
            }
        }

        return new RuleRun(journey, [], applied.ToImmutable(), rejected.ToImmutable(), pending.ToImmutable());
    }
}
