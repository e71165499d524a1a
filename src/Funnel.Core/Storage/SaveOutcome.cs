namespace Funnel.Core.Storage;

/// <summary>What happened when a journey was written to a <see cref="JourneyStore"/>.</summary>
public enum SaveOutcome
{
    /// <summary>The journey, its new history entries and its outbox messages were committed together. The <see langword="default"/>.</summary>
    Saved = 0,

    /// <summary>
    /// Another writer changed the journey first: the stored version is not the expected one. Nothing was written;
    /// load the journey again, re-apply the change and retry.
    /// </summary>
    VersionConflict = 1,

    /// <summary>An update named a journey that is not stored. Nothing was written.</summary>
    NotFound = 2,

    /// <summary>An insert named a journey id that is already stored. Nothing was written.</summary>
    AlreadyExists = 3,
}
