using System.Diagnostics;

namespace Funnel.Core;

/// <summary>
/// Identifies a <see cref="LossReason"/> within a <see cref="FunnelDefinition"/>, such as <c>"slow-response"</c>.
/// Keys compare ordinally and case-sensitively.
/// </summary>
/// <remarks>
/// <para>The <see langword="default"/> value carries no text (<see cref="IsDefault"/> is <see langword="true"/>,
/// <see cref="Value"/> is empty) and names no loss reason; every constructed key has non-blank text.</para>
/// <para>This type is an immutable value and is thread-safe.</para>
/// </remarks>
[DebuggerDisplay("{Value,nq}")]
public readonly struct LossReasonKey : IEquatable<LossReasonKey>, IComparable<LossReasonKey>
{
    private readonly string? _value;

    /// <summary>Creates a key from its text.</summary>
    /// <param name="value">The key text; not blank.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty or white space.</exception>
    public LossReasonKey(string value)
    {
        Guard.Against.NullOrBlank(value);
        _value = value;
    }

    /// <summary>Gets the key text, or an empty string for the <see langword="default"/> key.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Gets a value indicating whether this is the <see langword="default"/> key, which names no loss reason.</summary>
    public bool IsDefault => _value is null;

    /// <summary>Creates a key from its text; the same as the constructor.</summary>
    /// <param name="value">The key text; not blank.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null, empty or white space.</exception>
    public static LossReasonKey FromString(string value) => new(value);

    /// <summary>Converts text to a key, so that <c>journey.MarkLost("price", at)</c> reads naturally.</summary>
    /// <param name="value">The key text; not blank.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null, empty or white space.</exception>
    public static implicit operator LossReasonKey(string value) => new(value);

    /// <summary>Compares two keys for equality (ordinal).</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns><see langword="true"/> when both keys have the same text.</returns>
    public static bool operator ==(LossReasonKey left, LossReasonKey right) => left.Equals(right);

    /// <summary>Compares two keys for inequality (ordinal).</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns><see langword="true"/> when the keys differ.</returns>
    public static bool operator !=(LossReasonKey left, LossReasonKey right) => !left.Equals(right);

    /// <summary>Orders keys ordinally.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts before <paramref name="right"/>.</returns>
    public static bool operator <(LossReasonKey left, LossReasonKey right) => left.CompareTo(right) < 0;

    /// <summary>Orders keys ordinally.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts after <paramref name="right"/>.</returns>
    public static bool operator >(LossReasonKey left, LossReasonKey right) => left.CompareTo(right) > 0;

    /// <summary>Orders keys ordinally.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns><see langword="true"/> unless <paramref name="left"/> sorts after <paramref name="right"/>.</returns>
    public static bool operator <=(LossReasonKey left, LossReasonKey right) => left.CompareTo(right) <= 0;

    /// <summary>Orders keys ordinally.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns><see langword="true"/> unless <paramref name="left"/> sorts before <paramref name="right"/>.</returns>
    public static bool operator >=(LossReasonKey left, LossReasonKey right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public bool Equals(LossReasonKey other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is LossReasonKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <inheritdoc />
    public int CompareTo(LossReasonKey other) => string.CompareOrdinal(_value, other._value);

    /// <summary>Returns the key text.</summary>
    /// <returns>The key text, or an empty string for the <see langword="default"/> key.</returns>
    public override string ToString() => Value;
}
