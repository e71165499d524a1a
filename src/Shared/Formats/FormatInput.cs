using Funnel.Core;
using Funnel.Core.Bulk;

namespace Funnel.Formats;

/// <summary>
/// The entry points every columnar format shares: argument checks, opening a file for one sequential asynchronous
/// pass, and copying a stream that cannot seek to memory; the format's own reading is the <c>core</c> delegate.
/// </summary>
internal static class FormatInput
{
    /// <summary>Reads a file: <paramref name="core"/> gets the open stream and <c>'path'</c> to name it in errors.</summary>
    public static async Task<TransitionLogReadResult> ReadFileAsync(string path, FunnelDefinition definition, TransitionLogColumns? columns, ReadCore core, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(definition);
        var names = ColumnNames.From(columns);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await core(stream, $"'{path}'", definition, names, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a stream from its start; one that cannot seek is first copied to memory.</summary>
    public static async Task<TransitionLogReadResult> ReadStreamAsync(Stream stream, FunnelDefinition definition, TransitionLogColumns? columns, ReadCore core, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(definition);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(stream));
        }

        var names = ColumnNames.From(columns);
        if (stream.CanSeek)
        {
            return await core(stream, "in the stream", definition, names, cancellationToken).ConfigureAwait(false);
        }

        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        copy.Position = 0;
        return await core(copy, "in the stream", definition, names, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A format's own reading of an open stream; <c>source</c> names it in errors.</summary>
    public delegate Task<TransitionLogReadResult> ReadCore(Stream stream, string source, FunnelDefinition definition, ColumnNames names, CancellationToken cancellationToken);
}
