namespace Funnel.Core.Metrics;

/// <summary>The Markov forecast for a lead now at one stage before the goal.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class StageForecast
{
    internal StageForecast(Stage stage, long observedMoves, double win, double loss, double expectedMoves, TimeSpan expectedTime)
    {
        Stage = stage;
        ObservedMoves = observedMoves;
        WinProbability = win;
        LossProbability = loss;
        ExpectedMoves = expectedMoves;
        ExpectedTimeToClose = expectedTime;
    }

    /// <summary>Gets the stage.</summary>
    public Stage Stage { get; }

    /// <summary>Gets the number of observed moves out of the stage the chain learned from.</summary>
    public long ObservedMoves { get; }

    /// <summary>Gets a value indicating whether any move out of the stage was observed; without, its outcome is unknown.</summary>
    public bool HasData => ObservedMoves > 0;

    /// <summary>Gets the probability that a lead at this stage is eventually won.</summary>
    public double WinProbability { get; }

    /// <summary>Gets the probability that a lead at this stage is eventually lost.</summary>
    public double LossProbability { get; }

    /// <summary>Gets the probability of an unknown outcome: paths through stages without observed moves out.</summary>
    public double UnknownProbability => Math.Max(0, 1 - WinProbability - LossProbability);

    /// <summary>Gets the expected number of moves until the lead is won or lost.</summary>
    public double ExpectedMoves { get; }

    /// <summary>Gets the expected time until the lead is won or lost (stays weighted by their observed mean length).</summary>
    public TimeSpan ExpectedTimeToClose { get; }

    /// <summary>Gets the win probability configured on the stage (<see cref="Core.Stage.WinProbability"/>), or <see langword="null"/>.</summary>
    public double? ConfiguredProbability => Stage.WinProbability;

    /// <summary>Gets the learned minus the configured win probability, or <see langword="null"/> when none is configured.</summary>
    public double? Difference => ConfiguredProbability is { } configured ? WinProbability - configured : null;

    /// <summary>Returns the stage and its win probability.</summary>
    /// <returns>A text such as <c>b: P(win) 0.42 (configured 0.30)</c>.</returns>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Stage.Key}: P(win) {WinProbability:0.###}{(ConfiguredProbability is { } c ? $" (configured {c:0.###})" : "")}");
}
