using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>Options of <see cref="LossReasonRule"/>.</summary>
/// <remarks>Set once with an object initializer; read-only afterwards and thread-safe.</remarks>
public sealed class LossReasonOptions : RuleOptions
{
    /// <summary>Creates the options with the defaults.</summary>
    public LossReasonOptions()
        : base(BuiltInRuleTypes.LossReason)
    {
    }

    /// <summary>Creates the options from a <see cref="RuleDescriptor"/>'s parameters (named on each property); an absent parameter keeps the default.</summary>
    /// <param name="parameters">The parameters.</param>
    internal LossReasonOptions(RuleParameters parameters)
        : base(BuiltInRuleTypes.LossReason, parameters)
    {
        AllowedReasons = [.. parameters.GetList("allowedReasons").Select(r => new LossReasonKey(r))];
        RequireComment = parameters.GetBoolean("requireComment", RequireComment);
        CommentRequiredFor = [.. parameters.GetList("commentRequiredFor").Select(r => new LossReasonKey(r))];
        MinimumCommentLength = parameters.GetInt32("minimumCommentLength", MinimumCommentLength);
    }

    /// <summary>
    /// Gets the reasons people may choose; others are denied even if they are in the definition's catalog (the
    /// built-in check already denies reasons outside the catalog). Parameter <c>allowedReasons</c>: comma-separated keys.
    /// </summary>
    /// <value>Default empty: every reason of the catalog.</value>
    public ImmutableArray<LossReasonKey> AllowedReasons { get; init; } = [];

    /// <summary>Gets a value indicating whether every loss needs a comment (the note). Parameter <c>requireComment</c>.</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool RequireComment { get; init; }

    /// <summary>Gets the reasons that need a comment even when <see cref="RequireComment"/> is off (such as "other"). Parameter <c>commentRequiredFor</c>.</summary>
    /// <value>Default empty.</value>
    public ImmutableArray<LossReasonKey> CommentRequiredFor { get; init; } = [];

    /// <summary>Gets the shortest acceptable comment, in characters after trimming. Parameter <c>minimumCommentLength</c>.</summary>
    /// <value>Default 1.</value>
    public int MinimumCommentLength { get; init; } = 1;
}
