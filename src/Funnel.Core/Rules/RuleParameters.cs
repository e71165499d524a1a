using System.Collections.Immutable;
using System.Globalization;
using System.Xml;

namespace Funnel.Core.Rules;

/// <summary>
/// Typed access to the parameters of a <see cref="RuleDescriptor"/>, for rule factories. Every getter reports a
/// missing or malformed value with a <see cref="RuleConfigurationException"/> naming the rule type, the parameter and
/// the value; after the factory has run, parameters it never asked for are reported as unknown, with the known names.
/// </summary>
/// <remarks>
/// <para>Formats (culture-invariant): integers; <c>true</c>/<c>false</c>; durations as <c>d.hh:mm:ss</c> (such as
/// <c>3.00:00:00</c>) or ISO 8601 (such as <c>P3D</c>, <c>PT4H</c>); lists comma-separated; stage pairs as
/// <c>from-&gt;to</c>. Per-stage values use one parameter per stage with a prefix, such as <c>limit.deciding</c>.</para>
/// <para>An instance serves one factory call on one thread; it is not thread-safe.</para>
/// </remarks>
public sealed class RuleParameters
{
    private readonly ImmutableDictionary<string, string> _values;
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);
    private readonly List<string> _prefixes = [];

    internal RuleParameters(string typeName, ImmutableDictionary<string, string> values)
    {
        TypeName = typeName;
        _values = values;
    }

    /// <summary>Gets the rule type name being created.</summary>
    public string TypeName { get; }

    /// <summary>Gets a text parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <returns>The value.</returns>
    public string GetString(string name, string defaultValue) => TryGet(name, out var value) ? value : defaultValue;

    /// <summary>Gets an optional text parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns>The value, or <see langword="null"/> when absent.</returns>
    public string? GetOptionalString(string name) => TryGet(name, out var value) ? value : null;

    /// <summary>Gets a required text parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="RuleConfigurationException">The parameter is absent or blank.</exception>
    public string GetRequiredString(string name)
    {
        if (!TryGet(name, out var value) || string.IsNullOrWhiteSpace(value))
        {
            throw Problem(name, null, "is required");
        }

        return value;
    }

    /// <summary>Gets an integer parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <returns>The value.</returns>
    /// <exception cref="RuleConfigurationException">The value is not an integer.</exception>
    public int GetInt32(string name, int defaultValue)
    {
        if (!TryGet(name, out var text))
        {
            return defaultValue;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw Problem(name, text, "is not an integer");
    }

    /// <summary>Gets a Boolean parameter (<c>true</c> or <c>false</c>).</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <returns>The value.</returns>
    /// <exception cref="RuleConfigurationException">The value is neither <c>true</c> nor <c>false</c>.</exception>
    public bool GetBoolean(string name, bool defaultValue)
    {
        if (!TryGet(name, out var text))
        {
            return defaultValue;
        }

        return bool.TryParse(text, out var value) ? value : throw Problem(name, text, "is not true or false");
    }

    /// <summary>Gets a duration parameter (<c>d.hh:mm:ss</c> or ISO 8601 such as <c>P3D</c>).</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <returns>The value.</returns>
    /// <exception cref="RuleConfigurationException">The value is not a duration.</exception>
    public TimeSpan GetTimeSpan(string name, TimeSpan defaultValue) => TryGet(name, out var text) ? ParseTimeSpan(name, text) : defaultValue;

    /// <summary>Gets a comma-separated list parameter; blank items are dropped, items are trimmed.</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns>The items; empty when absent.</returns>
    public ImmutableArray<string> GetList(string name) => TryGet(name, out var text) ? SplitList(text) : [];

    /// <summary>Gets a list of stage pairs written <c>from-&gt;to</c>, comma-separated.</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns>The pairs; empty when absent.</returns>
    /// <exception cref="RuleConfigurationException">An item is not a pair.</exception>
    public ImmutableArray<(StageKey From, StageKey To)> GetStagePairs(string name)
    {
        var builder = ImmutableArray.CreateBuilder<(StageKey, StageKey)>();
        foreach (var item in GetList(name))
        {
            var arrow = item.IndexOf("->", StringComparison.Ordinal);
            var from = arrow > 0 ? item[..arrow].Trim() : "";
            var to = arrow > 0 ? item[(arrow + 2)..].Trim() : "";
            if (from.Length == 0 || to.Length == 0)
            {
                throw Problem(name, item, "has an item that is not a stage pair 'from->to'");
            }

            builder.Add((from, to));
        }

        return builder.ToImmutable();
    }

    /// <summary>
    /// Gets every parameter whose name starts with <paramref name="prefix"/> followed by a dot, keyed by the rest of the
    /// name; for per-stage values such as <c>limit.deciding = 14.00:00:00</c>.
    /// </summary>
    /// <param name="prefix">The prefix, without the dot.</param>
    /// <returns>The values by suffix, in ordinal order of the suffix.</returns>
    public ImmutableSortedDictionary<string, string> GetPrefixed(string prefix)
    {
        Guard.Against.NullOrBlank(prefix);
        _prefixes.Add(prefix + ".");
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var pair in _values)
        {
            if (pair.Key.StartsWith(prefix + ".", StringComparison.Ordinal) && pair.Key.Length > prefix.Length + 1)
            {
                builder[pair.Key[(prefix.Length + 1)..]] = pair.Value;
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>Parses a duration written <c>d.hh:mm:ss</c> or ISO 8601, reporting the parameter name on failure.</summary>
    /// <param name="name">The parameter name, for the message.</param>
    /// <param name="text">The text.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="RuleConfigurationException">The text is not a duration.</exception>
    public TimeSpan ParseTimeSpan(string name, string text)
    {
        Guard.Against.Null(text);
        var trimmed = text.Trim();
        if (trimmed.StartsWith('P') || trimmed.StartsWith("-P", StringComparison.Ordinal))
        {
            try
            {
                return XmlConvert.ToTimeSpan(trimmed);
            }
            catch (FormatException)
            {
                throw Problem(name, text, "is not an ISO 8601 duration");
            }
        }

        return TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var value) ? value : throw Problem(name, text, "is not a duration (d.hh:mm:ss or ISO 8601 such as P3D)");
    }

    /// <summary>Creates the exception for a bad parameter, naming the rule type, the parameter and the value.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The offending value, or <see langword="null"/>.</param>
    /// <param name="problem">What is wrong, such as "is required".</param>
    /// <returns>The exception, to throw.</returns>
    public RuleConfigurationException Problem(string name, string? value, string problem) =>
        new($"Rule type '{TypeName}': parameter '{name}'{(value is null ? "" : $" = '{value}'")} {problem}.");

    internal void ThrowIfUnknown()
    {
        var unknown = _values.Keys
            .Where(key => !_asked.Contains(key) && !_prefixes.Exists(prefix => key.StartsWith(prefix, StringComparison.Ordinal)))
            .OrderBy(key => key, StringComparer.Ordinal)
            .ToList();
        if (unknown.Count > 0)
        {
            var known = _asked.Concat(_prefixes.Select(p => p + "<stage>")).OrderBy(k => k, StringComparer.Ordinal);
            throw new RuleConfigurationException(
                $"Rule type '{TypeName}': unknown parameter(s) {string.Join(", ", unknown.Select(k => $"'{k}'"))}; known: {string.Join(", ", known)}.");
        }
    }

    private static ImmutableArray<string> SplitList(string text) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private bool TryGet(string name, out string value)
    {
        Guard.Against.NullOrBlank(name);
        _asked.Add(name);
        return _values.TryGetValue(name, out value!);
    }
}
