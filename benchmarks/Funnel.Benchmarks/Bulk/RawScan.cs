using System.Numerics;
using Funnel.Core.Bulk;

namespace Funnel.Benchmarks.Bulk;

/// <summary>The memory-bandwidth floor: read entity, stage, timestamp and loss-reason columns once, vectorised.</summary>
public static class RawScan
{
    public static long Scan(TransitionLog log, int start, int end) =>
        Sum(log.EntityIds[start..end]) + Sum(log.Stages[start..end]) + Sum(log.Timestamps[start..end]) + Sum(log.LossReasons[start..end]);

    public static long ScanParallel(TransitionLog log)
    {
        var parts = Environment.ProcessorCount;
        var sums = new long[parts];
        Parallel.For(0, parts, p =>
        {
            var start = (int)((long)log.Count * p / parts);
            var end = (int)((long)log.Count * (p + 1) / parts);
            sums[p] = Scan(log, start, end);
        });
        return sums.Sum();
    }

    private static long Sum<T>(ReadOnlySpan<T> values)
        where T : struct, INumber<T>
    {
        var acc = Vector<T>.Zero;
        var i = 0;
        for (; i <= values.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            acc += new Vector<T>(values.Slice(i));
        }

        var total = T.Zero;
        for (var k = 0; k < Vector<T>.Count; k++)
        {
            total += acc[k];
        }

        for (; i < values.Length; i++)
        {
            total += values[i];
        }

        return long.CreateTruncating(total);
    }
}
