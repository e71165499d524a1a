using System.Collections.Immutable;
using Funnel.Core;

namespace Funnel.Serialization.Json;

/// <summary>
/// Thrown by <see cref="FunnelJson"/> when a JSON document cannot be read: lists every problem found, each with its
/// JSON path and line, such as <c>$.stages[3].winProbability: ... (line 17)</c>.
/// </summary>
public sealed class FunnelJsonException : FunnelException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="documentName">The name of the document (a file name), or <see langword="null"/>.</param>
    /// <param name="problems">Every problem found; not empty.</param>
    /// <param name="innerException">The exception that revealed the problems, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="problems"/> is empty.</exception>
    public FunnelJsonException(string? documentName, ImmutableArray<FunnelJsonProblem> problems, Exception? innerException = null)
        : base(FormatMessage(documentName, problems), innerException)
    {
        if (problems.IsDefaultOrEmpty)
        {
            throw new ArgumentException("At least one problem is required.", nameof(problems));
        }

        DocumentName = documentName;
        Problems = problems;
    }

    /// <summary>Gets the name of the document (a file name), or <see langword="null"/>.</summary>
    public string? DocumentName { get; }

    /// <summary>Gets every problem found, in document order where known.</summary>
    public ImmutableArray<FunnelJsonProblem> Problems { get; }

    private static string FormatMessage(string? documentName, ImmutableArray<FunnelJsonProblem> problems)
    {
        if (problems.IsDefaultOrEmpty)
        {
            return "Invalid Funnel JSON.";
        }

        var where = documentName is null ? "" : documentName + ": ";
        if (problems.Length == 1)
        {
            return where + problems[0];
        }

        return $"{where}{problems.Length} problems:{Environment.NewLine}" + string.Join(Environment.NewLine, problems.Select(p => "  - " + p));
    }
}
