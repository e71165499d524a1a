namespace Funnel.Core;

/// <summary>
/// Why a lead left the funnel without being won, such as "slow response" or "price".
/// </summary>
/// <remarks>
/// Instances are immutable and thread-safe. Two loss reasons are equal when all their properties are equal.
/// <see cref="LossReasonCatalog"/> holds a standard catalog.
/// </remarks>
public sealed class LossReason : IEquatable<LossReason>
{
    /// <summary>Creates a loss reason.</summary>
    /// <param name="key">The key that identifies the reason within a definition.</param>
    /// <param name="displayName">The name shown to people; when <see langword="null"/> or blank, the key text.</param>
    /// <param name="category">The category the reason belongs to.</param>
    /// <param name="isRecoverable">Whether a lead lost for this reason can still be won back (retargeting, an abandoned-cart e-mail).</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is the <see langword="default"/> key.</exception>
    public LossReason(LossReasonKey key, string? displayName = null, LossCategory category = LossCategory.Other, bool isRecoverable = false)
    {
        Guard.Against.InvalidLossReasonKey(key, "The loss reason key must not be the default key.");
        Key = key;
        DisplayName = string.IsNullOrWhiteSpace(displayName) ? key.Value : displayName;
        Category = category;
        IsRecoverable = isRecoverable;
    }

    /// <summary>Gets the key that identifies the reason within a definition.</summary>
    public LossReasonKey Key { get; }

    /// <summary>Gets the name shown to people.</summary>
    public string DisplayName { get; }

    /// <summary>Gets the category the reason belongs to.</summary>
    public LossCategory Category { get; }

    /// <summary>Gets a value indicating whether a lead lost for this reason can still be won back.</summary>
    public bool IsRecoverable { get; }

    /// <inheritdoc />
    public bool Equals(LossReason? other) =>
        other is not null
        && Key == other.Key
        && string.Equals(DisplayName, other.DisplayName, StringComparison.Ordinal)
        && Category == other.Category
        && IsRecoverable == other.IsRecoverable;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LossReason);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Key, DisplayName, Category, IsRecoverable);

    /// <summary>Returns the key and the display name.</summary>
    /// <returns>A text such as <c>price (Price too high)</c>.</returns>
    public override string ToString() => $"{Key} ({DisplayName})";
}
