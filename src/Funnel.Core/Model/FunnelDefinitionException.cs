using System.Collections.Immutable;

namespace Funnel.Core;

/// <summary>Thrown by <see cref="FunnelDefinitionBuilder.Build"/> when a definition is invalid; lists every problem at once.</summary>
public sealed class FunnelDefinitionException : FunnelException
{
    /// <summary>Creates the exception for the given problems.</summary>
    /// <param name="definitionKey">The key of the definition that failed to validate.</param>
    /// <param name="problems">Every problem found; not empty.</param>
    /// <exception cref="ArgumentException"><paramref name="problems"/> is empty.</exception>
    public FunnelDefinitionException(string definitionKey, ImmutableArray<DefinitionProblem> problems)
        : base(FormatMessage(definitionKey, problems))
    {
        if (problems.IsDefaultOrEmpty)
        {
            throw new ArgumentException("At least one problem is required.", nameof(problems));
        }

        DefinitionKey = definitionKey;
        Problems = problems;
    }

    /// <summary>Gets the key of the definition that failed to validate.</summary>
    public string DefinitionKey { get; }

    /// <summary>Gets every problem found, in the order they were found.</summary>
    public ImmutableArray<DefinitionProblem> Problems { get; }

    private static string FormatMessage(string definitionKey, ImmutableArray<DefinitionProblem> problems)
    {
        var count = problems.IsDefault ? 0 : problems.Length;
        var lines = problems.IsDefault ? [] : problems.Select(p => "  - " + p);
        return $"Funnel definition '{definitionKey}' is invalid ({count} problem{(count == 1 ? "" : "s")}):{Environment.NewLine}"
            + string.Join(Environment.NewLine, lines);
    }
}
