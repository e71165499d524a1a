using System.Collections.Immutable;
using System.Globalization;

namespace Funnel.Core;

/// <content>
/// The move logic: the public moves, the checks that decide whether a change is allowed (<see cref="CheckChange"/>),
/// and the new journey an accepted change makes (<see cref="ApplyChange"/>).
/// </content>
public sealed partial class Journey
{
    /// <summary>Moves the lead to a stage. Reaching the goal stage (or a stage after it) from an open status marks the lead won.</summary>
    /// <param name="stage">The target stage.</param>
    /// <param name="at">When the move happened; not earlier than <see cref="LastChangedAt"/>.</param>
    /// <param name="actor">Who moved it, or <see langword="null"/>.</param>
    /// <param name="note">A note, or <see langword="null"/>.</param>
    /// <returns>The new journey, or the rejection with every reason.</returns>
    /// <exception cref="ArgumentException"><paramref name="stage"/> is the <see langword="default"/> key.</exception>
    public JourneyResult MoveTo(StageKey stage, DateTimeOffset at, string? actor = null, string? note = null)
    {
        Guard.Against.InvalidStageKey(stage);
        return Change(MoveKind.Move, stage, default, at, actor, note);
    }

    /// <summary>
    /// Marks the lead won. A lead before the goal stage moves to the goal stage (an explicit close, such as a CRM's
    /// "Won" button, which the transition graph does not restrict); the goal stage's required attributes still apply.
    /// </summary>
    /// <param name="at">When it was won; not earlier than <see cref="LastChangedAt"/>.</param>
    /// <param name="actor">Who marked it, or <see langword="null"/>.</param>
    /// <param name="note">A note, or <see langword="null"/>.</param>
    /// <returns>The new journey, or the rejection with every reason.</returns>
    public JourneyResult MarkWon(DateTimeOffset at, string? actor = null, string? note = null) =>
        Change(MoveKind.Won, default, default, at, actor, note);

    /// <summary>Marks the lead lost at its current stage, with a reason from the definition's catalog.</summary>
    /// <param name="reason">The loss reason.</param>
    /// <param name="at">When it was lost; not earlier than <see cref="LastChangedAt"/>.</param>
    /// <param name="actor">Who marked it, or <see langword="null"/>.</param>
    /// <param name="note">A note (a comment on the loss), or <see langword="null"/>.</param>
    /// <returns>The new journey, or the rejection with every reason.</returns>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is the <see langword="default"/> key.</exception>
    public JourneyResult MarkLost(LossReasonKey reason, DateTimeOffset at, string? actor = null, string? note = null)
    {
        Guard.Against.InvalidLossReasonKey(reason);
        return Change(MoveKind.Lost, default, reason, at, actor, note);
    }

    /// <summary>Reopens a won or lost lead at its current stage (a recovered loss, a reverted win).</summary>
    /// <param name="at">When it was reopened; not earlier than <see cref="LastChangedAt"/>.</param>
    /// <param name="actor">Who reopened it, or <see langword="null"/>.</param>
    /// <param name="note">A note, or <see langword="null"/>.</param>
    /// <returns>The new journey, or the rejection with every reason.</returns>
    public JourneyResult Reopen(DateTimeOffset at, string? actor = null, string? note = null) =>
        Change(MoveKind.Reopen, default, default, at, actor, note);

    /// <summary>Records an attempt (a call, an e-mail) at the current stage of an open lead.</summary>
    /// <param name="at">When it was made; not earlier than <see cref="LastChangedAt"/>.</param>
    /// <returns>The new journey with the stage's attempt count (in this stay, see <see cref="Attempts"/>) one higher, or the rejection with every reason.</returns>
    public JourneyResult RecordAttempt(DateTimeOffset at) =>
        Change(MoveKind.Attempt, default, default, at, actor: null, note: null);

    /// <summary>
    /// Runs the built-in checks of a change without making it: the seam the rule engine uses to validate a proposed
    /// change exactly as the public moves do. Adds every violation, in the public moves' order, to
    /// <paramref name="violations"/>; allocates nothing when the change passes.
    /// </summary>
    /// <param name="kind">One of Move, Won, Lost, Reopen, Attempt.</param>
    /// <param name="stage">The target stage of a Move; ignored otherwise.</param>
    /// <param name="reason">The loss reason of a Lost; ignored otherwise.</param>
    /// <param name="at">When the change happens.</param>
    /// <param name="violations">Receives the violations.</param>
    /// <param name="lossReason">The resolved loss reason of a Lost, when known.</param>
    /// <returns>The stage the lead is in after the change, or <see langword="null"/> when a Move names an unknown stage.</returns>
    internal Stage? CheckChange(MoveKind kind, StageKey stage, LossReasonKey reason, DateTimeOffset at, ref ViolationList violations, out LossReason? lossReason)
    {
        lossReason = null;
        CheckTime(ref violations, at);
        switch (kind)
        {
            case MoveKind.Move:
                if (!Definition.TryGetStage(stage, out var target))
                {
                    violations.Add(new MoveViolation(
                        BuiltInChecks.UnknownStage,
                        $"Funnel '{Definition.Key}' has no stage '{stage}'.",
                        Data("stage", stage.Value)));
                    return null;
                }

                if (Status == JourneyStatus.Lost)
                {
                    violations.Add(new MoveViolation(
                        BuiltInChecks.JourneyOpen,
                        $"Journey '{Id}' was lost at '{CurrentStage.Key}'; reopen it before moving it.",
                        Data("status", nameof(JourneyStatus.Lost))));
                }
                else if (Status == JourneyStatus.Won && target.Order <= Definition.GoalStage.Order)
                {
                    violations.Add(new MoveViolation(
                        BuiltInChecks.JourneyOpen,
                        $"Journey '{Id}' is won; it may only move on to stages after the goal '{Definition.GoalStage.Key}', not to '{target.Key}'.",
                        Data("status", nameof(JourneyStatus.Won))));
                }

                if (!Definition.IsTransitionAllowed(CurrentStage.Order, target.Order))
                {
                    var transitionKind = FunnelDefinition.ClassifyTransition(CurrentStage, target);
                    violations.Add(new MoveViolation(
                        BuiltInChecks.TransitionAllowed,
                        $"Funnel '{Definition.Key}' does not allow the move '{CurrentStage.Key}' -> '{target.Key}' ({transitionKind}).",
                        Data("from", CurrentStage.Key.Value, "to", target.Key.Value, "kind", transitionKind.ToString())));
                }

                CheckRequiredAttributes(ref violations, target);
                return target;

            case MoveKind.Won:
                CheckOpen(ref violations);
                var goal = CurrentStage.Order < Definition.GoalStage.Order ? Definition.GoalStage : CurrentStage;
                if (goal != CurrentStage)
                {
                    CheckRequiredAttributes(ref violations, goal);
                }

                return goal;

            case MoveKind.Lost:
                CheckOpen(ref violations);
                if (!Definition.TryGetLossReason(reason, out lossReason))
                {
                    violations.Add(new MoveViolation(
                        BuiltInChecks.UnknownLossReason,
                        $"Funnel '{Definition.Key}' has no loss reason '{reason}'.",
                        Data("reason", reason.Value)));
                }

                return CurrentStage;

            case MoveKind.Reopen:
                if (Status == JourneyStatus.Open)
                {
                    violations.Add(new MoveViolation(
                        BuiltInChecks.JourneyClosed,
                        $"Journey '{Id}' is open; only a won or lost lead can be reopened.",
                        Data("status", nameof(JourneyStatus.Open))));
                }

                return CurrentStage;

            case MoveKind.Attempt:
                CheckOpen(ref violations);
                return CurrentStage;

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only Move, Won, Lost, Reopen and Attempt are checked changes.");
        }
    }

    /// <summary>
    /// Makes a change that <see cref="CheckChange"/> accepted (or that an audited bypass forced past rules), without
    /// checking again.
    /// </summary>
    /// <param name="kind">One of Move, Won, Lost, Reopen, Attempt.</param>
    /// <param name="target">The stage returned by <see cref="CheckChange"/>.</param>
    /// <param name="lossReason">The loss reason of a Lost.</param>
    /// <param name="at">When the change happens.</param>
    /// <param name="actor">Who made it.</param>
    /// <param name="note">A note.</param>
    /// <param name="bypass">The audit record of a forced change, or <see langword="null"/>.</param>
    /// <returns>The new journey.</returns>
    internal Journey ApplyChange(MoveKind kind, Stage target, LossReason? lossReason, DateTimeOffset at, string? actor, string? note, MoveOverride? bypass)
    {
        switch (kind)
        {
            case MoveKind.Move:
                var wins = Status == JourneyStatus.Open && target.Order >= Definition.GoalStage.Order;
                return With(
                    currentStage: target,
                    status: wins ? JourneyStatus.Won : Status,
                    lossReason: null,
                    enteredStageAt: at,
                    lastChangedAt: at,
                    closedAt: wins ? at : ClosedAt,
                    history: _history.Add(new JourneyTransition(MoveKind.Move, CurrentStage.Key, target.Key, at, actor, note, default, bypass)),
                    attempts: Attempts.Remove(target.Key));

            case MoveKind.Won:
                return With(
                    currentStage: target,
                    status: JourneyStatus.Won,
                    lossReason: null,
                    enteredStageAt: target == CurrentStage ? EnteredStageAt : at,
                    lastChangedAt: at,
                    closedAt: at,
                    history: _history.Add(new JourneyTransition(MoveKind.Won, CurrentStage.Key, target.Key, at, actor, note, default, bypass)),
                    attempts: target == CurrentStage ? Attempts : Attempts.Remove(target.Key));

            case MoveKind.Lost:
                return With(
                    currentStage: CurrentStage,
                    status: JourneyStatus.Lost,
                    lossReason: lossReason,
                    enteredStageAt: EnteredStageAt,
                    lastChangedAt: at,
                    closedAt: at,
                    history: _history.Add(new JourneyTransition(MoveKind.Lost, CurrentStage.Key, CurrentStage.Key, at, actor, note, lossReason!.Key, bypass)));

            case MoveKind.Reopen:
                return With(
                    currentStage: CurrentStage,
                    status: JourneyStatus.Open,
                    lossReason: null,
                    enteredStageAt: EnteredStageAt,
                    lastChangedAt: at,
                    closedAt: null,
                    history: _history.Add(new JourneyTransition(MoveKind.Reopen, CurrentStage.Key, CurrentStage.Key, at, actor, note, default, bypass)),
                    attempts: Attempts.Remove(CurrentStage.Key));

            case MoveKind.Attempt:
                return With(lastChangedAt: at, attempts: Attempts.SetItem(CurrentStage.Key, GetAttempts(CurrentStage.Key) + 1));

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only Move, Won, Lost, Reopen and Attempt are applied changes.");
        }
    }

    private JourneyResult Change(MoveKind kind, StageKey stage, LossReasonKey reason, DateTimeOffset at, string? actor, string? note)
    {
        var violations = default(ViolationList);
        var target = CheckChange(kind, stage, reason, at, ref violations, out var lossReason);
        if (!violations.IsEmpty)
        {
            return JourneyResult.Rejected(kind, this, violations.ToImmutable());
        }

        return JourneyResult.Accepted(kind, ApplyChange(kind, target!, lossReason, at, actor, note, bypass: null));
    }

    private static string[] MissingAttributes(Stage stage, ImmutableDictionary<string, string> attributes)
    {
        if (stage.RequiredAttributes.IsEmpty)
        {
            return [];
        }

        return [.. stage.RequiredAttributes.Where(name => !attributes.ContainsKey(name))];
    }

    private static ImmutableDictionary<string, string> Data(string key, string value) =>
        ImmutableDictionary.Create<string, string>(StringComparer.Ordinal).Add(key, value);

    private static ImmutableDictionary<string, string> Data(string key1, string value1, string key2, string value2, string key3, string value3) =>
        ImmutableDictionary.Create<string, string>(StringComparer.Ordinal).Add(key1, value1).Add(key2, value2).Add(key3, value3);

    private void CheckTime(ref ViolationList violations, DateTimeOffset at)
    {
        if (at < LastChangedAt)
        {
            violations.Add(new MoveViolation(
                BuiltInChecks.TimeOrder,
                string.Create(CultureInfo.InvariantCulture, $"The time {at:O} is earlier than the journey's last change at {LastChangedAt:O}."),
                Data("at", at.ToString("O", CultureInfo.InvariantCulture))));
        }
    }

    private void CheckOpen(ref ViolationList violations)
    {
        if (Status != JourneyStatus.Open)
        {
            violations.Add(new MoveViolation(
                BuiltInChecks.JourneyOpen,
                $"Journey '{Id}' is already {Status.ToString().ToLowerInvariant()}.",
                Data("status", Status.ToString())));
        }
    }

    private void CheckRequiredAttributes(ref ViolationList violations, Stage target)
    {
        var missing = MissingAttributes(target, Attributes);
        if (missing.Length > 0)
        {
            var names = string.Join(", ", missing);
            violations.Add(new MoveViolation(
                BuiltInChecks.RequiredAttributes,
                $"The stage '{target.Key}' requires the attributes {names}, which journey '{Id}' lacks.",
                Data("stage", target.Key.Value).Add("missing", names)));
        }
    }
}
