namespace Funnel.Core.Rules;

/// <summary>Collects <see cref="RuleProblem"/>s for one rule.</summary>
internal sealed class ProblemCollector(FunnelDefinition definition)
{
    private readonly List<RuleProblem> _problems = [];

    public string RuleId { get; set; } = "";

    public IReadOnlyList<RuleProblem> Problems => _problems;

    public void Add(string message) => _problems.Add(new RuleProblem(RuleId, message));

    public void Stage(StageKey stage, string role)
    {
        if (!definition.TryGetStage(stage, out _))
        {
            Add($"{role} '{stage}' is not a stage of funnel '{definition.Key}'.");
        }
    }

    public void Stages(IEnumerable<StageKey> stages, string role)
    {
        foreach (var stage in stages)
        {
            Stage(stage, role);
        }
    }

    public void Reasons(IEnumerable<LossReasonKey> reasons, string role)
    {
        foreach (var reason in reasons)
        {
            if (!definition.TryGetLossReason(reason, out _))
            {
                Add($"{role} '{reason}' is not a loss reason of funnel '{definition.Key}'.");
            }
        }
    }
}
