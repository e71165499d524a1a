namespace Funnel.Core.Bulk;

/// <summary>
/// Counts the bytes the chunk parsers of one file read (from several threads) and passes the total to the caller's
/// <see cref="IProgress{T}"/>, capped at the file's length (a chunk that reads on into the next one counts those
/// bytes twice); each total is larger than the one before it, though two threads may report theirs out of order.
/// </summary>
internal sealed class CsvReadProgress
{
    private readonly IProgress<long> _sink;
    private readonly long _length;
    private long _total;

    public CsvReadProgress(IProgress<long> sink, long length)
    {
        _sink = sink;
        _length = length;
    }

    /// <summary>Counts <paramref name="bytes"/> more and reports the total.</summary>
    public void Add(long bytes)
    {
        if (bytes > 0)
        {
            _sink.Report(Math.Min(Interlocked.Add(ref _total, bytes), _length));
        }
    }
}
