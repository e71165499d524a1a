using System.Globalization;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json.Internal;

namespace Funnel.Serialization.Json.Converters.Report;

/// <summary>
/// What every part of the report format checks the same way: a written number against the one the restored report
/// derives, and a model exception (from <see cref="FunnelReport.Restore"/> or <see cref="FunnelQuery"/>) reported at the
/// place in the format its parameter comes from.
/// </summary>
internal static class ReportJsonChecks
{
    /// <summary>Where a <see cref="FunnelReport.Restore"/> or <see cref="FunnelQuery"/> parameter lives in the report format.</summary>
    private static readonly Dictionary<string, string> ParameterPaths = new(StringComparer.Ordinal)
    {
        ["asOf"] = ".asOf", ["won"] = ".won", ["everWon"] = ".everWon", ["lastStatusWon"] = ".lastStatusWon", ["lost"] = ".lost", ["open"] = ".open", ["cycleTimeToWon"] = ".cycleTimeToWon",
        ["reached"] = ".stages", ["convertedToNext"] = ".stages", ["reachedFromTop"] = ".stages", ["dropped"] = ".stages",
        ["stillOpen"] = ".stages", ["timeInStage"] = ".stages", ["transitions"] = ".transitions", ["lossesByStage"] = ".lossesByStage",
        ["timeAfterLoss"] = ".timeAfterLoss", ["lossesAfterLoss"] = ".lossesAfterLoss", ["lossesAtUnknownStage"] = ".lossesAtUnknownStage",
        ["window"] = ".query.window", ["anchor"] = ".query.anchor", ["stepWindows"] = ".query.stepWindows", ["counting"] = ".query.counting", ["mode"] = ".query.timeInStage",
        ["before"] = ".query.enteredBefore", ["silentAfter"] = ".query.silentAfter", ["level"] = ".query.confidenceLevel",
        ["minimumSample"] = ".query.minimumSample", ["order"] = ".query.order", ["exclusions"] = ".query.exclusions", ["stageKeys"] = ".query.optionalSteps",
        ["median"] = ".query.median", ["bins"] = ".query.conversionTimeBins", ["edges"] = ".query.conversionTimeBins",
        ["conversionTimes"] = ".conversionTimes", ["excluded"] = ".excluded",
    };

    public static void CheckEqual(JsonReadContext context, string path, long written, long derived)
    {
        if (written != derived)
        {
            context.Report(path, string.Create(CultureInfo.InvariantCulture, $"{written} does not match {derived}, derived from the report's other numbers (the counts, the loss matrix and the query)"));
        }
    }

    public static void CheckClose(JsonReadContext context, string path, double written, double derived, string from = "the successes, trials and the query's confidence level")
    {
        if (Math.Abs(written - derived) > 1e-12 * Math.Max(1, Math.Abs(derived)))
        {
            context.Report(path, string.Create(CultureInfo.InvariantCulture, $"{written} does not match {derived}, derived from {from}"));
        }
    }

    /// <summary>The exception's first line without the " (Parameter 'x')" the runtime appends: the path names the place.</summary>
    public static string WithoutParameter(ArgumentException ex)
    {
        var message = ex.Message.Split('\n')[0].TrimEnd();
        return ex.ParamName is null ? message : message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);
    }

    /// <summary>The path, under the report at <paramref name="root"/>, of the value a parameter comes from; the report itself when unknown.</summary>
    public static string PathOf(string root, string? parameter) =>
        parameter is not null && ParameterPaths.TryGetValue(parameter, out var path) ? root + path : root;

    /// <summary>The path, under the query at <paramref name="query"/>, of the query value a parameter comes from; the query itself when unknown.</summary>
    public static string QueryPathOf(string query, string? parameter) =>
        parameter is { } p && ParameterPaths.TryGetValue(p, out var at) && at.StartsWith(".query", StringComparison.Ordinal) ? query + at[".query".Length..] : query;
}
