using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>
/// A rule described as data: a type name (such as <c>max-attempts</c>) and text parameters (such as
/// <c>maxAttempts = 3</c>), turned into a rule by a <see cref="RuleTypeRegistry"/>. A JSON or configuration adapter
/// fills these; no expression is compiled or evaluated. Every rule type accepts <c>id</c>, <c>priority</c> and
/// <c>enabled</c>; see docs/rules.md for each built-in type's parameters.
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class RuleDescriptor
{
    /// <summary>Creates a descriptor.</summary>
    /// <param name="typeName">The rule type name; not blank.</param>
    /// <param name="parameters">The parameters by name (ordinal); optional.</param>
    /// <exception cref="ArgumentException"><paramref name="typeName"/> is blank, or a parameter name repeats.</exception>
    public RuleDescriptor(string typeName, IEnumerable<KeyValuePair<string, string>>? parameters = null)
    {
        Guard.Against.NullOrBlank(typeName);
        TypeName = typeName;
        Parameters = parameters is null
            ? ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal)
            : ImmutableDictionary.CreateRange(StringComparer.Ordinal, parameters);
    }

    /// <summary>Gets the rule type name.</summary>
    public string TypeName { get; }

    /// <summary>Gets the parameters by name (ordinal).</summary>
    public ImmutableDictionary<string, string> Parameters { get; }

    /// <summary>Returns the type name and parameters.</summary>
    /// <returns>A text such as <c>max-attempts(maxAttempts=3)</c>.</returns>
    public override string ToString() =>
        $"{TypeName}({string.Join(", ", Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))})";
}
