namespace Funnel.Core.Storage;

/// <summary>
/// The result of writing a journey to a <see cref="JourneyStore"/>: saved, or why not. Concurrency conflicts are
/// expected outcomes under optimistic concurrency and are reported here, not thrown.
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class JourneySaveResult
{
    private JourneySaveResult(SaveOutcome outcome, string journeyId, long expectedVersion, long? storedVersion)
    {
        Outcome = outcome;
        JourneyId = journeyId;
        ExpectedVersion = expectedVersion;
        StoredVersion = storedVersion;
    }

    /// <summary>Gets what happened.</summary>
    public SaveOutcome Outcome { get; }

    /// <summary>Gets a value indicating whether the write was committed.</summary>
    public bool Succeeded => Outcome == SaveOutcome.Saved;

    /// <summary>Gets the id of the journey that was written.</summary>
    public string JourneyId { get; }

    /// <summary>Gets the version the writer expected to find stored (-1 for an insert).</summary>
    public long ExpectedVersion { get; }

    /// <summary>
    /// Gets the version stored after the call: the new version when saved, the other writer's version on a
    /// conflict or for an existing id, <see langword="null"/> when the journey is not stored.
    /// </summary>
    public long? StoredVersion { get; }

    /// <summary>Creates a result for a committed write.</summary>
    /// <param name="journeyId">The journey id.</param>
    /// <param name="expectedVersion">The version expected before the write (-1 for an insert).</param>
    /// <param name="newVersion">The version stored now.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException"><paramref name="journeyId"/> is blank.</exception>
    public static JourneySaveResult Saved(string journeyId, long expectedVersion, long newVersion)
    {
        Guard.Against.NullOrBlank(journeyId);
        return new JourneySaveResult(SaveOutcome.Saved, journeyId, expectedVersion, newVersion);
    }

    /// <summary>Creates a result for a write that was not committed.</summary>
    /// <param name="outcome">Why: <see cref="SaveOutcome.VersionConflict"/>, <see cref="SaveOutcome.NotFound"/> or <see cref="SaveOutcome.AlreadyExists"/>.</param>
    /// <param name="journeyId">The journey id.</param>
    /// <param name="expectedVersion">The version expected before the write (-1 for an insert).</param>
    /// <param name="storedVersion">The version found stored, or <see langword="null"/> when none.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException"><paramref name="journeyId"/> is blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outcome"/> is <see cref="SaveOutcome.Saved"/> or undefined.</exception>
    public static JourneySaveResult NotSaved(SaveOutcome outcome, string journeyId, long expectedVersion, long? storedVersion)
    {
        Guard.Against.NullOrBlank(journeyId);
        if (outcome is SaveOutcome.Saved || !Enum.IsDefined(outcome))
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "A failed write needs a failure outcome.");
        }

        return new JourneySaveResult(outcome, journeyId, expectedVersion, storedVersion);
    }

    /// <summary>Returns the outcome as text.</summary>
    /// <returns>A text such as <c>lead-1: VersionConflict (expected 3, stored 4)</c>.</returns>
    public override string ToString() =>
        $"{JourneyId}: {Outcome} (expected {ExpectedVersion}, stored {(StoredVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")})";
}
