using System.Collections.Immutable;
using System.Globalization;

namespace Funnel.Core.Metrics;

/// <summary>
/// The weighted pipeline: for each stage, the open leads (open under the definition's <see cref="FunnelDefinition.Outcome"/>) × the stage's win probability × their value, and the total.
/// The probabilities are the configured <see cref="Stage.WinProbability"/> values, or learned ones (<see cref="MarkovForecast.ToProbabilities"/>).
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
/// <example>
/// <code>
/// var configured = WeightedPipeline.Compute(definition, journeys, "amount");
/// var learned = WeightedPipeline.Compute(definition, journeys, "amount", MarkovForecast.Learn(definition, history).ToProbabilities());
/// </code>
/// </example>
public sealed class WeightedPipeline
{
    private WeightedPipeline(ImmutableArray<PipelineStage> stages)
    {
        Stages = stages;
        OpenLeads = stages.Sum(s => s.OpenLeads);
        TotalValue = stages.Sum(s => s.Value);
        WeightedValue = stages.Sum(s => s.WeightedValue);
    }

    /// <summary>Gets every stage, in stage order.</summary>
    public ImmutableArray<PipelineStage> Stages { get; }

    /// <summary>Gets the number of open leads.</summary>
    public long OpenLeads { get; }

    /// <summary>Gets the total value of the open leads.</summary>
    public decimal TotalValue { get; }

    /// <summary>Gets the expected value: the sum of the stages' weighted values.</summary>
    public decimal WeightedValue { get; }

    /// <summary>Gets one stage.</summary>
    /// <param name="stage">The stage key.</param>
    /// <returns>The stage's numbers.</returns>
    /// <exception cref="KeyNotFoundException">No stage has that key.</exception>
    public PipelineStage this[StageKey stage] =>
        Stages.FirstOrDefault(s => s.Stage.Key == stage) ?? throw new KeyNotFoundException($"No stage '{stage}' in the pipeline.");

    /// <summary>Computes the weighted pipeline of the open journeys, the value read from a journey attribute.</summary>
    /// <param name="definition">The funnel definition.</param>
    /// <param name="journeys">The journeys; only open ones count, at their current stage.</param>
    /// <param name="valueAttribute">The attribute holding the deal value as an invariant-culture decimal, such as <c>amount</c>.</param>
    /// <param name="probabilities">Win probability per stage; <see langword="null"/> for the configured stage probabilities.</param>
    /// <param name="defaultValue">The value of a journey without the attribute; <see langword="null"/> (the default) to reject such journeys.</param>
    /// <returns>The pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="journeys"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="valueAttribute"/> is blank, or a probability is outside [0, 1].</exception>
    /// <exception cref="MetricsInputException">A journey follows another definition, lacks the attribute (and no default is given), or its value is not a decimal.</exception>
    public static WeightedPipeline Compute(
        FunnelDefinition definition,
        IEnumerable<Journey> journeys,
        string valueAttribute,
        IReadOnlyDictionary<StageKey, double>? probabilities = null,
        decimal? defaultValue = null)
    {
        Guard.Against.NullOrBlank(valueAttribute);
        return Compute(
            definition,
            journeys,
            journey =>
            {
                if (!journey.Attributes.TryGetValue(valueAttribute, out var text))
                {
                    return defaultValue ?? throw new MetricsInputException($"Journey '{journey.Id}' has no attribute '{valueAttribute}' and no default value is given.", journey.Id, -1);
                }

                return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new MetricsInputException($"Journey '{journey.Id}' has '{valueAttribute}' = '{text}', which is not a decimal number.", journey.Id, -1);
            },
            probabilities);
    }

    /// <summary>Computes the weighted pipeline of the open journeys with a value function.</summary>
    /// <param name="definition">The funnel definition.</param>
    /// <param name="journeys">The journeys; only open ones count, at their current stage.</param>
    /// <param name="value">The deal value of a journey.</param>
    /// <param name="probabilities">Win probability per stage; <see langword="null"/> for the configured stage probabilities.</param>
    /// <returns>The pipeline.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="probabilities"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A probability is outside [0, 1] or names an unknown stage.</exception>
    /// <exception cref="MetricsInputException">A journey follows another definition.</exception>
    public static WeightedPipeline Compute(
        FunnelDefinition definition,
        IEnumerable<Journey> journeys,
        Func<Journey, decimal> value,
        IReadOnlyDictionary<StageKey, double>? probabilities = null)
    {
        Guard.Against.Null(definition);
        Guard.Against.Null(journeys);
        Guard.Against.Null(value);
        var n = definition.Stages.Length;
        var probability = new double?[n];
        for (var s = 0; s < n; s++)
        {
            probability[s] = definition.Stages[s].WinProbability;
        }

        if (probabilities is not null)
        {
            Array.Clear(probability);
            foreach (var (key, p) in probabilities)
            {
                if (!(p >= 0 && p <= 1))
                {
                    throw new ArgumentException($"The probability of stage '{key}' is {p}, outside [0, 1].", nameof(probabilities));
                }

                probability[definition.GetStage(key).Order] = p;
            }
        }

        var counts = new long[n];
        var values = new decimal[n];
        var position = 0L;
        foreach (var journey in journeys)
        {
            if (journey is null || (!ReferenceEquals(journey.Definition, definition) && !journey.Definition.Equals(definition)))
            {
                throw new MetricsInputException($"The journey at position {position} is null or follows another funnel than '{definition.Key}'.", journey?.Id, position);
            }

            // Open under the definition's outcome rule: under "reached" a lead won once and reopened is not in the pipeline.
            var open = definition.Outcome == OutcomeRule.LastStatus ? journey.Status == JourneyStatus.Open : LeadTracks.FromJourney(definition, journey).Status == JourneyStatus.Open;
            if (open)
            {
                var stage = journey.CurrentStage.Order;
                counts[stage]++;
                values[stage] += value(journey);
            }

            position++;
        }

        return new WeightedPipeline([.. Enumerable.Range(0, n).Select(s => new PipelineStage(definition.Stages[s], counts[s], values[s], probability[s]))]);
    }
}
