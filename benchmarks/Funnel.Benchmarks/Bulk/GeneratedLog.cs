using Funnel.Core.Bulk;

namespace Funnel.Benchmarks.Bulk;

/// <summary>The log and funnel every bulk benchmark runs on: the generated model of docs/bulk.md, window 30 days.</summary>
public static class GeneratedLog
{
    /// <summary>The window of the ordered window funnel: 30 days.</summary>
    public const long Window = 30L * 86_400;

    /// <summary>The goal of the generated funnel: its last stage.</summary>
    public const int Goal = TransitionLogGenerator.StageCount - 1;

    /// <summary>The first <paramref name="events"/> events of a generated, time-ordered log (1M entities give about 3.3M events).</summary>
    public static TransitionLog FirstEvents(int events)
    {
        var generated = TransitionLogGenerator.Generate((int)(events / 3.2));
        return generated.Count > events ? generated.Slice(0, events) : generated;
    }

    /// <summary>An analyzer for the generated funnel.</summary>
    public static TransitionAnalyzer Analyzer(int maxDegreeOfParallelism = -1) =>
        new(new FunnelShape(TransitionLogGenerator.StageCount, Goal, TransitionLogGenerator.LossReasonCount), TimeSpan.FromSeconds(Window), maxDegreeOfParallelism);
}
