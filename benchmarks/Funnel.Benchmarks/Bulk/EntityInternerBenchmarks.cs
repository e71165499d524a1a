using BenchmarkDotNet.Attributes;
using Funnel.Core.Bulk;

namespace Funnel.Benchmarks.Bulk;

/// <summary>
/// The cost of turning string or GUID entity keys into dense ids, once per event, measured apart from the
/// analysis: a naive TryGetValue-then-Add dictionary (baseline) against <see cref="EntityInterner{TKey}"/>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class EntityInternerBenchmarks
{
    private string[] _stringKeys = [];
    private Guid[] _guidKeys = [];

    /// <summary>Gets or sets the number of events whose keys are interned.</summary>
    [Params(1_000_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var log = GeneratedLog.FirstEvents(Events);
        var ids = log.EntityIds;
        _stringKeys = new string[ids.Length];
        _guidKeys = new Guid[ids.Length];
        var names = new string[log.EntityIdLimit];
        var guids = new Guid[log.EntityIdLimit];
        var random = new Random(42);
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = $"lead-{i:D8}";
            var bytes = new byte[16];
            random.NextBytes(bytes);
            guids[i] = new Guid(bytes);
        }

        for (var i = 0; i < ids.Length; i++)
        {
            _stringKeys[i] = names[ids[i]];
            _guidKeys[i] = guids[ids[i]];
        }
    }

    [Benchmark(Baseline = true)]
    public int NaiveDictionaryStrings()
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var sum = 0;
        foreach (var key in _stringKeys)
        {
            if (!ids.TryGetValue(key, out var id))
            {
                id = ids.Count;
                ids.Add(key, id);
            }

            sum += id;
        }

        return sum;
    }

    [Benchmark]
    public int InternStrings()
    {
        var interner = new EntityInterner<string>(StringComparer.Ordinal);
        var sum = 0;
        foreach (var key in _stringKeys)
        {
            sum += interner.Intern(key);
        }

        return sum;
    }

    [Benchmark]
    public int InternGuids()
    {
        var interner = new EntityInterner<Guid>();
        var sum = 0;
        foreach (var key in _guidKeys)
        {
            sum += interner.Intern(key);
        }

        return sum;
    }
}
