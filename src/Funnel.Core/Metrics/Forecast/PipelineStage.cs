namespace Funnel.Core.Metrics;

/// <summary>One stage of a <see cref="WeightedPipeline"/>: its open leads, their value, the stage probability and the weighted value.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class PipelineStage
{
    internal PipelineStage(Stage stage, long openLeads, decimal value, double? probability)
    {
        Stage = stage;
        OpenLeads = openLeads;
        Value = value;
        Probability = probability;
        WeightedValue = probability is { } p ? value * (decimal)p : 0m;
    }

    /// <summary>Gets the stage.</summary>
    public Stage Stage { get; }

    /// <summary>Gets the number of open leads at the stage.</summary>
    public long OpenLeads { get; }

    /// <summary>Gets the total value of those leads.</summary>
    public decimal Value { get; }

    /// <summary>Gets the win probability used, or <see langword="null"/> when the stage has none (its value is not weighted in).</summary>
    public double? Probability { get; }

    /// <summary>Gets <see cref="Value"/> × <see cref="Probability"/>; 0 without a probability.</summary>
    public decimal WeightedValue { get; }

    /// <summary>Returns the stage and its weighted value.</summary>
    /// <returns>A text such as <c>b: 3 open, value 3000, weighted 900</c>.</returns>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Stage.Key}: {OpenLeads} open, value {Value}, weighted {WeightedValue}");
}
