using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>
/// What a guard decided about a proposed change: allow it, or deny it with a message and machine-readable data.
/// The engine turns a denial into a <see cref="MoveViolation"/> carrying the guard's rule id.
/// </summary>
/// <remarks>
/// The <see langword="default"/> value is <see cref="Allow"/>. Allowing allocates nothing. This type is an immutable
/// value and is thread-safe.
/// </remarks>
public readonly struct GuardVerdict : IEquatable<GuardVerdict>
{
    private GuardVerdict(string message, ImmutableDictionary<string, string>? data)
    {
        Message = message;
        Data = data;
    }

    /// <summary>Gets the verdict that allows the change (the <see langword="default"/> value).</summary>
    public static GuardVerdict Allow => default;

    /// <summary>Gets a value indicating whether the change is allowed.</summary>
    public bool IsAllowed => Message is null;

    /// <summary>Gets why the change is denied, for people; <see langword="null"/> when allowed.</summary>
    public string? Message { get; }

    /// <summary>Gets machine-readable details of a denial, or <see langword="null"/>.</summary>
    public ImmutableDictionary<string, string>? Data { get; }

    /// <summary>Denies the change.</summary>
    /// <param name="message">Why, for people; not blank.</param>
    /// <param name="data">Machine-readable details (stage keys, missing names, limits); optional.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentException"><paramref name="message"/> is null or blank.</exception>
    public static GuardVerdict Deny(string message, ImmutableDictionary<string, string>? data = null)
    {
        Guard.Against.NullOrBlank(message);
        return new GuardVerdict(message, data);
    }

    /// <summary>Compares two verdicts.</summary>
    /// <param name="left">The first verdict.</param>
    /// <param name="right">The second verdict.</param>
    /// <returns><see langword="true"/> when both allow, or both deny with the same message and data reference.</returns>
    public static bool operator ==(GuardVerdict left, GuardVerdict right) => left.Equals(right);

    /// <summary>Compares two verdicts.</summary>
    /// <param name="left">The first verdict.</param>
    /// <param name="right">The second verdict.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(GuardVerdict left, GuardVerdict right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(GuardVerdict other) => string.Equals(Message, other.Message, StringComparison.Ordinal) && ReferenceEquals(Data, other.Data);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GuardVerdict other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Message is null ? 0 : StringComparer.Ordinal.GetHashCode(Message);

    /// <summary>Returns "allow" or the denial message.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Message is null ? "allow" : "deny: " + Message;
}
