#if !NET10_0_OR_GREATER
namespace Funnel.Core.Tests;

/// <summary>
/// The one System.Linq.AsyncEnumerable member the tests use, for the net8.0 run (.NET 10 has it in the box).
/// </summary>
internal static class AsyncEnumerableOnNet8
{
    public static async ValueTask<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source, CancellationToken cancellationToken = default)
    {
        var list = new List<T>();
        await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            list.Add(item);
        }

        return list;
    }
}
#endif
