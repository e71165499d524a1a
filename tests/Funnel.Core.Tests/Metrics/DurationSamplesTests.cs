using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Metrics;

namespace Funnel.Core.Tests.Metrics;

/// <summary>
/// <see cref="DurationSamples"/>, the samples behind a report's exact medians: 4-byte values in chunks, with the
/// values that do not fit kept apart, and stores that share each other's chunks. Whatever the values and however
/// they are spread over stores, a store gives back exactly the values added to it and to the stores it took.
/// </summary>
public sealed class DurationSamplesTests
{
    private static readonly Gen<long> Durations = Gen.OneOf(
        Gen.Choose(0, 100_000).Select(v => (long)v),
        Gen.Elements(0L, 1L, uint.MaxValue - 1L, uint.MaxValue, uint.MaxValue + 1L, long.MaxValue, -1L, long.MinValue, 10_000_000_000L));

    [Property(MaxTest = 300)]
    public Property ToArray_GivesTheValuesOfTheStoreAndOfTheStoresItTook()
    {
        // Values added to three stores in turns; at some points the first takes the others (which go on adding).
        var cases = from values in Durations.ListOf()
                    from stores in Gen.Choose(0, 2).ListOf()
                    from takes in Gen.Choose(0, 300).ListOf()
                    select (values, stores, takes);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var samples = new[] { new DurationSamples(), new DurationSamples(), new DurationSamples() };
            var expected = new[] { new List<long>(), new List<long>(), new List<long>() };
            var takes = c.takes.ToHashSet();
            for (var i = 0; i < c.values.Count; i++)
            {
                var store = c.stores.Count == 0 ? 0 : c.stores[i % c.stores.Count];
                samples[store].Add(c.values[i]);
                expected[store].Add(c.values[i]);
                if (takes.Contains(i))
                {
                    samples[0].AddFrom(samples[1]);
                    samples[0].AddFrom(samples[2]);
                    expected[0].AddRange([.. expected[1], .. expected[2]]);
                }
            }

            return Enumerable.Range(0, 3).All(s => samples[s].Count == expected[s].Count && Sorted(samples[s].ToArray()).SequenceEqual(Sorted([.. expected[s]])))
                .Label($"stores: {string.Join(" / ", samples.Select(s => string.Join(",", Sorted(s.ToArray()))))}");
        });
    }

    [Property(MaxTest = 300)]
    public Property ToSummary_EqualsTheSummaryOfTheSortedCopy()
    {
        // Values spread over two stores, one taking the other: the summary is selected where the values lie.
        var cases = from values in Gen.OneOf(Durations, Gen.Choose(0, 200_000).Select(v => (long)v * 20_000)).ListOf()
                    from split in Gen.Choose(0, 100)
                    select (values, split);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var samples = StoreOf(c.values, c.split);
            var expected = DurationSummary.FromOwnedArray([.. c.values]);
            var actual = samples.ToSummary();
            return (actual.Equals(expected) && actual.UpperMedianSeconds == expected.UpperMedianSeconds)
                .Label($"expected {Describe(expected)}, got {Describe(actual)}");
        });
    }

    [Fact]
    public void ToSummary_OfManySamplesInOneHighBucketAndOutside_FindsEachRank()
    {
        // 70,000 samples: the median and the 90th percentile fall into the same and into different 65,536-wide buckets,
        // with values kept apart below and above the 4-byte range.
        var values = new List<long> { -5, -1, uint.MaxValue + 7L };
        values.AddRange(Enumerable.Range(0, 70_000).Select(i => (long)(i % 3 == 0 ? 65_536 + i : 3 * i)));
        var samples = StoreOf(values, 40);

        var expected = DurationSummary.FromOwnedArray([.. values]);
        var actual = samples.ToSummary();
        Assert.Equal(expected, actual);
        Assert.Equal(expected.UpperMedianSeconds, actual.UpperMedianSeconds);
        Assert.Equal(default, new DurationSamples().ToSummary());
    }

    [Property(MaxTest = 200)]
    public Property HistogramOf_EqualsTheHistogramOfTheSortedCopy()
    {
        var edges = Gen.Choose(0, 50_000).Select(v => (long)v).ListOf().Select(l => l.Distinct().Order().ToArray());
        // Durations a histogram can bin (the automatic bins of values spread over the whole long range overflow, sorted or not).
        var durations = Gen.OneOf(
            Gen.Choose(0, 100_000).Select(v => (long)v),
            Gen.Elements(0L, 1L, -1L, uint.MaxValue - 1L, uint.MaxValue, uint.MaxValue + 1L, 10_000_000_000L));
        var cases = from values in durations.ListOf()
                    from split in Gen.Choose(0, 100)
                    from edgeList in edges
                    select (values, split, edgeList);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var samples = StoreOf(c.values, c.split);
            var sorted = c.values.Order().ToArray();
            var bins = c.edgeList.Length == 0 ? ConversionTimeBins.Automatic : ConversionTimeBins.Edges(c.edgeList.Select(e => TimeSpan.FromSeconds(e)));
            var expected = bins.HistogramOfSorted(sorted);
            var actual = bins.HistogramOf(samples);
            return actual.Equals(expected).Label($"{bins}: expected {string.Join(" ", expected.Bins)}, got {string.Join(" ", actual.Bins)}");
        });
    }

    [Fact]
    public void Add_BeyondSeveralChunks_KeepsEveryValueOnce()
    {
        var samples = new DurationSamples();
        var count = DurationSamples.MaxChunkLength * 3 + DurationSamples.FirstChunkLength + 5;
        for (var i = 0; i < count; i++)
        {
            samples.Add(count - i);
        }

        var values = samples.ToArray();
        Array.Sort(values);
        Assert.Equal(count, samples.Count);
        Assert.Equal(Enumerable.Range(1, count).Select(v => (long)v), values);
    }

    [Fact]
    public void AddFrom_ThenTheOtherStoreGoesOn_TheSnapshotStays()
    {
        var other = new DurationSamples();
        other.Add(1);
        other.Add(uint.MaxValue + 1L);
        var total = new DurationSamples();
        total.AddFrom(other);

        // The other store writes past the shared part of its chunk and into its outside list.
        other.Add(2);
        other.Add(-3);

        Assert.Equal([1L, uint.MaxValue + 1L], Sorted(total.ToArray()));
        Assert.Equal([-3L, 1L, 2L, uint.MaxValue + 1L], Sorted(other.ToArray()));
    }

    [Fact]
    public void ShareSamples_OnAnAccumulatorThatKeepsItsOwn_IsRefused()
    {
        var definition = MetricsFixtures.Abcd;
        var total = new ReportAccumulator(definition, FunnelQuery.Default, DateTimeOffset.UnixEpoch);

        var error = Assert.Throws<InvalidOperationException>(() => total.ShareSamples([]));
        Assert.Contains("keeps its own samples", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A store of the values: the first <paramref name="percent"/> % added to a second store that the first then takes.</summary>
    private static DurationSamples StoreOf(List<long> values, int percent)
    {
        var store = new DurationSamples();
        var other = new DurationSamples();
        var cut = values.Count * percent / 100;
        for (var i = 0; i < values.Count; i++)
        {
            (i < cut ? other : store).Add(values[i]);
        }

        store.AddFrom(other);
        return store;
    }

    private static string Describe(DurationSummary s) =>
        $"n={s.Count} total={s.TotalSeconds} median={s.MedianSeconds} upper={s.UpperMedianSeconds} p90={s.P90Seconds}";

    private static long[] Sorted(long[] values)
    {
        Array.Sort(values);
        return values;
    }
}
