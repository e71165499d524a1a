using System.Collections.Immutable;

namespace Funnel.Core;

/// <summary>
/// One reason a move was rejected: the id of the check or rule that denied it, a message for people and
/// machine-readable data (such as <c>missing = "amount"</c>).
/// </summary>
/// <remarks>Instances are immutable and thread-safe. Built-in check ids are listed in <see cref="BuiltInChecks"/>.</remarks>
public sealed class MoveViolation
{
    /// <summary>Creates a violation.</summary>
    /// <param name="ruleId">The id of the check or rule that denied the move, such as <c>funnel.transition-allowed</c>.</param>
    /// <param name="message">Why, for people.</param>
    /// <param name="data">Machine-readable details; optional.</param>
    /// <exception cref="ArgumentException"><paramref name="ruleId"/> or <paramref name="message"/> is null or blank.</exception>
    public MoveViolation(string ruleId, string message, ImmutableDictionary<string, string>? data = null)
    {
        Guard.Against.NullOrBlank(ruleId);
        Guard.Against.NullOrBlank(message);
        RuleId = ruleId;
        Message = message;
        Data = data ?? ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
    }

    /// <summary>Gets the id of the check or rule that denied the move.</summary>
    public string RuleId { get; }

    /// <summary>Gets why the move was denied, for people.</summary>
    public string Message { get; }

    /// <summary>Gets machine-readable details, such as the stage keys involved or the missing attribute names.</summary>
    public ImmutableDictionary<string, string> Data { get; }

    /// <summary>Returns the rule id and the message.</summary>
    /// <returns>A text such as <c>funnel.transition-allowed: ...</c>.</returns>
    public override string ToString() => $"{RuleId}: {Message}";
}
