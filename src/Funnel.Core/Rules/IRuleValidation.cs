namespace Funnel.Core.Rules;

/// <summary>
/// Implemented by a custom guard or automation that names stages, loss reasons or signals of a funnel, so that
/// <see cref="RuleSet.Validate(FunnelDefinition)"/> checks it at start-up like the built-in rules: a rule naming a stage
/// the definition lacks would otherwise never match, silently.
/// </summary>
/// <remarks>Implementations should be immutable and thread-safe, as every rule is.</remarks>
public interface IRuleValidation
{
    /// <summary>Checks this rule against a definition.</summary>
    /// <param name="definition">The definition the rule set is used with.</param>
    /// <returns>
    /// One message per problem, naming what is wrong and where (for example
    /// <c>The stage 'proposl' is not a stage of funnel 'agency'.</c>); empty when the rule fits the definition.
    /// <see cref="RuleSet.Validate(FunnelDefinition)"/> reports each with the rule's id.
    /// </returns>
    IEnumerable<string> Validate(FunnelDefinition definition);
}
