using System.Buffers;
using System.Runtime.CompilerServices;

namespace Funnel.Core.Bulk;

/// <summary>
/// Gives rented arrays back to <see cref="ArrayPool{T}.Shared"/> only when they are of a size worth keeping. The shared
/// pool keeps what it is given for the rest of the process (it trims only under memory pressure), so the buffers of one
/// analysis of a log of tens of millions of events — a few hundred megabytes — would stay mapped while the caller goes
/// on to other work (for example <c>funnel analyze</c> to the full metrics report). Up to <see cref="MaxPooledBytes"/>
/// (the buffers of a log of about 4 million events) they are pooled, so repeated analyses of such logs reuse memory that
/// is already mapped; larger ones are left to the garbage collector.
/// </summary>
internal static class PooledArrays
{
    /// <summary>The largest array, in bytes, given back to the pool: 32 MiB.</summary>
    internal const long MaxPooledBytes = 32L << 20;

    /// <summary>Whether an array of this many elements goes back to the pool.</summary>
    public static bool IsPooled<T>(int length) => (long)length * Unsafe.SizeOf<T>() <= MaxPooledBytes;

    /// <summary>Returns the array to the shared pool when <see cref="IsPooled{T}"/>, else drops it.</summary>
    public static void Return<T>(T[] array)
    {
        if (IsPooled<T>(array.Length))
        {
            ArrayPool<T>.Shared.Return(array);
        }
    }
}
