using System.Collections.Concurrent;
using Funnel.Core.Storage;
using Funnel.Storage.Specification;
using Npgsql;

namespace Funnel.Storage.PostgreSql.Tests;

/// <summary>
/// Writers that save the fault workload's journeys until stopped, through faults: a save that fails with a database
/// error is not acknowledged and the writer goes on (reloading, so a save that committed before its connection died
/// shows up as a version conflict, never as a second copy).
/// </summary>
internal sealed class FaultLoad
{
    private readonly ConcurrentDictionary<string, long> _acknowledged = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Exception> _unexpected = new();
    private int _failures;
    private int _saves;

    public FaultLoad(int journeys) => Ids = Enumerable.Range(0, journeys).Select(FaultWorkload.JourneyId).ToArray();

    public string[] Ids { get; }

    /// <summary>The highest acknowledged version per journey.</summary>
    public IReadOnlyDictionary<string, long> Acknowledged => _acknowledged;

    /// <summary>The saves that failed with a database error (the faults the writers saw).</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>The acknowledged saves.</summary>
    public int Saves => Volatile.Read(ref _saves);

    /// <summary>Errors that are not database errors; a fault must never cause one.</summary>
    public IReadOnlyCollection<Exception> Unexpected => _unexpected;

    /// <summary>Runs <paramref name="writers"/> writers on <paramref name="store"/> until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(JourneyStore store, int writers, int seed, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(n => Task.Run(() => WriteAsync(store, new Random(seed + n), stop), CancellationToken.None)));

    private async Task WriteAsync(JourneyStore store, Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var id = Ids[random.Next(Ids.Length)];
            try
            {
                var result = await FaultWorkload.SaveNextAsync(store, id, stop);
                if (result.Succeeded)
                {
                    _acknowledged.AddOrUpdate(id, result.StoredVersion!.Value, (_, known) => Math.Max(known, result.StoredVersion!.Value));
                    Interlocked.Increment(ref _saves);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException)
            {
                Interlocked.Increment(ref _failures);
                await Task.Delay(random.Next(5, 30), CancellationToken.None);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                _unexpected.Enqueue(exception);
                return;
            }
        }
    }
}
