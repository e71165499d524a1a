using System.Collections.Immutable;
using System.Diagnostics.Metrics;

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

    private readonly GuardEvaluator _guards;
    private readonly AutomationDispatcher _automations;
    private readonly RuleSetTelemetry _telemetry;

    internal RuleSet(ImmutableArray<RuleRegistration> rules, int maxCascadeDepth, RuleSetTelemetry telemetry)
    {
        Rules = rules;
        MaxCascadeDepth = maxCascadeDepth;
        _telemetry = telemetry;
        var ordered = rules.Select((rule, index) => (rule, index))
            .Where(pair => pair.rule.IsEnabled)
            .OrderByDescending(pair => pair.rule.Priority)
            .ThenBy(pair => pair.index)
            .Select(pair => pair.rule)
            .ToArray();
        _guards = new GuardEvaluator(ordered);
        _automations = new AutomationDispatcher(ordered, _telemetry);
    }

    /// <summary>Gets a rule set without rules: only the built-in checks apply.</summary>
    public static RuleSet Empty { get; } = new([], DefaultMaxCascadeDepth, RuleSetTelemetry.Default);

    /// <summary>Gets every rule, enabled or not, in registration order.</summary>
    public ImmutableArray<RuleRegistration> Rules { get; }

    /// <summary>Gets how many move, win, loss and reopen commands one run may apply before it stops with a <see cref="RuleCascadeException"/>.</summary>
    /// <value>Default <see cref="DefaultMaxCascadeDepth"/> (32).</value>
    public int MaxCascadeDepth { get; }

    /// <summary>Gets the factory of the meter the measurements go to; <see langword="null"/> for the static meter.</summary>
    internal IMeterFactory? MeterFactory => _telemetry.MeterFactory;

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
        Guard.Against.NullOrBlank(id);
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

        return new RuleSet(Rules.SetItem(index, Rules[index].WithEnabled(enabled)), MaxCascadeDepth, _telemetry);
    }

    /// <summary>
    /// Returns a copy that records its measurements on a <c>Funnel</c> meter created by a factory, such as the
    /// container's <see cref="IMeterFactory"/>, instead of the process-wide static meter: listeners then tell the
    /// measurements of each factory (each host, each test) apart by <see cref="Meter.Scope"/>. The instruments are
    /// created once per factory and shared by every rule set given the same one; once the factory is disposed, its
    /// meter records nothing. Activities always come from the static <c>Funnel</c> activity source.
    /// </summary>
    /// <param name="meterFactory">The factory; <see langword="null"/> for the static meter (the default).</param>
    /// <returns>The new rule set.</returns>
    public RuleSet WithMeterFactory(IMeterFactory? meterFactory) => new(Rules, MaxCascadeDepth, RuleSetTelemetry.For(meterFactory));

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
        Guard.Against.Null(definition);
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
        Guard.Against.Null(journey);
        if (request.Kind is not (MoveKind.Move or MoveKind.Won or MoveKind.Lost or MoveKind.Reopen or MoveKind.Attempt))
        {
            throw new ArgumentException("Create the request with MoveRequest.MoveTo, Won, Lost, Reopen or Attempt.", nameof(request));
        }

        using var activity = RuleSetTelemetry.StartEvaluate(journey, request);
        var builtIn = default(ViolationList);
        var target = journey.CheckChange(request.Kind, request.Stage, request.LossReason, request.At, ref builtIn, out var lossReason);
        var guarded = default(ViolationList);
        if (target is not null)
        {
            _guards.Check(journey, request, target, lossReason, ref guarded);
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
            _telemetry.RecordRejection(journey, violations, activity);
            return new RuleResult(request.Kind, journey, violations, [], null);
        }

        var next = journey.ApplyChange(request.Kind, target!, lossReason, request.At, request.Actor, request.Note, bypass);
        _telemetry.RecordChange(journey, next, request, bypass, activity);
        var commands = default(CommandList);
        if (!_automations.IsEmpty)
        {
            _automations.RaiseChangeSignals(journey, next, request.Kind, request.At, ref commands);
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
        Guard.Against.Null(journey);
        if (signal.Kind == SignalKinds.None)
        {
            throw new ArgumentException("Create the signal with FunnelSignal.External, Idle or Change.", nameof(signal));
        }

        using var activity = RuleSetTelemetry.StartSignal(journey, signal);
        var commands = default(CommandList);
        _automations.Dispatch(journey, signal, ref commands);
        var result = commands.ToImmutable();
        RuleSetTelemetry.RecordCommands(activity, result.Length);
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

        return RuleCascade.Run(this, first.Journey, first.Commands, request.At);
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
    public RuleRun Run(Journey journey, FunnelSignal signal) => RuleCascade.Run(this, journey, React(journey, signal), signal.At);
}
