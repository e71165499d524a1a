using System.Text.RegularExpressions;
using Funnel.Core;

namespace Funnel.Serialization.Json.Internal;

/// <summary>
/// Maps the location of a <see cref="DefinitionProblem"/> (<c>stages[2] 'interest'.winProbability</c>) to the JSON
/// path of the definition format (<c>$.stages[2].winProbability</c>). The format uses the builder's names on purpose.
/// </summary>
internal static partial class DefinitionProblemPaths
{
    public static string ToJsonPath(string root, DefinitionProblem problem)
    {
        var location = problem.Location;
        var head = HeadPattern().Match(location);
        if (!head.Success)
        {
            return root + JsonReadContext.PropertySegment(location);
        }

        var path = root + "." + head.Groups["name"].Value + head.Groups["index"].Value;
        if (head.Groups["index"].Length == 0)
        {
            return path;
        }

        var tail = TailPattern().Match(location);
        if (tail.Success)
        {
            return path + tail.Value;
        }

        return problem.Code switch
        {
            DefinitionProblemCode.BlankStageKey or DefinitionProblemCode.DuplicateStageKey
                or DefinitionProblemCode.BlankLossReasonKey or DefinitionProblemCode.DuplicateLossReasonKey => path + ".key",
            DefinitionProblemCode.UnknownTransitionStage when problem.Message.Contains("starts from", StringComparison.Ordinal) => path + ".from",
            DefinitionProblemCode.UnknownTransitionStage when problem.Message.Contains("ends in", StringComparison.Ordinal) => path + ".to",
            _ => path,
        };
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z]+)(?<index>\[\d+\])?")]
    private static partial Regex HeadPattern();

    [GeneratedRegex(@"\.(winProbability|idleLimit|stepWindow|requiredAttributes\[\d+\]|channels\[\d+\])$")]
    private static partial Regex TailPattern();
}
