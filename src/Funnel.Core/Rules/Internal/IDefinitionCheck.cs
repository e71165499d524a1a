namespace Funnel.Core.Rules;

/// <summary>Implemented by built-in rules that name stages or loss reasons, so that a rule set can be checked against a definition.</summary>
internal interface IDefinitionCheck
{
    void Check(FunnelDefinition definition, ProblemCollector problems);
}
