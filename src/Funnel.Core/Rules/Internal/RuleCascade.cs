using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>
/// Applies the automations' move, win, loss and reopen commands through a rule set's guards, one after the other,
/// queueing what each applied command emits, until none is left: the bounded loop behind
/// <see cref="RuleSet.Run(Journey, MoveRequest)"/>. Commands for another journey, and tasks and notifications, are
/// pending (returned for the caller); a command coming round again from the same state is a cycle, and more than
/// <see cref="RuleSet.MaxCascadeDepth"/> applied commands end the run with a <see cref="RuleCascadeException"/>.
/// </summary>
/// <remarks>Stateless; each run keeps its own queue and lists.</remarks>
internal static class RuleCascade
{
    public static RuleRun Run(RuleSet rules, Journey journey, ImmutableArray<RuleCommand> initial, DateTimeOffset at)
    {
        if (initial.IsEmpty)
        {
            return new RuleRun(journey, [], [], [], []);
        }

        var queue = new Queue<RuleCommand>(initial);
        var applied = ImmutableArray.CreateBuilder<RuleCommand>();
        var rejected = ImmutableArray.CreateBuilder<RejectedCommand>();
        var pending = ImmutableArray.CreateBuilder<RuleCommand>();
        // Every applied step in order, and where each (stage, status, command) first occurred: a command coming round
        // again from the same state is found in O(1) (it was a scan of the trail comparing texts, quadratic in the
        // cascade's length; issue 18, defect 10).
        var trail = new List<RuleCommand>();
        var steps = new Dictionary<(StageKey Stage, JourneyStatus Status, RuleCommand Command), int>();
        while (queue.TryDequeue(out var command))
        {
            var request = ToRequest(command, at);
            if (request.Kind == MoveKind.Start || !string.Equals(command.JourneyId, journey.Id, StringComparison.Ordinal))
            {
                pending.Add(command);
                continue;
            }

            var step = (journey.CurrentStage.Key, journey.Status, command);
            if (steps.TryGetValue(step, out var seen))
            {
                var cycle = trail.Skip(seen).Append(command).ToList();
                var ids = cycle.Select(c => c.RuleId).Distinct(StringComparer.Ordinal).ToImmutableArray();
                throw new RuleCascadeException(
                    $"Automations form a cycle on journey '{journey.Id}': {string.Join(" -> ", cycle.Select(c => $"{c.RuleId} ({c})"))}. Rules in the cycle: {string.Join(", ", ids)}.",
                    journey.Id,
                    ids,
                    isCycle: true);
            }

            var result = rules.Evaluate(journey, request);
            if (!result.Succeeded)
            {
                rejected.Add(new RejectedCommand(command, result.Violations));
                continue;
            }

            if (applied.Count >= rules.MaxCascadeDepth)
            {
                var ids = applied.Select(c => c.RuleId).Append(command.RuleId).Distinct(StringComparer.Ordinal).ToImmutableArray();
                throw new RuleCascadeException(
                    $"The automations on journey '{journey.Id}' applied more than {rules.MaxCascadeDepth} commands in one run (rules: {string.Join(", ", ids)}); raise MaxCascadeDepth or break the chain.",
                    journey.Id,
                    ids,
                    isCycle: false);
            }

            steps.Add(step, trail.Count);
            trail.Add(command);
            applied.Add(command);
            journey = result.Journey;
            foreach (var next in result.Commands)
            {
                queue.Enqueue(next);
            }
        }

        return new RuleRun(journey, [], applied.ToImmutable(), rejected.ToImmutable(), pending.ToImmutable());
    }

    /// <summary>The request a command stands for, made by the rule (<c>rule:&lt;id&gt;</c>); <see langword="default"/> (kind <see cref="MoveKind.Start"/>) for tasks and notifications.</summary>
    private static MoveRequest ToRequest(RuleCommand command, DateTimeOffset at) => command switch
    {
        MoveCommand move => MoveRequest.MoveTo(move.Stage, at, "rule:" + move.RuleId, move.Note),
        MarkWonCommand won => MoveRequest.Won(at, "rule:" + won.RuleId, won.Note),
        MarkLostCommand lost => MoveRequest.Lost(lost.Reason, at, "rule:" + lost.RuleId, lost.Comment),
        ReopenCommand reopen => MoveRequest.Reopen(at, "rule:" + reopen.RuleId, reopen.Note),
        _ => default,
    };
}
