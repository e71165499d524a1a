using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Funnel.Core.Bulk;

/// <summary>
/// The streaming form of <see cref="TransitionAnalyzer"/>: feed a log chunk by chunk (in log order) with
/// <see cref="Add"/>, then take the partial aggregate with <see cref="ToAggregate"/>. Each chunk is partitioned by
/// entity id and processed on all allowed cores; per-entity state carries over from one chunk to the next, so the
/// result equals analysing the whole log at once.
/// </summary>
/// <remarks>
/// <para>Memory: 28 bytes of state per entity id up to the largest id seen (it also holds the entity's outcome so
/// far), 8 bytes per event of the current chunk (the partition buffer, reused between chunks; 16 for funnels with very many stages and loss reasons) and 4 bytes per stay
/// (the exact median needs every duration). The log itself need not fit in memory.</para>
/// <para>Within a chunk any order is accepted (a chunk that is not time ordered is sorted per entity); across
/// chunks every entity's events must keep their time order, otherwise <see cref="TransitionOrderException"/> is
/// thrown and the accumulator becomes unusable.</para>
/// <para>Instances are not thread-safe: call <see cref="Add"/> from one thread at a time (it parallelises
/// internally).</para>
/// </remarks>
public sealed class TransitionAccumulator
{
    private const int MaxBuckets = 512;
    private const int MinBucketShift = 12;

    private readonly TransitionAnalyzer _analyzer;
    private readonly EngineWorker[] _workers;
    private EntityState[] _states = [];
    private readonly bool _singleChunk;
    private bool _faulted;

    internal TransitionAccumulator(TransitionAnalyzer analyzer, bool singleChunk = false, DurationScratch? scratch = null)
    {
        _analyzer = analyzer;
        _singleChunk = singleChunk;
        _workers = new EngineWorker[analyzer.DegreeOfParallelism];
        for (var w = 0; w < _workers.Length; w++)
        {
            _workers[w] = new EngineWorker(analyzer.StageCount, analyzer.LossReasonCount, analyzer.WindowSeconds, analyzer.MaxJointCounters, scratch, analyzer.StepWindowSeconds, analyzer.Modes);
        }
    }

    /// <summary>Gets the number of events added so far.</summary>
    public long EventCount { get; private set; }

    /// <summary>Adds the next chunk of the log.</summary>
    /// <param name="chunk">The chunk; its events follow those of the previous chunks in log order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chunk"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The chunk has a stage or loss-reason ordinal beyond the analyzer's counts.</exception>
    /// <exception cref="TransitionOrderException">An entity's event is earlier than its events in an earlier chunk.</exception>
    /// <exception cref="InvalidOperationException">An earlier call failed, leaving the accumulator unusable.</exception>
    public void Add(TransitionLog chunk)
    {
        Guard.Against.Null(chunk);
        if (_faulted)
        {
            throw new InvalidOperationException("An earlier chunk failed; the accumulator is unusable. Start a new one.");
        }

        if (chunk.StageLimit > _analyzer.StageCount)
        {
            throw new ArgumentException($"The chunk has stage ordinal {chunk.StageLimit - 1}, but the analyzer counts {_analyzer.StageCount} stages.", nameof(chunk));
        }

        if (chunk.LossReasonLimit > _analyzer.LossReasonCount)
        {
            throw new ArgumentException($"The chunk has loss-reason ordinal {chunk.LossReasonLimit - 1}, but the analyzer counts {_analyzer.LossReasonCount} loss reasons.", nameof(chunk));
        }

        if (chunk.Count == 0)
        {
            return;
        }

        try
        {
            Process(chunk);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count >= 1)
        {
            _faulted = true;
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
            throw;
        }
        catch
        {
            _faulted = true;
            throw;
        }

        EventCount += chunk.Count;
    }

    /// <summary>Adds every chunk of an asynchronous sequence, in order.</summary>
    /// <param name="chunks">The chunks in log order.</param>
    /// <param name="cancellationToken">Cancels between chunks.</param>
    /// <returns>A task that completes when every chunk has been added.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="chunks"/> is <see langword="null"/>.</exception>
    /// <exception cref="TransitionOrderException">An entity's event is earlier than its events in an earlier chunk.</exception>
    public async Task AddAsync(IAsyncEnumerable<TransitionLog> chunks, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(chunks);
        await foreach (var chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            Add(chunk);
        }
    }

    /// <summary>Returns the partial aggregate of every event added so far. The accumulator stays usable.</summary>
    /// <returns>The aggregate; merge it with aggregates of other entities, or call <see cref="TransitionAggregate.ToReport"/>.</returns>
    public TransitionAggregate ToAggregate()
    {
        var builder = new AggregateBuilder(_analyzer.StageCount, _analyzer.LossReasonCount);
        foreach (var worker in _workers)
        {
            worker.CollectInto(builder);
        }

        if (!_singleChunk)
        {
            // Streaming: the carried state of every entity is its state after its latest event so far, so the
            // outcomes are counted here, once per entity id, and not per event; the state itself is left untouched.
            var lastEvents = new long[_analyzer.StageCount + 2];
            var levels = new long[_analyzer.StageCount + 1];
            EntityState.CountOutcomes(_states, _analyzer.StageCount, lastEvents, levels);
            builder.AddOutcomes(lastEvents, levels);
        }

        return TransitionAggregate.FromBuilder(builder, _analyzer.StageCount, _analyzer.GoalStage, _analyzer.LossReasonCount, _analyzer.WindowSeconds, _analyzer.StepWindowSeconds, _analyzer.Modes);
    }

    private void Process(TransitionLog chunk)
    {
        var n = chunk.Count;
        var limit = chunk.EntityIdLimit;
        if (!_singleChunk && _states.Length < limit)
        {
            var size = (int)Math.Min(Array.MaxLength, Math.Max(limit, (long)_states.Length * 3 / 2));
            Array.Resize(ref _states, size);
        }

        var shift = MinBucketShift;
        while (((limit - 1) >> shift) + 1 > MaxBuckets)
        {
            shift++;
        }

        // Events travel packed in 8 bytes when the funnel's ordinals fit beside the time, in 16 bytes otherwise.
        if (_analyzer.PackEvents && PackedCodec.TryCreate(shift, _analyzer.StageCount, _analyzer.LossReasonCount, out var codec))
        {
            Partition<ulong, PackedCodec>(
                chunk,
                shift,
                (start, end, records, offsets) => ScatterPacked(chunk.EntityIds[start..end], chunk.Stages[start..end], chunk.Timestamps[start..end], chunk.LossReasons[start..end], records, offsets, shift, codec),
                (firstId, local) => codec.ForBucket(firstId, local ? 0 : firstId));
        }
        else
        {
            Partition<EventRecord, WideCodec>(
                chunk,
                shift,
                (start, end, records, offsets) => Scatter(chunk.EntityIds[start..end], chunk.Stages[start..end], chunk.Timestamps[start..end], chunk.LossReasons[start..end], records, offsets, shift),
                (firstId, local) => new WideCodec(local ? firstId : 0));
        }
    }

    /// <summary>
    /// Partitions a chunk by entity-id bucket into a buffer rented from the shared pool (repeated analyses reuse memory
    /// that is already mapped), then processes the buckets on every worker.
    /// </summary>
    /// <param name="chunk">The chunk.</param>
    /// <param name="shift">Buckets hold 2^shift consecutive ids.</param>
    /// <param name="scatter">Writes the events of a part of the chunk to their places in the buffer.</param>
    /// <param name="codecFor">The codec of a bucket's records, given its first id, for bucket-local state (true) or the shared state (false).</param>
    private void Partition<TRecord, TCodec>(TransitionLog chunk, int shift, ScatterPart<TRecord> scatter, Func<int, bool, TCodec> codecFor)
        where TRecord : unmanaged
        where TCodec : struct, IRecordCodec<TRecord>
    {
        var ordered = chunk.IsTimeOrdered;
        var records = ArrayPool<TRecord>.Shared.Rent(chunk.Count);
        try
        {
            Partition(
                chunk,
                records,
                shift,
                (start, end, offsets) => scatter(start, end, records, offsets),
                (worker, firstId, idCount, bucket) =>
                {
                    if (_singleChunk)
                    {
                        worker.ProcessBucketLocal(bucket, idCount, codecFor(firstId, true), ordered);
                    }
                    else
                    {
                        worker.ProcessBucket(bucket, _states, codecFor(firstId, false), ordered);
                    }
                });
        }
        finally
        {
            // A log's worth of records of a big log is not kept by the pool (see PooledArrays).
            PooledArrays.Return(records);
        }
    }

    private void Partition<TRecord>(TransitionLog chunk, TRecord[] records, int shift, ScatterPart scatter, BucketBody<TRecord> process)
        where TRecord : unmanaged
    {
        var n = chunk.Count;
        var limit = chunk.EntityIdLimit;
        var buckets = ((limit - 1) >> shift) + 1;
        var dop = _workers.Length;
        var parts = (int)Math.Clamp(n / _analyzer.MinEventsPerScatterPart, 1, dop);

        // Pass 1 (parallel over contiguous parts): bucket histogram per part.
        var counts = new int[parts][];
        Run(parts, p =>
        {
            var (start, end) = PartRange(n, parts, p);
            counts[p] = Histogram(chunk.EntityIds[start..end], buckets, shift);
        });

        // Offsets: bucket-major, part-minor, so each bucket holds its events in log order.
        var bucketStart = new int[buckets + 1];
        var offsets = new int[parts][];
        for (var p = 0; p < parts; p++)
        {
            offsets[p] = new int[buckets];
        }

        var running = 0;
        for (var b = 0; b < buckets; b++)
        {
            bucketStart[b] = running;
            for (var p = 0; p < parts; p++)
            {
                offsets[p][b] = running;
                running += counts[p][b];
            }
        }

        bucketStart[buckets] = running;

        // Pass 2 (parallel): scatter into the partition buffer.
        Run(parts, p =>
        {
            var (start, end) = PartRange(n, parts, p);
            scatter(start, end, offsets[p]);
        });

        // Pass 3 (parallel, dynamic): each worker takes whole buckets (disjoint entity-id ranges).
        var next = -1;
        Run(dop, w =>
        {
            var worker = _workers[w];
            int b;
            while ((b = Interlocked.Increment(ref next)) < buckets)
            {
                var start = bucketStart[b];
                var length = bucketStart[b + 1] - start;
                if (length == 0)
                {
                    continue;
                }

                var firstId = b << shift;
                process(worker, firstId, Math.Min(1 << shift, limit - firstId), records.AsSpan(start, length));
            }
        });
    }

    // The loops live in their own methods, fully optimised at once: as lambdas called a few times per analysis
    // they would run as on-stack-replacement code for a long time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] Histogram(ReadOnlySpan<int> ids, int buckets, int shift)
    {
        var histogram = new int[buckets];
        unchecked
        {
            foreach (var id in ids)
            {
                histogram[id >> shift]++;
            }
        }

        return histogram;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scatter(
        ReadOnlySpan<int> ids,
        ReadOnlySpan<short> stages,
        ReadOnlySpan<long> times,
        ReadOnlySpan<short> reasons,
        EventRecord[] records,
        int[] offset,
        int shift)
    {
        unchecked
        {
            for (var i = 0; i < ids.Length; i++)
            {
                var id = ids[i];
                ref var target = ref records[offset[id >> shift]++];
                target.Entity = id;
                target.Stage = stages[i];
                target.Reason = reasons[i];
                target.Time = times[i];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScatterPacked(
        ReadOnlySpan<int> ids,
        ReadOnlySpan<short> stages,
        ReadOnlySpan<long> times,
        ReadOnlySpan<short> reasons,
        ulong[] records,
        int[] offset,
        int shift,
        PackedCodec codec)
    {
        unchecked
        {
            for (var i = 0; i < ids.Length; i++)
            {
                var id = ids[i];
                records[offset[id >> shift]++] = codec.Pack(id, stages[i], reasons[i], times[i]);
            }
        }
    }

    private void Run(int count, Action<int> body)
    {
        if (count == 1 || _workers.Length == 1)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = _workers.Length }, body);
    }

    private delegate void ScatterPart(int start, int end, int[] offsets);

    private delegate void ScatterPart<TRecord>(int start, int end, TRecord[] records, int[] offsets);

    private delegate void BucketBody<TRecord>(EngineWorker worker, int firstId, int idCount, Span<TRecord> bucket)
        where TRecord : unmanaged;

    private static (int Start, int End) PartRange(int n, int parts, int p) =>
        ((int)((long)n * p / parts), (int)((long)n * (p + 1) / parts));
}
