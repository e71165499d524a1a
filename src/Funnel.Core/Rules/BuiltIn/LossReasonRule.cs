namespace Funnel.Core.Rules;

/// <summary>
/// A guard on losses: the reason must be one people may choose, and a comment is required when configured.
/// Registered with the scope <see cref="GuardScope.OfKind(MoveKind)"/> <see cref="MoveKind.Lost"/>. Violation data:
/// <c>reason</c>, and <c>comment</c> = <c>required</c> when a comment is missing.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class LossReasonRule : ITransitionGuard, IDefinitionCheck
{
    /// <summary>Creates the rule.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="LossReasonOptions.MinimumCommentLength"/> is less than 1.</exception>
    public LossReasonRule(LossReasonOptions options)
    {
        Guard.Against.Null(options);
        if (options.MinimumCommentLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MinimumCommentLength, "MinimumCommentLength must be at least 1.");
        }
        Options = options;
    }

    /// <summary>Gets the options.</summary>
    public LossReasonOptions Options { get; }

    /// <inheritdoc />
    public GuardVerdict Check(in GuardArguments arguments)
    {
        if (arguments.Kind != MoveKind.Lost || arguments.LossReason is null)
        {
            // Unknown reasons are reported by the built-in check funnel.unknown-loss-reason.
            return GuardVerdict.Allow;
        }

        var reason = arguments.LossReason.Key;
        if (!Options.AllowedReasons.IsDefaultOrEmpty && !Options.AllowedReasons.Contains(reason))
        {
            return GuardVerdict.Deny(
                $"The loss reason '{reason}' may not be chosen here; choose one of {string.Join(", ", Options.AllowedReasons)}.",
                RuleData.Of("reason", reason.Value));
        }

        var needsComment = Options.RequireComment || (!Options.CommentRequiredFor.IsDefaultOrEmpty && Options.CommentRequiredFor.Contains(reason));
        if (needsComment && (arguments.Note?.Trim().Length ?? 0) < Options.MinimumCommentLength)
        {
            return GuardVerdict.Deny(
                $"A loss for '{reason}' needs a comment of at least {Options.MinimumCommentLength} character(s).",
                RuleData.Of("reason", reason.Value, "comment", "required"));
        }

        return GuardVerdict.Allow;
    }

    void IDefinitionCheck.Check(FunnelDefinition definition, ProblemCollector problems)
    {
        problems.Reasons(Options.AllowedReasons.IsDefault ? [] : Options.AllowedReasons, "The allowed reason");
        problems.Reasons(Options.CommentRequiredFor.IsDefault ? [] : Options.CommentRequiredFor, "The reason needing a comment");
    }
}
