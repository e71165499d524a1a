namespace Funnel.Extensions.Hosting.Journeys;

/// <summary>What became of a change made through <see cref="FunnelJourneyWorkflow"/>.</summary>
public enum JourneyChangeOutcome
{
    /// <summary>The rules accepted the change; the journey, its history and its outbox messages were saved in one transaction.</summary>
    Saved = 0,

    /// <summary>The rules rejected the change (see <see cref="JourneyChange.Violations"/>); nothing was saved.</summary>
    Rejected = 1,

    /// <summary>The journey changed since the version the caller expected, or was changed concurrently; nothing was saved.</summary>
    VersionConflict = 2,

    /// <summary>No journey has that id; nothing was saved.</summary>
    NotFound = 3,

    /// <summary>A journey with that id exists already (when starting one); nothing was saved.</summary>
    AlreadyExists = 4,
}
