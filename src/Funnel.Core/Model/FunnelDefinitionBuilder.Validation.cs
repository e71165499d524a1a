using System.Collections.Immutable;
using System.Globalization;

namespace Funnel.Core;

/// <content>
/// The validation <see cref="TryBuild"/> runs: each part of the definition checked on its own, every problem
/// collected with its code and location (<c>stages[2] 'interest'</c>) instead of stopping at the first.
/// </content>
public sealed partial class FunnelDefinitionBuilder
{
    private static string At(int index, string key) => string.Create(CultureInfo.InvariantCulture, $"stages[{index}] '{key}'");

    private Dictionary<string, int> ValidateStages(ImmutableArray<DefinitionProblem>.Builder found)
    {
        if (string.IsNullOrWhiteSpace(Key))
        {
            found.Add(new DefinitionProblem(DefinitionProblemCode.BlankDefinitionKey, "key", "The definition key must not be blank."));
        }

        if (_stages.Count == 0)
        {
            found.Add(new DefinitionProblem(DefinitionProblemCode.NoStages, "stages", "A funnel needs at least one stage."));
        }
        else if (_stages.Count > FunnelDefinition.MaxStageCount)
        {
            found.Add(new DefinitionProblem(
                DefinitionProblemCode.TooManyStages,
                "stages",
                string.Create(CultureInfo.InvariantCulture, $"A funnel may have at most {FunnelDefinition.MaxStageCount} stages, not {_stages.Count}.")));
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _stages.Count; i++)
        {
            var stage = _stages[i];
            var where = At(i, stage.Key);
            if (string.IsNullOrWhiteSpace(stage.Key))
            {
                found.Add(new DefinitionProblem(DefinitionProblemCode.BlankStageKey, where, "The stage key must not be blank."));
            }
            else if (!index.TryAdd(stage.Key, i))
            {
                found.Add(new DefinitionProblem(
                    DefinitionProblemCode.DuplicateStageKey,
                    where,
                    string.Create(CultureInfo.InvariantCulture, $"The stage key '{stage.Key}' is already used by stages[{index[stage.Key]}].")));
            }

            if (stage.WinProbability is { } p && !(p >= 0 && p <= 1))
            {
                found.Add(new DefinitionProblem(
                    DefinitionProblemCode.ProbabilityOutOfRange,
                    where + ".winProbability",
                    string.Create(CultureInfo.InvariantCulture, $"The win probability must be between 0 and 1, not {p}.")));
            }

            if (stage.IdleLimit is { } limit && limit <= TimeSpan.Zero)
            {
                found.Add(new DefinitionProblem(
                    DefinitionProblemCode.NonPositiveIdleLimit,
                    where + ".idleLimit",
                    string.Create(CultureInfo.InvariantCulture, $"The idle limit must be positive, not {limit}.")));
            }

            if (stage.StepWindow is { } step && (i == 0 || step < TimeSpan.Zero || step.Ticks % TimeSpan.TicksPerSecond != 0))
            {
                found.Add(new DefinitionProblem(
                    DefinitionProblemCode.InvalidStepWindow,
                    where + ".stepWindow",
                    i == 0
                        ? "The first stage has no step into it, so it cannot have a step window."
                        : string.Create(CultureInfo.InvariantCulture, $"The step window must be whole seconds and not negative, not {step}.")));
            }

            for (var a = 0; a < stage.RequiredAttributes.Count; a++)
            {
                if (string.IsNullOrWhiteSpace(stage.RequiredAttributes[a]))
                {
                    found.Add(new DefinitionProblem(
                        DefinitionProblemCode.BlankRequiredAttribute,
                        string.Create(CultureInfo.InvariantCulture, $"{where}.requiredAttributes[{a}]"),
                        "A required attribute name must not be blank."));
                }
            }

            for (var c = 0; c < stage.Channels.Count; c++)
            {
                if (string.IsNullOrWhiteSpace(stage.Channels[c]))
                {
                    found.Add(new DefinitionProblem(
                        DefinitionProblemCode.BlankChannel,
                        string.Create(CultureInfo.InvariantCulture, $"{where}.channels[{c}]"),
                        "A channel tag must not be blank."));
                }
            }
        }

        return index;
    }

    private ImmutableArray<LossReason> ValidateLossReasons(ImmutableArray<DefinitionProblem>.Builder found)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var reasons = ImmutableArray.CreateBuilder<LossReason>(_lossReasons.Count);
        for (var i = 0; i < _lossReasons.Count; i++)
        {
            var entry = _lossReasons[i];
            var where = string.Create(CultureInfo.InvariantCulture, $"lossReasons[{i}] '{entry.Key}'");
            if (string.IsNullOrWhiteSpace(entry.Key))
            {
                found.Add(new DefinitionProblem(DefinitionProblemCode.BlankLossReasonKey, where, "The loss reason key must not be blank."));
            }
            else if (!seen.TryAdd(entry.Key, i))
            {
                found.Add(new DefinitionProblem(
                    DefinitionProblemCode.DuplicateLossReasonKey,
                    where,
                    string.Create(CultureInfo.InvariantCulture, $"The loss reason key '{entry.Key}' is already used by lossReasons[{seen[entry.Key]}].")));
            }
            else
            {
                reasons.Add(new LossReason(new LossReasonKey(entry.Key), entry.DisplayName, entry.Category, entry.IsRecoverable));
            }
        }

        return reasons.ToImmutable();
    }

    private int ValidateGoal(ImmutableArray<DefinitionProblem>.Builder found, Dictionary<string, int> stageIndex)
    {
        if (_goalStage is null)
        {
            found.Add(new DefinitionProblem(
                DefinitionProblemCode.GoalStageMissing,
                "wonAt",
                "The definition must name the stage at which a lead counts as won (call WonAt)."));
            return -1;
        }

        if (!stageIndex.TryGetValue(_goalStage, out var goal))
        {
            found.Add(new DefinitionProblem(
                DefinitionProblemCode.GoalStageUnknown,
                "wonAt",
                $"The goal stage '{_goalStage}' is not a stage of this definition."));
            return -1;
        }

        return goal;
    }

    private List<(int From, int To)> ValidateTransitions(ImmutableArray<DefinitionProblem>.Builder found, Dictionary<string, int> stageIndex)
    {
        var edges = new List<(int From, int To)>(_transitions.Count);
        var distinct = new HashSet<(int From, int To)>(_transitions.Count);
        for (var i = 0; i < _transitions.Count; i++)
        {
            var (from, to) = _transitions[i];
            var where = string.Create(CultureInfo.InvariantCulture, $"transitions[{i}] '{from}' -> '{to}'");
            var knownFrom = stageIndex.TryGetValue(from, out var f);
            var knownTo = stageIndex.TryGetValue(to, out var t);
            if (!knownFrom)
            {
                found.Add(new DefinitionProblem(DefinitionProblemCode.UnknownTransitionStage, where, $"The transition starts from '{from}', which is not a stage of this definition."));
            }

            if (!knownTo)
            {
                found.Add(new DefinitionProblem(DefinitionProblemCode.UnknownTransitionStage, where, $"The transition ends in '{to}', which is not a stage of this definition."));
            }

            if (knownFrom && knownTo && distinct.Add((f, t)))
            {
                edges.Add((f, t));
            }
        }

        return edges;
    }

    private void ValidateReachability(ImmutableArray<DefinitionProblem>.Builder found, TransitionGraph graph)
    {
        var reachable = graph.ReachableFrom(0);
        for (var i = 1; i < _stages.Count; i++)
        {
            if (!reachable[i])
            {
                found.Add(new DefinitionProblem(
                    DefinitionProblemCode.UnreachableStage,
                    At(i, _stages[i].Key),
                    $"The stage '{_stages[i].Key}' cannot be reached from the first stage '{_stages[0].Key}' through the allowed transitions."));
            }
        }
    }
}
