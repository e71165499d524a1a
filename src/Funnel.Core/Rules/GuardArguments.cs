namespace Funnel.Core.Rules;

/// <summary>
/// What a guard sees of a proposed change: the journey before it, the kind of change, the stages it leaves and
/// enters, when, by whom, and the loss reason of a loss. A <see langword="readonly struct"/> so that new fields are
/// not breaking changes.
/// </summary>
/// <remarks>
/// The <see langword="default"/> value has no journey and is never passed to a guard. This type is an immutable value
/// and is thread-safe.
/// </remarks>
public readonly struct GuardArguments
{
    /// <summary>Creates the arguments (the engine does this; tests of custom guards may too).</summary>
    /// <param name="journey">The journey before the change.</param>
    /// <param name="kind">The kind of change: Move, Won, Lost, Reopen or Attempt.</param>
    /// <param name="to">The stage the lead is in after the change (for Lost, Reopen and Attempt the current stage).</param>
    /// <param name="at">When the change happens.</param>
    /// <param name="actor">Who asks for it, or <see langword="null"/>.</param>
    /// <param name="note">The note (for a loss, the comment), or <see langword="null"/>.</param>
    /// <param name="lossReason">The loss reason of a Lost, or <see langword="null"/>.</param>
    /// <param name="ruleId">The id the guard is registered under.</param>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/>, <paramref name="to"/> or <paramref name="ruleId"/> is <see langword="null"/>.</exception>
    public GuardArguments(Journey journey, MoveKind kind, Stage to, DateTimeOffset at, string? actor, string? note, LossReason? lossReason, string ruleId)
    {
        Guard.Against.Null(journey);
        Guard.Against.Null(to);
        Guard.Against.Null(ruleId);
        Journey = journey;
        Kind = kind;
        To = to;
        At = at;
        Actor = actor;
        Note = note;
        LossReason = lossReason;
        RuleId = ruleId;
    }

    /// <summary>Gets the journey before the change.</summary>
    public Journey Journey { get; }

    /// <summary>Gets the definition the journey follows.</summary>
    public FunnelDefinition Definition => Journey.Definition;

    /// <summary>Gets the lead's attributes before the change (the same as <c>Journey.Attributes</c>).</summary>
    public System.Collections.Immutable.ImmutableDictionary<string, string> Attributes => Journey.Attributes;

    /// <summary>Gets the kind of change.</summary>
    public MoveKind Kind { get; }

    /// <summary>Gets the stage the lead is in before the change.</summary>
    public Stage From => Journey.CurrentStage;

    /// <summary>Gets the stage the lead is in after the change; the current stage for Lost, Reopen and Attempt.</summary>
    public Stage To { get; }

    /// <summary>Gets a value indicating whether the change enters a stage: a Move (a re-entry too), or a win that moves to the goal stage.</summary>
    public bool EntersStage => Kind == MoveKind.Move || (Kind == MoveKind.Won && To.Order != From.Order);

    /// <summary>Gets when the change happens.</summary>
    public DateTimeOffset At { get; }

    /// <summary>Gets who asks for the change, or <see langword="null"/>.</summary>
    public string? Actor { get; }

    /// <summary>Gets the note (for a loss, the comment), or <see langword="null"/>.</summary>
    public string? Note { get; }

    /// <summary>Gets the loss reason of a Lost (resolved from the catalog), or <see langword="null"/>.</summary>
    public LossReason? LossReason { get; }

    /// <summary>Gets the id the guard is registered under.</summary>
    public string RuleId { get; }
}
