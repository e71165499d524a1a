namespace Funnel.Core.Rules;

/// <summary>
/// The kinds of signal automations react to. A <see cref="FunnelSignal"/> has exactly one kind; an automation
/// subscribes to a combination.
/// </summary>
[Flags]
public enum SignalKinds
{
    /// <summary>No signal.</summary>
    None = 0,

    /// <summary>The lead entered a stage (a move, a re-entry, or a win that moved it to the goal stage).</summary>
    StageEntered = 1,

    /// <summary>The lead left a stage.</summary>
    StageLeft = 2,

    /// <summary>A sweeper asks whether the lead has been idle too long, as of a given time.</summary>
    Idle = 4,

    /// <summary>An attempt (a call, an e-mail) was recorded.</summary>
    AttemptRecorded = 8,

    /// <summary>A named event from outside, with a payload, such as <c>email.opened</c> or <c>invoice.paid</c>.</summary>
    External = 16,

    /// <summary>The lead was marked won (or won by reaching the goal stage).</summary>
    Won = 32,

    /// <summary>The lead was marked lost.</summary>
    Lost = 64,

    /// <summary>A won or lost lead was reopened.</summary>
    Reopened = 128,

    /// <summary>Every kind.</summary>
    All = StageEntered | StageLeft | Idle | AttemptRecorded | External | Won | Lost | Reopened,
}
