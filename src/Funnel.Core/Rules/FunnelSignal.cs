using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>
/// Something automations react to: a stage entered or left, a win, a loss, a reopening, an attempt (the engine raises
/// these after an accepted change), a sweep for idle leads, or an external named event with a payload.
/// </summary>
/// <remarks>The <see langword="default"/> value has kind <see cref="SignalKinds.None"/> and is rejected by the engine. This type is an immutable value and is thread-safe.</remarks>
public readonly struct FunnelSignal
{
    private FunnelSignal(SignalKinds kind, DateTimeOffset at, StageKey stage, string? name, ImmutableDictionary<string, string>? payload, DateTimeOffset? previousSweep = null)
    {
        Kind = kind;
        At = at;
        Stage = stage;
        Name = name;
        Payload = payload;
        PreviousSweep = previousSweep;
    }

    /// <summary>Gets the kind of signal (a single flag).</summary>
    public SignalKinds Kind { get; }

    /// <summary>Gets when it happened (for <see cref="SignalKinds.Idle"/>, the time the sweep measures idleness at).</summary>
    public DateTimeOffset At { get; }

    /// <summary>Gets the stage entered, left, won or lost at, or the stage of the attempt; the default key for idle and external signals.</summary>
    public StageKey Stage { get; }

    /// <summary>Gets the name of an external signal, such as <c>email.opened</c>; <see langword="null"/> otherwise.</summary>
    public string? Name { get; }

    /// <summary>Gets the payload of an external signal, or <see langword="null"/>.</summary>
    public ImmutableDictionary<string, string>? Payload { get; }

    /// <summary>
    /// Gets, for a <see cref="SignalKinds.Idle"/> sweep, when the previous sweep of the same lead ran, so that a rule can
    /// act once when a limit is crossed instead of on every sweep; <see langword="null"/> when unknown and for other kinds.
    /// </summary>
    public DateTimeOffset? PreviousSweep { get; }

    /// <summary>Creates an external named signal.</summary>
    /// <param name="name">The name, such as <c>email.opened</c>; not blank.</param>
    /// <param name="at">When it happened.</param>
    /// <param name="payload">Details, or <see langword="null"/>.</param>
    /// <returns>The signal.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or blank.</exception>
    public static FunnelSignal External(string name, DateTimeOffset at, ImmutableDictionary<string, string>? payload = null)
    {
        Guard.Against.NullOrBlank(name);
        return new(SignalKinds.External, at, default, name, payload);
    }

    /// <summary>Creates a sweep signal: automations check whether the lead is idle past a limit as of <paramref name="asOf"/>.</summary>
    /// <param name="asOf">The time to measure idleness at (a scheduler's now, or a batch job's cut-off).</param>
    /// <returns>The signal.</returns>
    public static FunnelSignal Idle(DateTimeOffset asOf) => new(SignalKinds.Idle, asOf, default, null, null);

    /// <summary>
    /// Creates a sweep signal that also says when the previous sweep ran: a reminder whose limit was already crossed at
    /// that sweep (and so was sent then) is not sent again. A scheduler that sweeps every night passes last night's time.
    /// </summary>
    /// <param name="asOf">The time to measure idleness at.</param>
    /// <param name="previousSweep">When the previous sweep ran; not after <paramref name="asOf"/>.</param>
    /// <returns>The signal.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="previousSweep"/> is after <paramref name="asOf"/>.</exception>
    public static FunnelSignal Idle(DateTimeOffset asOf, DateTimeOffset previousSweep)
    {
        if (previousSweep > asOf)
        {
            throw new ArgumentOutOfRangeException(nameof(previousSweep), previousSweep, $"The previous sweep cannot come after this one ({asOf:O}).");
        }

        return new(SignalKinds.Idle, asOf, default, null, null, previousSweep);
    }

    /// <summary>Creates a signal the engine raises after an accepted change (entered, left, won, lost, reopened, attempt).</summary>
    /// <param name="kind">A single kind other than Idle and External.</param>
    /// <param name="stage">The stage concerned.</param>
    /// <param name="at">When it happened.</param>
    /// <returns>The signal.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a single change kind.</exception>
    public static FunnelSignal Change(SignalKinds kind, StageKey stage, DateTimeOffset at)
    {
        if (kind is not (SignalKinds.StageEntered or SignalKinds.StageLeft or SignalKinds.AttemptRecorded or SignalKinds.Won or SignalKinds.Lost or SignalKinds.Reopened))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "A change signal is one of StageEntered, StageLeft, AttemptRecorded, Won, Lost, Reopened.");
        }

        return new(kind, at, stage, null, null);
    }

    /// <summary>Returns the signal as text.</summary>
    /// <returns>A text such as <c>External email.opened</c>.</returns>
    public override string ToString() => Kind == SignalKinds.External ? $"External {Name}" : Stage.IsDefault ? Kind.ToString() : $"{Kind} {Stage}";
}
