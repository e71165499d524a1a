using System.Globalization;

namespace Funnel.Core.Metrics;

/// <summary>The Markov forecast for a lead now at one stage before the goal.</summary>
/// <remarks>
/// <para>The probabilities are of being won, lost, or going silent (idle past the stage's silence threshold, see
/// <see cref="MarkovForecast"/>); the rest is <see cref="UnknownProbability"/>. When <see cref="IsSufficient"/> is
/// <see langword="false"/> the data cannot support them: show <see cref="InsufficientDataReason"/> instead of a number.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class StageForecast
{
    internal StageForecast(Stage stage, long observedMoves, double win, double loss, double silent, double expectedMoves, TimeSpan expectedTime, Evidence evidence, string? insufficientDataReason)
    {
        Stage = stage;
        ObservedMoves = observedMoves;
        WinProbability = win;
        LossProbability = loss;
        SilentProbability = silent;
        ExpectedMoves = expectedMoves;
        ExpectedTimeToClose = expectedTime;
        CensoredLeads = evidence.Censored;
        LeadsWithOutcome = evidence.WithOutcome;
        LeadsWithoutOutcome = evidence.WithoutOutcome;
        SilenceThreshold = evidence.Threshold;
        InsufficientDataReason = insufficientDataReason;
    }

    /// <summary>Gets the stage.</summary>
    public Stage Stage { get; }

    /// <summary>
    /// Gets the number of observed moves out of the stage the chain learned from: moves to another stage, to won or to
    /// lost, and leads that went silent here. These stays are also the ones <see cref="ExpectedTimeToClose"/> is computed from.
    /// </summary>
    public long ObservedMoves { get; }

    /// <summary>Gets a value indicating whether any move out of the stage was observed; without, its outcome is unknown.</summary>
    public bool HasData => ObservedMoves > 0;

    /// <summary>Gets a value indicating whether the data supports the probabilities: moves out were observed and enough leads that were at the stage have an outcome.</summary>
    public bool IsSufficient => InsufficientDataReason is null;

    /// <summary>Gets why the data cannot support a probability for this stage, or <see langword="null"/> when it can (<see cref="IsSufficient"/>).</summary>
    public string? InsufficientDataReason { get; }

    /// <summary>Gets the open leads now at this stage and still inside its silence threshold: censored, not used by the chain.</summary>
    public long CensoredLeads { get; }

    /// <summary>Gets the leads that were at this stage and have an outcome at the as-of time: won, lost, or went silent.</summary>
    public long LeadsWithOutcome { get; }

    /// <summary>Gets the leads that were at this stage and are still open inside the silence threshold (no outcome yet).</summary>
    public long LeadsWithoutOutcome { get; }

    /// <summary>Gets the silence threshold of the stage: its <see cref="Core.Stage.IdleLimit"/>, or the query's <see cref="FunnelQuery.SilentAfter"/>.</summary>
    public TimeSpan SilenceThreshold { get; }

    /// <summary>Gets the probability that a lead at this stage is eventually won.</summary>
    public double WinProbability { get; }

    /// <summary>Gets the probability that a lead at this stage is eventually lost.</summary>
    public double LossProbability { get; }

    /// <summary>Gets the probability that a lead at this stage eventually goes silent (idle past a stage's silence threshold).</summary>
    public double SilentProbability { get; }

    /// <summary>Gets the probability of an unknown outcome: paths through stages without observed moves out.</summary>
    public double UnknownProbability => Math.Max(0, 1 - WinProbability - LossProbability - SilentProbability);

    /// <summary>Gets the expected number of moves until the lead is won, lost or goes silent.</summary>
    public double ExpectedMoves { get; }

    /// <summary>
    /// Gets the expected time until the lead is won, lost or judged silent: each stage's mean stay over the leads that
    /// moved on, closed or went silent there (a silent lead's stay is the silence threshold), weighted by the expected
    /// visits. Censored leads (still open inside the threshold) are not in it.
    /// </summary>
    public TimeSpan ExpectedTimeToClose { get; }

    /// <summary>Gets the win probability configured on the stage (<see cref="Core.Stage.WinProbability"/>), or <see langword="null"/>.</summary>
    public double? ConfiguredProbability => Stage.WinProbability;

    /// <summary>Gets the learned minus the configured win probability, or <see langword="null"/> when none is configured.</summary>
    public double? Difference => ConfiguredProbability is { } configured ? WinProbability - configured : null;

    /// <summary>Returns the stage and its win probability, or why there is none.</summary>
    /// <returns>A text such as <c>b: P(win) 0.42 (configured 0.30)</c> or <c>b: insufficient data (no move out of this stage was observed)</c>.</returns>
    public override string ToString() =>
        IsSufficient
            ? string.Create(CultureInfo.InvariantCulture, $"{Stage.Key}: P(win) {WinProbability:0.###}{(ConfiguredProbability is { } c ? $" (configured {c:0.###})" : "")}")
            : $"{Stage.Key}: insufficient data ({InsufficientDataReason})";

    /// <summary>The counts behind a stage's forecast.</summary>
    internal readonly record struct Evidence(long Censored, long WithOutcome, long WithoutOutcome, TimeSpan Threshold);
}
