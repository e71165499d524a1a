namespace Funnel.Core;

/// <summary>
/// The ids of the checks that every move passes before any rule runs. They appear as
/// <see cref="MoveViolation.RuleId"/> when a move is rejected.
/// </summary>
public static class BuiltInChecks
{
    /// <summary>The target stage is not a stage of the definition.</summary>
    public const string UnknownStage = "funnel.unknown-stage";

    /// <summary>The definition does not allow the move between the two stages.</summary>
    public const string TransitionAllowed = "funnel.transition-allowed";

    /// <summary>The journey is closed (won or lost) and the move needs an open one; a won lead may only move on past the goal.</summary>
    public const string JourneyOpen = "funnel.journey-open";

    /// <summary>The loss reason is not in the definition's catalog.</summary>
    public const string UnknownLossReason = "funnel.unknown-loss-reason";

    /// <summary>The journey lacks attributes that the target stage requires.</summary>
    public const string RequiredAttributes = "funnel.required-attributes";

    /// <summary>The move's time is earlier than the journey's last change.</summary>
    public const string TimeOrder = "funnel.time-order";

    /// <summary>A reopening needs a won or lost journey.</summary>
    public const string JourneyClosed = "funnel.journey-closed";
}
