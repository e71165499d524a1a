namespace Funnel.Core.Tests.Bulk;

internal static class TestExtensions
{
#pragma warning disable CS1998 // An async iterator without awaits is the simplest IAsyncEnumerable.
    public static async IAsyncEnumerable<T> ToAsyncEnumerable<T>(this IEnumerable<T> source)
    {
        foreach (var item in source)
        {
            yield return item;
        }
    }
#pragma warning restore CS1998
}
