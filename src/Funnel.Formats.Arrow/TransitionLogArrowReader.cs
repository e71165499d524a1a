using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Funnel.Core;
using Funnel.Core.Bulk;

namespace Funnel.Formats.Arrow;

/// <summary>
/// Reads an Arrow IPC event log — the file format (Feather v2, <c>.arrow</c>) or the stream format
/// (<c>.arrows</c>) — into a <see cref="TransitionLog"/> for the bulk engine, with the rules of
/// <see cref="TransitionLogCsvReader"/>: columns mapped by name (<see cref="TransitionLogColumns"/>), stages and
/// loss reasons by the definition's keys or by ordinal, entity keys and segments interned to dense ids in order of
/// first appearance, every bad row reported with its index, column and reason while the good rows are kept.
/// </summary>
/// <remarks>
/// <para>Column types: the entity and segment columns are integers (8 to 64 bits, signed or unsigned) or strings
/// (<c>utf8</c>, <c>large_utf8</c>, <c>utf8_view</c>, or a dictionary of strings such as a pandas categorical); an
/// integer key is interned by its exact decimal text, so a string <c>007</c> and an integer <c>7</c> are different
/// keys. Stage and loss reason are strings (keys, or ordinals written as text) or integers (ordinals; a loss reason of
/// null, empty text or -1 means an entry event). The timestamp column is an integer of Unix seconds or a
/// <c>timestamp</c> of any unit (s, ms, us, ns; with or without a time zone, always read as the UTC instant it
/// stores), <b>rounded down to the whole second</b> exactly (1.999 s is second 1, -0.5 s is second -1), as the CSV
/// reader does with ISO 8601 times. LZ4- and ZSTD-compressed buffers (pyarrow's Feather default) are read.</para>
/// <para>Data that is not Arrow IPC, a truncated file, a missing required column or a column of a type that cannot
/// hold its values throws one <see cref="TransitionLogFormatException"/> naming the file and the columns; the Arrow
/// library's own exceptions never escape. One record batch is held at a time beside the log being built.</para>
/// <para>All members are thread-safe: each call reads on its own.</para>
/// </remarks>
public static class TransitionLogArrowReader
{
    private static readonly CompressionCodecFactory Codecs = new();

    private static ReadOnlySpan<byte> FileMagic => "ARROW1"u8;

    /// <summary>Reads an Arrow IPC file or stream from a file.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="definition">The funnel whose stage and loss-reason keys the file uses.</param>
    /// <param name="options">The column names; <see langword="null"/> for <see cref="TransitionLogColumns.Default"/>.</param>
    /// <returns>The log of the valid rows, the keys behind its ids and every rejected row.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> or a column name is blank.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TransitionLogFormatException">The file is not Arrow IPC, is truncated, or lacks a required column or has one of the wrong type.</exception>
    public static TransitionLogReadResult Read(string path, FunnelDefinition definition, TransitionLogColumns? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(definition);
        return Task.Run(() => ReadAsync(path, definition, options)).GetAwaiter().GetResult();
    }

    /// <summary>Reads an Arrow IPC file or stream from a stream positioned at its start.</summary>
    /// <param name="stream">The data; read, not disposed. A stream that cannot seek is first copied to memory.</param>
    /// <param name="definition">The funnel whose stage and loss-reason keys the data uses.</param>
    /// <param name="options">The column names; <see langword="null"/> for <see cref="TransitionLogColumns.Default"/>.</param>
    /// <returns>The log of the valid rows, the keys behind its ids and every rejected row.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read, or a column name is blank.</exception>
    /// <exception cref="TransitionLogFormatException">The data is not Arrow IPC, is truncated, or lacks a required column or has one of the wrong type.</exception>
    public static TransitionLogReadResult Read(Stream stream, FunnelDefinition definition, TransitionLogColumns? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(definition);
        return Task.Run(() => ReadAsync(stream, definition, options)).GetAwaiter().GetResult();
    }

    /// <summary>Reads an Arrow IPC file or stream from a file, asynchronously.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="definition">The funnel whose stage and loss-reason keys the file uses.</param>
    /// <param name="options">The column names; <see langword="null"/> for <see cref="TransitionLogColumns.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the read between record batches.</param>
    /// <returns>The log of the valid rows, the keys behind its ids and every rejected row.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> or a column name is blank.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TransitionLogFormatException">The file is not Arrow IPC, is truncated, or lacks a required column or has one of the wrong type.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<TransitionLogReadResult> ReadAsync(string path, FunnelDefinition definition, TransitionLogColumns? options = null, CancellationToken cancellationToken = default) =>
        FormatInput.ReadFileAsync(path, definition, options, ReadCoreAsync, cancellationToken);

    /// <summary>Reads an Arrow IPC file or stream from a stream positioned at its start, asynchronously.</summary>
    /// <param name="stream">The data; read, not disposed. A stream that cannot seek is first copied to memory.</param>
    /// <param name="definition">The funnel whose stage and loss-reason keys the data uses.</param>
    /// <param name="options">The column names; <see langword="null"/> for <see cref="TransitionLogColumns.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the read between record batches.</param>
    /// <returns>The log of the valid rows, the keys behind its ids and every rejected row.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read, or a column name is blank.</exception>
    /// <exception cref="TransitionLogFormatException">The data is not Arrow IPC, is truncated, or lacks a required column or has one of the wrong type.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<TransitionLogReadResult> ReadAsync(Stream stream, FunnelDefinition definition, TransitionLogColumns? options = null, CancellationToken cancellationToken = default) =>
        FormatInput.ReadStreamAsync(stream, definition, options, ReadCoreAsync, cancellationToken);

    private static async Task<TransitionLogReadResult> ReadCoreAsync(Stream stream, string source, FunnelDefinition definition, ColumnNames names, CancellationToken cancellationToken)
    {
        var isFile = await DetectAsync(stream, source, cancellationToken).ConfigureAwait(false);
        using var reader = isFile ? new ArrowFileReader(stream, (Apache.Arrow.Memory.MemoryAllocator?)null, Codecs, true) : new ArrowStreamReader(stream, Codecs, leaveOpen: true);
        Schema schema;
        try
        {
            schema = await reader.GetSchema(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsLibraryFailure(ex))
        {
            throw new TransitionLogFormatException($"The Arrow IPC {(isFile ? "file" : "stream")} {source} is damaged: its schema cannot be read ({ex.Message}).", innerException: ex);
        }

        var fields = schema.FieldsList;
        var resolver = new ColumnResolver(source, [.. fields.Select(f => (f.Name, ArrowColumns.Describe(f.DataType)))]);
        var entity = Resolve(resolver, fields, ColumnNames.Candidates(names.Entity, names.EntityAlternatives), "entity", required: true, ArrowColumns.Shape.Integer, ArrowColumns.Shape.Text, out var entityName);
        var stage = Resolve(resolver, fields, ColumnNames.Candidates(names.Stage, names.StageAlternatives), "stage", required: true, ArrowColumns.Shape.Integer, ArrowColumns.Shape.Text, out var stageName);
        var time = Resolve(resolver, fields, ColumnNames.Candidates(names.Timestamp, names.TimestampAlternatives), "timestamp", required: true, ArrowColumns.Shape.Integer, ArrowColumns.Shape.Timestamp, out var timeName);
        var reason = Resolve(resolver, fields, ColumnNames.Candidates(names.LossReason, names.LossReasonAlternatives), "loss-reason", required: false, ArrowColumns.Shape.Integer, ArrowColumns.Shape.Text, out var reasonName);
        var segment = Resolve(resolver, fields, ColumnNames.Candidates(names.Segment, names.SegmentAlternatives), "segment", required: false, ArrowColumns.Shape.Integer, ArrowColumns.Shape.Text, out var segmentName);
        resolver.ThrowIfProblems("Arrow IPC");
        names = names with { Entity = entityName, Stage = stageName, Timestamp = timeName, LossReason = reasonName, Segment = segmentName };

        var decoder = new RowDecoder(definition, names, segment >= 0 ? resolver.NameAt(segment) : null, capacityHint: 1 << 16);
        var batchNumber = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RecordBatch? batch;
            try
            {
                batch = await reader.ReadNextRecordBatchAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsLibraryFailure(ex))
            {
                throw new TransitionLogFormatException(
                    $"The Arrow IPC {(isFile ? "file" : "stream")} {source} is damaged or truncated: record batch {batchNumber} (from row {decoder.RowsRead}) cannot be read ({ex.Message}).",
                    innerException: ex);
            }

            if (batch is null)
            {
                break;
            }

            using (batch)
            {
                try
                {
                    decoder.AddBatch(
                        batch.Length,
                        ArrowColumns.View(batch.Column(entity)),
                        ArrowColumns.View(batch.Column(stage)),
                        ArrowColumns.View(batch.Column(time)),
                        reason >= 0 ? ArrowColumns.View(batch.Column(reason)) : null,
                        segment >= 0 ? ArrowColumns.View(batch.Column(segment)) : null);
                }
                catch (Exception ex) when (ex is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException)
                {
                    throw new TransitionLogFormatException(
                        $"The Arrow IPC {(isFile ? "file" : "stream")} {source} is damaged: record batch {batchNumber} (from row {decoder.RowsRead}) holds inconsistent data ({ex.Message}).",
                        innerException: ex);
                }
            }

            batchNumber++;
        }
        return decoder.ToResult();
    }

    private static int Resolve(ColumnResolver resolver, IReadOnlyList<Field> fields, string[] names, string role, bool required, ArrowColumns.Shape first, ArrowColumns.Shape second, out string matched)
    {
        var index = resolver.Find(names, required, out matched);
        if (index < 0)
        {
            return -1;
        }

        var shape = ArrowColumns.Classify(fields[index].DataType);
        if (shape != first && shape != second)
        {
            resolver.Unsupported(index, role, second == ArrowColumns.Shape.Timestamp ? "an integer (Unix seconds) or a timestamp of any unit" : "an integer or a string (utf8, large_utf8, utf8_view or a dictionary of strings)");
            return -1;
        }

        return index;
    }

    /// <summary>Tells the file format (magic <c>ARROW1</c> at both ends) from the stream format (a message starting with the continuation marker 0xFFFFFFFF).</summary>
    private static async Task<bool> DetectAsync(Stream stream, string source, CancellationToken cancellationToken)
    {
        var length = stream.Length - stream.Position;
        var start = stream.Position;
        var head = new byte[8];
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        stream.Position = start;
        if (read >= 6 && head.AsSpan(0, 6).SequenceEqual(FileMagic))
        {
            var tail = new byte[6];
            if (length >= 14)
            {
                stream.Position = start + length - tail.Length;
                await stream.ReadExactlyAsync(tail, cancellationToken).ConfigureAwait(false);
                stream.Position = start;
            }

            if (length < 14 || !tail.AsSpan().SequenceEqual(FileMagic))
            {
                throw new TransitionLogFormatException(
                    $"The Arrow IPC file {source} is truncated: it does not end with the bytes 'ARROW1' that close a complete file ({length} bytes).", byteOffset: length);
            }

            return true;
        }

        if (read >= 8 && head.AsSpan(0, 4).SequenceEqual((ReadOnlySpan<byte>)[0xFF, 0xFF, 0xFF, 0xFF]))
        {
            return false;
        }

        throw new TransitionLogFormatException(
            $"The file {source} is not Arrow IPC data: it starts neither with the bytes 'ARROW1' of the file format nor with the continuation marker 0xFFFFFFFF of the stream format.",
            byteOffset: 0);
    }

    private static bool IsLibraryFailure(Exception ex) => ex is not (OperationCanceledException or OutOfMemoryException or TransitionLogFormatException);
}
