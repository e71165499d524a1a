using System.Collections.Immutable;
using System.Globalization;

namespace Funnel.Core.Metrics;

/// <summary>
/// How the time-to-convert histograms of a report are binned (<see cref="FunnelQuery.ConversionTimeBins"/>): automatic
/// bins (<see cref="Automatic"/>, the default) or explicit edges (<see cref="Edges"/>). See <see cref="DurationHistogram"/>.
/// </summary>
/// <remarks>Instances are immutable and thread-safe; two settings with the same edges are equal.</remarks>
public sealed class ConversionTimeBins : IEquatable<ConversionTimeBins>
{
    private readonly long[] _edgeSeconds;

    private ConversionTimeBins(long[] edgeSeconds)
    {
        _edgeSeconds = edgeSeconds;
        BinEdges = [.. edgeSeconds.Select(s => TimeSpan.FromTicks(s * TimeSpan.TicksPerSecond))];
    }

    /// <summary>Gets the automatic binning (Sturges' bin count, a width from a ladder of round durations): the default.</summary>
    public static ConversionTimeBins Automatic { get; } = new([]);

    /// <summary>Gets a value indicating whether the bins are automatic.</summary>
    public bool IsAutomatic => _edgeSeconds.Length == 0;

    /// <summary>Gets the explicit bin edges, strictly ascending; empty when <see cref="IsAutomatic"/>.</summary>
    public ImmutableArray<TimeSpan> BinEdges { get; }

    /// <summary>Creates explicit bins: [e_0, e_1), …, [e_m, ∞), and (−∞, e_0) when a value lies below e_0.</summary>
    /// <param name="edges">The edges: at least one, whole seconds, not negative, strictly ascending.</param>
    /// <returns>The binning.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="edges"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There is no edge, or an edge is negative, not whole seconds or not after the previous one.</exception>
    public static ConversionTimeBins Edges(IEnumerable<TimeSpan> edges)
    {
        Guard.Against.Null(edges);
        var list = edges.ToArray();
        var seconds = new long[list.Length];
        for (var i = 0; i < list.Length; i++)
        {
            if (list[i] < TimeSpan.Zero || list[i].Ticks % TimeSpan.TicksPerSecond != 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Bin edge {i} ({list[i]}) must be whole seconds and not negative."), nameof(edges));
            }

            seconds[i] = list[i].Ticks / TimeSpan.TicksPerSecond;
        }

        DurationHistogram.CheckEdges(seconds, nameof(edges));
        return new ConversionTimeBins(seconds);
    }

    /// <summary>Builds the histogram of durations with these bins.</summary>
    /// <param name="seconds">The durations in whole seconds.</param>
    /// <returns>The histogram.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="seconds"/> is <see langword="null"/>.</exception>
    public DurationHistogram Histogram(IEnumerable<long> seconds)
    {
        Guard.Against.Null(seconds);
        var values = seconds.ToArray();
        Array.Sort(values);
        return HistogramOfSorted(values);
    }

    /// <inheritdoc />
    public bool Equals(ConversionTimeBins? other) => other is not null && _edgeSeconds.AsSpan().SequenceEqual(other._edgeSeconds);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ConversionTimeBins);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var edge in _edgeSeconds)
        {
            hash.Add(edge);
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns the binning as text.</summary>
    /// <returns><c>automatic</c>, or the edges in seconds such as <c>edges [0, 3600, 86400]</c>.</returns>
    public override string ToString() => IsAutomatic ? "automatic" : $"edges [{string.Join(", ", _edgeSeconds.Select(e => e.ToString(CultureInfo.InvariantCulture)))}]";

    /// <summary>The histogram of durations sorted ascending.</summary>
    internal DurationHistogram HistogramOfSorted(long[] sorted) =>
        IsAutomatic ? DurationHistogram.AutomaticOfSorted(sorted) : DurationHistogram.WithEdgesOfSorted(sorted, _edgeSeconds);

    /// <summary>The histogram of the samples of a report, counted where they lie.</summary>
    internal DurationHistogram HistogramOf(DurationSamples samples) =>
        IsAutomatic ? DurationHistogram.AutomaticOf(samples) : DurationHistogram.WithEdgesOf(samples, _edgeSeconds);
}
