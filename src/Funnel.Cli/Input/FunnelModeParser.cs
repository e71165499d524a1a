using System.Collections.Immutable;
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Metrics;

namespace Funnel.Cli.Input;

/// <summary>
/// Parses the funnel-mode options of <c>funnel analyze</c> against the definition: <c>--exclude</c>,
/// <c>--optional</c> and <c>--conversion-bins</c>. Every error is a command-line error (exit code 2) that quotes the
/// value, names what is wrong and, for a stage or loss-reason key the funnel lacks, suggests the nearest one.
/// </summary>
internal static class FunnelModeParser
{
    /// <summary>The keyword of a loss target: <c>lost</c> (any reason) or <c>lost:reason</c>.</summary>
    private const string Lost = "lost";

    /// <summary>
    /// Parses <c>--optional STAGE[,STAGE]</c> (repeatable): the stage keys of the optional steps, in funnel order,
    /// each once. The first stage is never optional.
    /// </summary>
    public static ImmutableArray<string> OptionalSteps(FunnelDefinition definition, IEnumerable<string> items)
    {
        var steps = new SortedSet<int>();
        foreach (var item in items)
        {
            foreach (var part in item.Split(',', StringSplitOptions.TrimEntries))
            {
                var option = $"--optional {item}";
                if (part.Length == 0)
                {
                    throw Usage($"{option}: an empty stage key; list stages as proposal or proposal,demo.");
                }

                var step = Step(definition, part, option);
                if (step == 0)
                {
                    throw Usage($"{option}: '{part}' is the first stage; the first step of a funnel is never optional.");
                }

                steps.Add(step);
            }
        }

        return [.. steps.Select(s => definition.Stages[s].Key.Value)];
    }

    /// <summary>
    /// Parses <c>--exclude STAGE@FROM-TO</c> and <c>--exclude lost[:REASON]@FROM-TO</c> (repeatable). FROM and TO are
    /// stage keys (or 0-based ordinals) of the funnel, FROM before TO, neither of them an optional step.
    /// </summary>
    public static ImmutableArray<FunnelExclusion> Exclusions(FunnelDefinition definition, IEnumerable<string> items, ImmutableArray<string> optionalSteps)
    {
        var exclusions = ImmutableArray.CreateBuilder<FunnelExclusion>();
        foreach (var item in items)
        {
            var option = $"--exclude {item}";
            var at = item.LastIndexOf('@');
            if (at <= 0 || at == item.Length - 1)
            {
                throw Usage($"{option}: expected STAGE@FROM-TO or lost[:REASON]@FROM-TO, such as demo@interest-action or lost:competitor@interest-action.");
            }

            var (target, range) = (item[..at], item[(at + 1)..]);
            var (from, to) = Range(definition, range, option);
            if (from >= to)
            {
                throw Usage($"{option}: '{definition.Stages[from].Key}' (step {from}) does not come before '{definition.Stages[to].Key}' (step {to}); an exclusion runs from an earlier step to a later one.");
            }

            foreach (var step in new[] { from, to })
            {
                if (optionalSteps.Contains(definition.Stages[step].Key.Value))
                {
                    throw Usage($"{option}: '{definition.Stages[step].Key}' is an optional step (--optional); an exclusion must start and end at steps every path matches.");
                }
            }

            if (target == Lost || target.StartsWith(Lost + ":", StringComparison.Ordinal))
            {
                var reason = target.Length == Lost.Length ? null : target[(Lost.Length + 1)..];
                if (reason is not null && !definition.TryGetLossReason(reason, out _))
                {
                    var near = KeySuggestion.Nearest(reason, definition.LossReasons.Select(r => r.Key.Value));
                    throw Usage($"{option}: funnel '{definition.Key}' has no loss reason '{reason}'{DidYouMean(near)} (loss reasons: {string.Join(", ", definition.LossReasons.Select(r => r.Key.Value))}).");
                }

                exclusions.Add(FunnelExclusion.Loss(from, to, reason));
            }
            else
            {
                exclusions.Add(FunnelExclusion.Stage(definition.Stages[Step(definition, target, option, byOrdinal: false)].Key.Value, from, to));
            }
        }

        return exclusions.ToImmutable();
    }

    /// <summary>
    /// Parses <c>--conversion-bins</c>: <c>auto</c> (automatic bins, the default) as an empty list, or ascending
    /// durations such as <c>1h,1d,7d</c> as the histogram's edges.
    /// </summary>
    public static ImmutableArray<TimeSpan> ConversionBins(string text)
    {
        if (string.Equals(text.Trim(), "auto", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var edges = ImmutableArray.CreateBuilder<TimeSpan>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Length == 0 || !DurationParser.TryParse(part, out var edge) || edge is not { } value)
            {
                throw Usage($"--conversion-bins {text}: '{part}' is not a bin edge; use 'auto' or ascending durations with a unit, such as 1h,1d,7d (0s for the start).");
            }

            if (edges.Count > 0 && value <= edges[^1])
            {
                throw Usage($"--conversion-bins {text}: the edges must ascend; '{part}' does not come after {edges[^1].TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
            }

            edges.Add(value);
        }

        return edges.ToImmutable();
    }

    /// <summary>The steps of <c>FROM-TO</c>: the one split at a <c>-</c> whose both sides are stages (keys may contain <c>-</c> themselves).</summary>
    private static (int From, int To) Range(FunnelDefinition definition, string range, string option)
    {
        var splits = new List<(int From, int To)>();
        for (var dash = range.IndexOf('-', StringComparison.Ordinal); dash >= 0; dash = range.IndexOf('-', dash + 1))
        {
            if (TryStep(definition, range[..dash], out var from) && TryStep(definition, range[(dash + 1)..], out var to))
            {
                splits.Add((from, to));
            }
        }

        if (splits.Count == 1)
        {
            return splits[0];
        }

        if (splits.Count > 1)
        {
            throw Usage($"{option}: '{range}' can be read as {string.Join(" or ", splits.Select(s => $"{definition.Stages[s.From].Key} to {definition.Stages[s.To].Key}"))}; name the steps by ordinal instead (0 = first stage).");
        }

        var first = range.IndexOf('-', StringComparison.Ordinal);
        if (first <= 0 || first == range.Length - 1)
        {
            throw Usage($"{option}: '{range}' is not a step range; expected FROM-TO with two stages of funnel '{definition.Key}', such as {definition.Stages[0].Key}-{definition.Stages[^1].Key}.");
        }

        // No split works: name the side that is not a stage (the left one first when both fail).
        var (left, right) = (range[..first], range[(first + 1)..]);
        Step(definition, TryStep(definition, left, out _) ? right : left, option);
        throw Usage($"{option}: '{range}' is not a step range of funnel '{definition.Key}'.");
    }

    /// <summary>The step of a stage given by key or 0-based ordinal, or a usage error naming it with the nearest key.</summary>
    private static int Step(FunnelDefinition definition, string text, string option, bool byOrdinal = true)
    {
        if (definition.TryGetStage(text, out var stage))
        {
            return stage.Order;
        }

        if (byOrdinal && TryOrdinal(definition, text, out var step))
        {
            return step;
        }

        var near = KeySuggestion.Nearest(text, definition.Stages.Select(s => s.Key.Value));
        throw Usage($"{option}: funnel '{definition.Key}' has no stage '{text}'{DidYouMean(near)} (stages: {string.Join(", ", definition.Stages.Select(s => s.Key.Value))}).");
    }

    private static bool TryStep(FunnelDefinition definition, string text, out int step)
    {
        if (text.Length > 0 && definition.TryGetStage(text, out var stage))
        {
            step = stage.Order;
            return true;
        }

        return TryOrdinal(definition, text, out step);
    }

    private static bool TryOrdinal(FunnelDefinition definition, string text, out int step) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out step) && step < definition.Stages.Length;

    private static string DidYouMean(string? near) => near is null ? string.Empty : $"; did you mean '{near}'?";

    private static CliException Usage(string message) => new(message, ExitCodes.Usage);
}
