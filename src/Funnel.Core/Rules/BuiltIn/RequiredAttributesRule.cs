using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>
/// A guard that requires attributes (such as an amount before "invoice issued") before a lead enters a stage. Violation
/// data: <c>stage</c>, <c>missing</c> (comma-separated, in the listed order).
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class RequiredAttributesRule : ITransitionGuard, IDefinitionCheck
{
    /// <summary>Creates the rule.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No stage is named, or a stage lists no attribute or a blank one.</exception>
    public RequiredAttributesRule(RequiredAttributesOptions options)
    {
        Guard.Against.Null(options);
        if (options.Requirements.IsEmpty)
        {
            throw new ArgumentException("Name at least one stage and its required attributes.", nameof(options));
        }

        foreach (var pair in options.Requirements)
        {
            if (pair.Key.IsDefault || pair.Value.IsDefaultOrEmpty || pair.Value.Any(string.IsNullOrWhiteSpace))
            {
                throw new ArgumentException($"The stage '{pair.Key}' must list at least one non-blank attribute name.", nameof(options));
            }
        }

        Options = options;
    }

    /// <summary>Gets the options.</summary>
    public RequiredAttributesOptions Options { get; }

    /// <inheritdoc />
    public GuardVerdict Check(in GuardArguments arguments)
    {
        if (!arguments.EntersStage)
        {
            return GuardVerdict.Allow;
        }

        var attributes = arguments.Attributes;
        var hasExtra = Options.Requirements.TryGetValue(arguments.To.Key, out var extra);
        var ownChecked = Options.RejectBlankValues && !arguments.To.RequiredAttributes.IsEmpty;
        if (!hasExtra && !ownChecked)
        {
            return GuardVerdict.Allow;
        }

        List<string>? missing = null;
        if (hasExtra)
        {
            foreach (var name in extra)
            {
                if (IsMissing(attributes, name))
                {
                    (missing ??= []).Add(name);
                }
            }
        }

        if (ownChecked)
        {
            foreach (var name in arguments.To.RequiredAttributes)
            {
                // Absent ones are reported by the built-in check; this rule adds the blank ones.
                if (attributes.TryGetValue(name, out var value) && string.IsNullOrWhiteSpace(value) && !(missing?.Contains(name) ?? false))
                {
                    (missing ??= []).Add(name);
                }
            }
        }

        if (missing is null)
        {
            return GuardVerdict.Allow;
        }

        var names = string.Join(", ", missing);
        return GuardVerdict.Deny(
            $"The stage '{arguments.To.Key}' requires the attributes {names}, which journey '{arguments.Journey.Id}' lacks{(Options.RejectBlankValues ? " or has blank" : "")}.",
            RuleData.Of("stage", arguments.To.Key.Value, "missing", names));
    }

    private bool IsMissing(ImmutableDictionary<string, string> attributes, string name) =>
        !attributes.TryGetValue(name, out var value) || (Options.RejectBlankValues && string.IsNullOrWhiteSpace(value));

    void IDefinitionCheck.Check(FunnelDefinition definition, ProblemCollector problems)
    {
        problems.Stages(Options.Requirements.Keys.OrderBy(k => k), "The stage");
    }
}
