using System.Collections.Immutable;

namespace Funnel.Core;

/// <summary>
/// One lead's way through a funnel: its current stage, status (open, won, lost), history, attributes and attempt
/// counts. Every change is a pure method that returns a <see cref="JourneyResult"/>: either a new journey, or
/// the unchanged one with every reason the change was rejected.
/// </summary>
/// <remarks>
/// <para>Instances are immutable and thread-safe; a journey may be read from many threads while new journeys are
/// derived from it.</para>
/// <para>Every move passes the built-in checks (<see cref="BuiltInChecks"/>): the stage and loss reason exist, the
/// definition allows the move, the lead is open (a won lead may still move on past the goal stage), the target
/// stage's required attributes are present, and time does not go back.</para>
/// </remarks>
/// <example>
/// <code>
/// var journey = Journey.Start(FunnelTemplates.Aida, "lead-1", at);
/// var moved = journey.MoveTo("interest", at.AddHours(1));
/// if (!moved.Succeeded) { foreach (var v in moved.Violations) Console.WriteLine(v); }
/// </code>
/// </example>
public sealed partial class Journey : IEquatable<Journey>
{
    private static readonly ImmutableDictionary<string, string> EmptyAttributes = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);

    private readonly HistoryLog _history;

    // The public view of _history, made on first use (a benign race: every thread makes an equal array).
    private ImmutableArray<JourneyTransition> _historyView;

    private Journey(
        string id,
        FunnelDefinition definition,
        Stage currentStage,
        JourneyStatus status,
        LossReason? lossReason,
        DateTimeOffset startedAt,
        DateTimeOffset enteredStageAt,
        DateTimeOffset lastChangedAt,
        DateTimeOffset? closedAt,
        HistoryLog history,
        ImmutableDictionary<string, string> attributes,
        ImmutableDictionary<StageKey, int> attempts,
        long version)
    {
        Id = id;
        Definition = definition;
        CurrentStage = currentStage;
        Status = status;
        LossReason = lossReason;
        StartedAt = startedAt;
        EnteredStageAt = enteredStageAt;
        LastChangedAt = lastChangedAt;
        ClosedAt = closedAt;
        _history = history;
        Attributes = attributes;
        Attempts = attempts;
        Version = version;
    }

    /// <summary>Gets the id of the lead (deal, customer).</summary>
    public string Id { get; }

    /// <summary>Gets the definition the journey follows.</summary>
    public FunnelDefinition Definition { get; }

    /// <summary>Gets the stage the lead is in; for a lost lead, the stage it was lost at.</summary>
    public Stage CurrentStage { get; }

    /// <summary>Gets whether the lead is open, won or lost.</summary>
    public JourneyStatus Status { get; }

    /// <summary>Gets a value indicating whether the lead is won or lost.</summary>
    public bool IsClosed => Status != JourneyStatus.Open;

    /// <summary>Gets the reason the lead was lost, or <see langword="null"/> unless <see cref="Status"/> is <see cref="JourneyStatus.Lost"/>.</summary>
    public LossReason? LossReason { get; }

    /// <summary>Gets the stage the lead was lost at, or <see langword="null"/> unless <see cref="Status"/> is <see cref="JourneyStatus.Lost"/>.</summary>
    public Stage? LostAtStage => Status == JourneyStatus.Lost ? CurrentStage : null;

    /// <summary>Gets when the journey started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Gets when the lead entered its current stage.</summary>
    public DateTimeOffset EnteredStageAt { get; }

    /// <summary>Gets the time of the latest timed change (move, win, loss, reopening, attempt); later changes may not be earlier.</summary>
    public DateTimeOffset LastChangedAt { get; }

    /// <summary>Gets when the lead was won or lost, or <see langword="null"/> while it is open.</summary>
    public DateTimeOffset? ClosedAt { get; }

    /// <summary>Gets every start, move, win, loss and reopening, oldest first. Never empty: the first entry is the start.</summary>
    /// <remarks>
    /// Journeys share their history: a move appends to it in amortised constant time instead of copying it, so a
    /// journey of n moves costs O(n) to build, not O(n²). This array is made on first use, in O(n), and kept.
    /// </remarks>
    public ImmutableArray<JourneyTransition> History
    {
        get
        {
            var view = _historyView;
            if (view.IsDefault)
            {
                view = _history.ToImmutableArray();
                _historyView = view;
            }

            return view;
        }
    }

    /// <summary>Gets the history without making the <see cref="History"/> array: for rules that scan it on every check.</summary>
    internal ReadOnlySpan<JourneyTransition> HistorySpan => _history.AsSpan();

    /// <summary>Gets the lead's attributes (amount, source, owner, ...), compared by ordinal name.</summary>
    public ImmutableDictionary<string, string> Attributes { get; }

    /// <summary>
    /// Gets the number of attempts (calls, e-mails) recorded per stage during the lead's latest stay there; stages
    /// without attempts are absent. Counts are per stay: entering a stage (a move, a re-entry, a win that moves to the
    /// goal) starts its count again from zero, and so does reopening the lead, for the stage it is reopened at.
    /// </summary>
    public ImmutableDictionary<StageKey, int> Attempts { get; }

    /// <summary>Gets the number of accepted changes since the start (0 for a new journey); storage uses it for optimistic concurrency.</summary>
    public long Version { get; }

    /// <summary>Starts a journey at the definition's first stage.</summary>
    /// <param name="definition">The definition to follow.</param>
    /// <param name="id">The lead's id; not blank.</param>
    /// <param name="at">When the lead entered the funnel.</param>
    /// <param name="actor">Who started it, or <see langword="null"/>.</param>
    /// <param name="attributes">Initial attributes; optional.</param>
    /// <returns>The new journey, open at the first stage (won at once if the first stage is the goal).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is blank, or the first stage requires attributes that are not given.</exception>
    public static Journey Start(
        FunnelDefinition definition,
        string id,
        DateTimeOffset at,
        string? actor = null,
        IEnumerable<KeyValuePair<string, string>>? attributes = null)
    {
        Guard.Against.Null(definition);
        Guard.Against.NullOrBlank(id);
        var attributeMap = attributes is null ? EmptyAttributes : EmptyAttributes.SetItems(attributes);
        var first = definition.FirstStage;
        var missing = MissingAttributes(first, attributeMap);
        if (missing.Length > 0)
        {
            throw new ArgumentException(
                $"The first stage '{first.Key}' of funnel '{definition.Key}' requires the attributes {string.Join(", ", missing)}.",
                nameof(attributes));
        }

        var won = first.Order == definition.GoalStage.Order;
        return new Journey(
            id,
            definition,
            first,
            won ? JourneyStatus.Won : JourneyStatus.Open,
            lossReason: null,
            startedAt: at,
            enteredStageAt: at,
            lastChangedAt: at,
            closedAt: won ? at : null,
            HistoryLog.Of(new JourneyTransition(MoveKind.Start, default, first.Key, at, actor)),
            attributeMap,
            ImmutableDictionary<StageKey, int>.Empty,
            version: 0);
    }

    /// <summary>Gets how long the lead has been in its current stage at a given time.</summary>
    /// <param name="asOf">The time to measure at.</param>
    /// <returns>The time since <see cref="EnteredStageAt"/>; zero when <paramref name="asOf"/> is earlier.</returns>
    public TimeSpan TimeInStage(DateTimeOffset asOf) => asOf > EnteredStageAt ? asOf - EnteredStageAt : TimeSpan.Zero;

    /// <inheritdoc />
    public bool Equals(Journey? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (string.Equals(Id, other.Id, StringComparison.Ordinal)
                && Version == other.Version
                && Status == other.Status
                && CurrentStage.Key == other.CurrentStage.Key
                && Equals(LossReason, other.LossReason)
                && StartedAt == other.StartedAt
                && EnteredStageAt == other.EnteredStageAt
                && LastChangedAt == other.LastChangedAt
                && ClosedAt == other.ClosedAt
                && _history.AsSpan().SequenceEqual(other._history.AsSpan())
                && SameEntries(Attributes, other.Attributes)
                && SameEntries(Attempts, other.Attempts)
                && Definition.Equals(other.Definition)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Journey);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Version, Status, CurrentStage.Key);

    /// <summary>Returns the id, the stage and the status.</summary>
    /// <returns>A text such as <c>lead-1 at interest (Open)</c>.</returns>
    public override string ToString() => $"{Id} at {CurrentStage.Key} ({Status})";

    /// <summary>
    /// Restores a journey from stored state, without re-running any check. For storage and serialization adapters;
    /// the history must be consistent with the other values.
    /// </summary>
    /// <param name="definition">The definition the journey follows.</param>
    /// <param name="id">The lead's id.</param>
    /// <param name="currentStage">The current stage key.</param>
    /// <param name="status">The status.</param>
    /// <param name="lossReason">The loss reason key when lost; otherwise the default key.</param>
    /// <param name="enteredStageAt">When the lead entered its current stage.</param>
    /// <param name="lastChangedAt">The time of the latest timed change.</param>
    /// <param name="closedAt">When it was closed, or <see langword="null"/>.</param>
    /// <param name="history">The history, oldest first; starts with a <see cref="MoveKind.Start"/> entry.</param>
    /// <param name="attributes">The attributes.</param>
    /// <param name="attempts">The attempt counts per stage.</param>
    /// <param name="version">The number of accepted changes.</param>
    /// <returns>The journey.</returns>
    /// <exception cref="ArgumentException">A key is unknown to the definition, or the values contradict each other.</exception>
    public static Journey Restore(
        FunnelDefinition definition,
        string id,
        StageKey currentStage,
        JourneyStatus status,
        LossReasonKey lossReason,
        DateTimeOffset enteredStageAt,
        DateTimeOffset lastChangedAt,
        DateTimeOffset? closedAt,
        ImmutableArray<JourneyTransition> history,
        IEnumerable<KeyValuePair<string, string>> attributes,
        IEnumerable<KeyValuePair<StageKey, int>> attempts,
        long version)
    {
        Guard.Against.Null(definition);
        Guard.Against.NullOrBlank(id);
        Guard.Against.Null(attributes);
        Guard.Against.Null(attempts);
        Guard.Against.NegativeNumber(version);
        if (history.IsDefaultOrEmpty || history[0].Kind != MoveKind.Start)
        {
            throw new ArgumentException("The history must start with a Start entry.", nameof(history));
        }

        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown journey status.");
        }

        var stage = definition.GetStage(currentStage);
        LossReason? reason = null;
        if (status == JourneyStatus.Lost)
        {
            reason = definition.GetLossReason(lossReason);
        }
        else if (!lossReason.IsDefault)
        {
            throw new ArgumentException("Only a lost journey has a loss reason.", nameof(lossReason));
        }

        if ((status == JourneyStatus.Open) != (closedAt is null))
        {
            throw new ArgumentException("A closed journey needs a closing time, and an open one has none.", nameof(closedAt));
        }

        var attemptMap = ImmutableDictionary.CreateRange(attempts);
        foreach (var key in attemptMap.Keys)
        {
            definition.GetStage(key);
        }

        return new Journey(
            id,
            definition,
            stage,
            status,
            reason,
            history[0].At,
            enteredStageAt,
            lastChangedAt,
            closedAt,
            HistoryLog.From(history),
            EmptyAttributes.SetItems(attributes),
            attemptMap,
            version);
    }

    private static bool SameEntries<TKey, TValue>(ImmutableDictionary<TKey, TValue> left, ImmutableDictionary<TKey, TValue> right)
        where TKey : notnull =>
        left.Count == right.Count
        && left.All(pair => right.TryGetValue(pair.Key, out var value) && EqualityComparer<TValue>.Default.Equals(pair.Value, value));

    private Journey With(
        Stage? currentStage = null,
        JourneyStatus? status = null,
        LossReason? lossReason = null,
        DateTimeOffset? enteredStageAt = null,
        DateTimeOffset? lastChangedAt = null,
        DateTimeOffset? closedAt = null,
        HistoryLog? history = null,
        ImmutableDictionary<string, string>? attributes = null,
        ImmutableDictionary<StageKey, int>? attempts = null)
    {
        var newStatus = status ?? Status;
        return new Journey(
            Id,
            Definition,
            currentStage ?? CurrentStage,
            newStatus,
            newStatus == JourneyStatus.Lost ? lossReason ?? LossReason : null,
            StartedAt,
            enteredStageAt ?? EnteredStageAt,
            lastChangedAt ?? LastChangedAt,
            newStatus == JourneyStatus.Open ? null : closedAt ?? ClosedAt,
            history ?? _history,
            attributes ?? Attributes,
            attempts ?? Attempts,
            Version + 1);
    }
}
