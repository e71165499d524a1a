using Funnel.Core;
using Funnel.Core.Bulk;
using Parquet;
using Parquet.Schema;

namespace Funnel.Formats.Parquet;

/// <summary>
/// Reads a Parquet event log into a <see cref="TransitionLog"/> for the bulk engine, with the rules of
/// <see cref="TransitionLogCsvReader"/>: columns mapped by name (<see cref="TransitionLogColumns"/>), stages and
/// loss reasons by the definition's keys or by ordinal, entity keys and segments interned to dense ids in order of
/// first appearance, every bad row reported with its index, column and reason while the good rows are kept.
/// </summary>
/// <remarks>
/// <para>Column types: the entity and segment columns are integers (8 to 64 bits, signed or unsigned) or strings
/// (an integer key is interned by its exact decimal text, so a string <c>007</c> and an integer <c>7</c> are
/// different keys); stage and loss reason are strings (keys, or ordinals written as text) or integers (ordinals; a
/// loss reason of null, empty text or -1 means an entry event); the timestamp column is an integer of Unix seconds or
/// a Parquet timestamp of any unit (millis, micros, nanos, INT96), read as UTC and <b>rounded down to the whole
/// second</b> (1.999 s is second 1, -0.5 s is second -1), as the CSV reader does with ISO 8601 times. Parquet.Net
/// hands timestamps over at 100 ns precision, so a nanosecond timestamp before 1970 whose part below 100 ns is not
/// zero can land one second late; later timestamps are exact.</para>
/// <para>A file that is not Parquet, a truncated file, a missing required column or a column of a type that cannot
/// hold its values throws one <see cref="TransitionLogFormatException"/> naming the file and the columns; the
/// Parquet library's own exceptions never escape.</para>
/// <para>The reader is fully managed and holds two row groups' columns at a time beside the log it builds: the next is
/// read on another thread while one is decoded, column by column. Text columns of the common shapes (flat
/// <c>BYTE_ARRAY</c> chunks of data pages v1, <c>PLAIN</c> or dictionary-encoded, uncompressed, Snappy, gzip or
/// Zstandard) are read straight from the file as UTF-8 slices of the decompressed pages; every other chunk, and every
/// integer and timestamp column, is read by Parquet.Net, with the same result. Keys are interned only for kept rows,
/// as in the CSV reader.</para>
/// <para>All members are thread-safe: each call reads on its own.</para>
/// </remarks>
public static class TransitionLogParquetReader
{
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    /// <summary>Reads a Parquet file.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="definition">The funnel whose stage and loss-reason keys the file uses.</param>
    /// <param name="options">The column names; <see langword="null"/> for <see cref="TransitionLogColumns.Default"/>.</param>
    /// <returns>The log of the valid rows, the keys behind its ids and every rejected row.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> or a column name is blank.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TransitionLogFormatException">The file is not Parquet, is truncated, or lacks a required column or has one of the wrong type.</exception>
    public static TransitionLogReadResult Read(string path, FunnelDefinition definition, TransitionLogColumns? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(definition);

        // Parquet.Net is asynchronous only; run it off the caller's synchronization context so that this never deadlocks.
        return Task.Run(() => ReadAsync(path, definition, options)).GetAwaiter().GetResult();
    }

    /// <summary>Reads a Parquet file from a stream that holds the whole file from position 0.</summary>
    /// <param name="stream">The file; read, not disposed. A stream that cannot seek is first copied to memory (Parquet keeps its schema at the end).</param>
    /// <param name="definition">The funnel whose stage and loss-reason keys the file uses.</param>
    /// <param name="options">The column names; <see langword="null"/> for <see cref="TransitionLogColumns.Default"/>.</param>
    /// <returns>The log of the valid rows, the keys behind its ids and every rejected row.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read, or a column name is blank.</exception>
    /// <exception cref="TransitionLogFormatException">The data is not Parquet, is truncated, or lacks a required column or has one of the wrong type.</exception>
    public static TransitionLogReadResult Read(Stream stream, FunnelDefinition definition, TransitionLogColumns? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(definition);
        return Task.Run(() => ReadAsync(stream, definition, options)).GetAwaiter().GetResult();
    }

    /// <summary>Reads a Parquet file asynchronously.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="definition">The funnel whose stage and loss-reason keys the file uses.</param>
    /// <param name="options">The column names; <see langword="null"/> for <see cref="TransitionLogColumns.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the read between columns.</param>
    /// <returns>The log of the valid rows, the keys behind its ids and every rejected row.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> or a column name is blank.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TransitionLogFormatException">The file is not Parquet, is truncated, or lacks a required column or has one of the wrong type.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<TransitionLogReadResult> ReadAsync(string path, FunnelDefinition definition, TransitionLogColumns? options = null, CancellationToken cancellationToken = default) =>
        FormatInput.ReadFileAsync(path, definition, options, ReadCoreAsync, cancellationToken);

    /// <summary>Reads a Parquet file asynchronously from a stream that holds the whole file from position 0.</summary>
    /// <param name="stream">The file; read, not disposed. A stream that cannot seek is first copied to memory (Parquet keeps its schema at the end).</param>
    /// <param name="definition">The funnel whose stage and loss-reason keys the file uses.</param>
    /// <param name="options">The column names; <see langword="null"/> for <see cref="TransitionLogColumns.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the read between columns.</param>
    /// <returns>The log of the valid rows, the keys behind its ids and every rejected row.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read, or a column name is blank.</exception>
    /// <exception cref="TransitionLogFormatException">The data is not Parquet, is truncated, or lacks a required column or has one of the wrong type.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<TransitionLogReadResult> ReadAsync(Stream stream, FunnelDefinition definition, TransitionLogColumns? options = null, CancellationToken cancellationToken = default) =>
        FormatInput.ReadStreamAsync(stream, definition, options, ReadCoreAsync, cancellationToken);

    private static async Task<TransitionLogReadResult> ReadCoreAsync(Stream stream, string source, FunnelDefinition definition, ColumnNames names, CancellationToken cancellationToken)
    {
        await CheckMagicAsync(stream, source, cancellationToken).ConfigureAwait(false);
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsLibraryFailure(ex))
        {
            throw new TransitionLogFormatException($"The Parquet file {source} is damaged: its footer cannot be read ({ex.Message}).", innerException: ex);
        }

        await using (reader.ConfigureAwait(false))
        {
            var fields = reader.Schema.Fields;
            var resolver = new ColumnResolver(source, [.. fields.Select(f => (f.Name, ParquetColumns.Describe(f)))]);
            var entity = Resolve(resolver, fields, ColumnNames.Candidates(names.Entity, names.EntityAlternatives), "entity", required: true, ParquetColumns.Shape.Integer, ParquetColumns.Shape.Text, out var entityName);
            var stage = Resolve(resolver, fields, ColumnNames.Candidates(names.Stage, names.StageAlternatives), "stage", required: true, ParquetColumns.Shape.Integer, ParquetColumns.Shape.Text, out var stageName);
            var time = Resolve(resolver, fields, ColumnNames.Candidates(names.Timestamp, names.TimestampAlternatives), "timestamp", required: true, ParquetColumns.Shape.Integer, ParquetColumns.Shape.Timestamp, out var timeName);
            var reason = Resolve(resolver, fields, ColumnNames.Candidates(names.LossReason, names.LossReasonAlternatives), "loss-reason", required: false, ParquetColumns.Shape.Integer, ParquetColumns.Shape.Text, out var reasonName);
            var segment = Resolve(resolver, fields, ColumnNames.Candidates(names.Segment, names.SegmentAlternatives), "segment", required: false, ParquetColumns.Shape.Integer, ParquetColumns.Shape.Text, out var segmentName);
            resolver.ThrowIfProblems("Parquet");
            names = names with { Entity = entityName, Stage = stageName, Timestamp = timeName, LossReason = reasonName, Segment = segmentName };

            var totalRows = 0L;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                totalRows += reader.RowGroups[g].RowCount;
            }

            var decoder = new RowDecoder(definition, names, segment is null ? null : segment.Name, totalRows);
            var columns = new[] { entity!, stage!, time!, reason, segment };

            // Reading a row group (decompressing, decoding pages, checking and converting each column) and committing
            // its rows to the log (interning keys, in file order) take about as long as each other, so the next group
            // is read and prepared on another thread while this one is committed. The reader is used by one thread at
            // a time: the read of group g + 1 starts after that of group g has ended.
            Task<(ColumnView?[] Views, RowDecoder.Batch Batch)>? next = reader.RowGroupCount > 0 ? ReadAheadAsync(0) : null;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                ColumnView?[] views;
                RowDecoder.Batch batch;
                try
                {
                    (views, batch) = await next!.ConfigureAwait(false);
                }
                catch (Exception ex) when (IsLibraryFailure(ex))
                {
                    throw new TransitionLogFormatException(
                        $"The Parquet file {source} is damaged: row group {g} (from row {decoder.RowsRead}) cannot be read ({ex.Message}).", innerException: ex);
                }

                next = g + 1 < reader.RowGroupCount ? ReadAheadAsync(g + 1) : null;
                try
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    decoder.Commit(batch);
                }
                catch when (next is not null)
                {
                    // Let the read ahead end before the reader is disposed; its own failure is not the one to report.
                    await next.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
                    throw;
                }
                finally
                {
                    batch.Dispose();
                    foreach (var view in views)
                    {
                        (view as IDisposable)?.Dispose();
                    }
                }
            }

            Task<(ColumnView?[] Views, RowDecoder.Batch Batch)> ReadAheadAsync(int group) => Task.Run(
                async () =>
                {
                    var views = await ReadRowGroupAsync(stream, reader, group, columns, cancellationToken).ConfigureAwait(false);
                    var rows = checked((int)reader.RowGroups[group].RowCount);
                    return (views, decoder.Prepare(rows, views[0]!, views[1]!, views[2]!, views[3], views[4]));
                },
                cancellationToken);

            return decoder.ToResult();
        }
    }

    /// <summary>Reads the mapped columns of one row group (null where a column is not mapped).</summary>
    private static async Task<ColumnView?[]> ReadRowGroupAsync(Stream stream, ParquetReader reader, int group, DataField?[] columns, CancellationToken cancellationToken)
    {
        using var rowGroup = reader.OpenRowGroupReader(group);
        var rows = checked((int)rowGroup.RowCount);
        var views = new ColumnView?[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            if (columns[c] is { } field)
            {
                views[c] = await ParquetColumns.ReadAsync(stream, rowGroup, field, rows, cancellationToken).ConfigureAwait(false);
            }
        }

        return views;
    }

    private static DataField? Resolve(ColumnResolver resolver, IReadOnlyList<Field> fields, string[] names, string role, bool required, ParquetColumns.Shape first, ParquetColumns.Shape second, out string matched)
    {
        var index = resolver.Find(names, required, out matched);
        if (index < 0)
        {
            return null;
        }

        var shape = ParquetColumns.Classify(fields[index]);
        if (shape != first && shape != second)
        {
            resolver.Unsupported(index, role, second == ParquetColumns.Shape.Timestamp ? "an integer (Unix seconds) or a TIMESTAMP of any unit" : "an integer or a STRING");
            return null;
        }

        return (DataField)fields[index];
    }

    /// <summary>Checks the magic bytes at both ends, so that a file that is not Parquet or was cut short gets a plain message.</summary>
    private static async Task CheckMagicAsync(Stream stream, string source, CancellationToken cancellationToken)
    {
        var length = stream.Length;
        var head = new byte[4];
        var tail = new byte[4];
        stream.Position = 0;
        var headRead = await stream.ReadAtLeastAsync(head, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (headRead < 4 || !head.AsSpan().SequenceEqual(Magic))
        {
            throw new TransitionLogFormatException($"The file {source} is not a Parquet file: it does not start with the bytes 'PAR1'.", byteOffset: 0);
        }

        if (length >= 12)
        {
            stream.Position = length - 4;
            await stream.ReadExactlyAsync(tail, cancellationToken).ConfigureAwait(false);
        }

        if (length < 12 || !tail.AsSpan().SequenceEqual(Magic))
        {
            throw new TransitionLogFormatException(
                $"The Parquet file {source} is truncated: it does not end with the bytes 'PAR1' that close a complete file ({length} bytes).", byteOffset: length);
        }

        stream.Position = 0;
    }

    private static bool IsLibraryFailure(Exception ex) => ex is not (OperationCanceledException or OutOfMemoryException or TransitionLogFormatException);
}
