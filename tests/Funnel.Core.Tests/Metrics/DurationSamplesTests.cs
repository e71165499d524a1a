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

    private static long[] Sorted(long[] values)
    {
        Array.Sort(values);
        return values;
    }
}
