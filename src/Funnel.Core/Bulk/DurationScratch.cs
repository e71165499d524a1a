using System.Buffers;

namespace Funnel.Core.Bulk;

/// <summary>
/// Pooled memory for the stay durations of one analysis that ends in a report: the workers carve their duration
/// segments out of one array rented from <see cref="ArrayPool{T}.Shared"/>, and the array goes back to the pool once
/// the report (which keeps only the medians) is made. Fresh memory costs a page fault per 4 KiB on first touch, which
/// on a virtual machine took longer than the whole per-event pass; pooled memory is already mapped. The array of a
/// big log is not given back but left to the garbage collector (<see cref="PooledArrays"/>).
/// </summary>
/// <remarks>Thread-safe for <see cref="TryTake"/>; dispose once, after every worker has finished.</remarks>
internal sealed class DurationScratch : IDisposable
{
    private uint[]? _buffer;
    private int _next;

    private DurationScratch(uint[] buffer) => _buffer = buffer;

    /// <summary>Rents room for at least <paramref name="capacity"/> durations.</summary>
    public static DurationScratch Rent(long capacity) =>
        new(ArrayPool<uint>.Shared.Rent((int)Math.Clamp(capacity, 1, Array.MaxLength)));

    /// <summary>Takes the next <paramref name="length"/> free elements, or returns false when the array is used up.</summary>
    public bool TryTake(int length, out uint[] array, out int start)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(DurationScratch));
        var end = Interlocked.Add(ref _next, length);
        if (end < 0 || end > buffer.Length)
        {
            // Keep the counter from wrapping around on repeated calls after exhaustion.
            Interlocked.Exchange(ref _next, buffer.Length);
            array = [];
            start = 0;
            return false;
        }

        array = buffer;
        start = end - length;
        return true;
    }

    /// <summary>Returns the array to the pool (unless it is too large to keep, see <see cref="PooledArrays"/>); every segment taken from it is dead from now on.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            PooledArrays.Return(buffer);
        }
    }
}
