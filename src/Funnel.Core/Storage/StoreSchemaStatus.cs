namespace Funnel.Core.Storage;

/// <summary>The schema version a database is at, and the version the store package knows (its latest migration).</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class StoreSchemaStatus
{
    /// <summary>Creates a status; used by store adapters.</summary>
    /// <param name="currentVersion">The database's version; 0 when the schema was never created.</param>
    /// <param name="latestVersion">The store package's latest version.</param>
    /// <exception cref="ArgumentOutOfRangeException">A version is negative.</exception>
    public StoreSchemaStatus(int currentVersion, int latestVersion)
    {
        Guard.Against.NegativeNumber(currentVersion);
        Guard.Against.NegativeNumber(latestVersion);
        CurrentVersion = currentVersion;
        LatestVersion = latestVersion;
    }

    /// <summary>Gets the database's schema version; 0 when the schema was never created.</summary>
    public int CurrentVersion { get; }

    /// <summary>Gets the latest schema version the store package knows.</summary>
    public int LatestVersion { get; }

    /// <summary>Gets a value indicating whether the database is at the latest version.</summary>
    public bool IsCurrent => CurrentVersion == LatestVersion;

    /// <summary>Returns both versions.</summary>
    /// <returns>A text such as <c>schema version 2 of 3</c>.</returns>
    public override string ToString() => $"schema version {CurrentVersion} of {LatestVersion}";
}
