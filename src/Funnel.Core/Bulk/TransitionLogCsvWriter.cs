using System.Globalization;
using System.Text;

namespace Funnel.Core.Bulk;

/// <summary>
/// Writes a <see cref="TransitionLog"/> as a CSV event log that <see cref="TransitionLogCsvReader"/> reads back to an
/// equal log: the same rows in the same order, with the same entity keys, stages, timestamps, loss reasons and
/// segments.
/// </summary>
/// <remarks>
/// <para>The header is <c>entity,stage,timestamp,loss_reason</c>, plus <c>segment</c> when the log has a segment
/// column (the names and the delimiter come from <see cref="TransitionLogCsvOptions"/>). Each row has the entity's
/// key, the stage's key, the timestamp as integer Unix seconds, the loss reason's key (empty for an entry event) and
/// the segment's key (empty for none). Rows end with LF.</para>
/// <para>A field is quoted (RFC 4180, with <c>"</c> doubled inside) only when it holds the delimiter, a quote, a CR or
/// an LF, starts or ends with white space (which the reader keeps either way, but other tools may trim), or starts
/// with a byte order mark. Everything else is written as is, so keys stay exact: no trimming, no case or Unicode
/// normalisation.</para>
/// <para>This type is stateless and thread-safe; a <see cref="TextWriter"/> must not be shared by concurrent calls.</para>
/// </remarks>
public static class TransitionLogCsvWriter
{
    /// <summary>Writes a log as CSV.</summary>
    /// <param name="writer">The text to write to; left open and not flushed.</param>
    /// <param name="log">The log.</param>
    /// <param name="definition">The funnel whose stages and loss reasons the log's ordinals refer to.</param>
    /// <param name="entityKeys">The key of every entity id, indexed by id (for example <see cref="TransitionLogCsvReader.Entities"/>' <see cref="EntityInterner{TKey}.ToImmutableArray"/>); distinct and not empty.</param>
    /// <param name="segmentKeys">The key of every segment code, indexed by code; distinct and not empty. Required when the log has a segment column, ignored otherwise.</param>
    /// <param name="options">The column names and delimiter; <see langword="null"/> for <see cref="TransitionLogCsvOptions.Default"/>. Read the text back with the same options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/>, <paramref name="log"/>, <paramref name="definition"/> or <paramref name="entityKeys"/> is <see langword="null"/>, or <paramref name="segmentKeys"/> is <see langword="null"/> while the log has a segment column.</exception>
    /// <exception cref="ArgumentException">
    /// The log could not be read back as it is: a row has a stage or loss-reason ordinal the definition lacks, or an
    /// entity id or segment code outside the key lists; a key it uses is <see langword="null"/> or empty; two ids share
    /// a key; or the delimiter is a quote, CR or LF. Nothing is written then; the message names the row or key.
    /// </exception>
    public static void Write(
        TextWriter writer,
        TransitionLog log,
        FunnelDefinition definition,
        IReadOnlyList<string> entityKeys,
        IReadOnlyList<string>? segmentKeys = null,
        TransitionLogCsvOptions? options = null)
    {
        Guard.Against.Null(writer);
        options = CheckArguments(log, definition, entityKeys, segmentKeys, options);
        WriteRows(writer, log, definition, entityKeys, segmentKeys, options);
    }

    /// <summary>Writes a log as a UTF-8 CSV file (without a byte order mark), replacing the file.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="log">The log.</param>
    /// <param name="definition">The funnel whose stages and loss reasons the log's ordinals refer to.</param>
    /// <param name="entityKeys">The key of every entity id, indexed by id; distinct and not empty.</param>
    /// <param name="segmentKeys">The key of every segment code, indexed by code; distinct and not empty. Required when the log has a segment column, ignored otherwise.</param>
    /// <param name="options">The column names and delimiter; <see langword="null"/> for <see cref="TransitionLogCsvOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/> as described in <see cref="Write"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or the log could not be read back as it is (see <see cref="Write"/>); the file is not created then.</exception>
    public static void WriteFile(
        string path,
        TransitionLog log,
        FunnelDefinition definition,
        IReadOnlyList<string> entityKeys,
        IReadOnlyList<string>? segmentKeys = null,
        TransitionLogCsvOptions? options = null)
    {
        Guard.Against.NullOrEmptyText(path);
        options = CheckArguments(log, definition, entityKeys, segmentKeys, options);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16);
        WriteRows(writer, log, definition, entityKeys, segmentKeys, options);
    }

    /// <summary>The checks both entry points share: nulls, then that the log can be read back as it is.</summary>
    private static TransitionLogCsvOptions CheckArguments(
        TransitionLog log,
        FunnelDefinition definition,
        IReadOnlyList<string> entityKeys,
        IReadOnlyList<string>? segmentKeys,
        TransitionLogCsvOptions? options,
        [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(segmentKeys))] string segmentKeysName = "segmentKeys")
    {
        Guard.Against.Null(log);
        Guard.Against.Null(definition);
        Guard.Against.Null(entityKeys);
        Guard.Against.MissingSegmentKeys(log, segmentKeys, segmentKeysName);

        options ??= TransitionLogCsvOptions.Default;
        Validate(log, definition, entityKeys, log.HasSegments ? segmentKeys : null, options);
        return options;
    }

    private static void WriteRows(TextWriter writer, TransitionLog log, FunnelDefinition definition, IReadOnlyList<string> entityKeys, IReadOnlyList<string>? segmentKeys, TransitionLogCsvOptions options)
    {
        var delimiter = options.Delimiter;
        var stageKeys = definition.Stages.Select(s => Encode(s.Key.Value, delimiter)).ToArray();
        var reasonKeys = definition.LossReasons.Select(r => Encode(r.Key.Value, delimiter)).ToArray();
        var header = new StringBuilder()
            .Append(Encode(options.EntityColumn, delimiter)).Append(delimiter)
            .Append(Encode(options.StageColumn, delimiter)).Append(delimiter)
            .Append(Encode(options.TimestampColumn, delimiter)).Append(delimiter)
            .Append(Encode(options.LossReasonColumn, delimiter));
        if (log.HasSegments)
        {
            header.Append(delimiter).Append(Encode(options.SegmentColumn, delimiter));
        }

        writer.Write(header.Append('\n').ToString());

        Span<char> number = stackalloc char[24];
        for (var i = 0; i < log.Count; i++)
        {
            WriteField(writer, entityKeys[log.EntityIds[i]], delimiter);
            writer.Write(delimiter);
            writer.Write(stageKeys[log.Stages[i]]);
            writer.Write(delimiter);
            log.Timestamps[i].TryFormat(number, out var written, provider: CultureInfo.InvariantCulture);
            writer.Write(number[..written]);
            writer.Write(delimiter);
            var reason = log.LossReasons[i];
            if (reason != TransitionLog.NoLossReason)
            {
                writer.Write(reasonKeys[reason]);
            }

            if (log.HasSegments)
            {
                writer.Write(delimiter);
                var segment = log.Segments[i];
                if (segment != TransitionLog.NoSegment)
                {
                    WriteField(writer, segmentKeys![segment], delimiter);
                }
            }

            writer.Write('\n');
        }
    }

    /// <summary>Checks before anything is written that every row can be written and read back as it is.</summary>
    private static void Validate(TransitionLog log, FunnelDefinition definition, IReadOnlyList<string> entityKeys, IReadOnlyList<string>? segmentKeys, TransitionLogCsvOptions options)
    {
        Guard.Against.InvalidCsvDelimiter(options.Delimiter, nameof(options));
        CheckKeys(entityKeys, "entity", nameof(entityKeys));
        if (segmentKeys is not null)
        {
            CheckKeys(segmentKeys, "segment", nameof(segmentKeys));
        }

        var stageCount = definition.Stages.Length;
        var reasonCount = definition.LossReasons.Length;
        for (var i = 0; i < log.Count; i++)
        {
            if (log.EntityIds[i] >= entityKeys.Count)
            {
                throw new ArgumentException($"Row {i}: the entity id {log.EntityIds[i]} has no key (there are {entityKeys.Count} entity keys).", nameof(entityKeys));
            }

            if (log.Stages[i] >= stageCount)
            {
                throw new ArgumentException($"Row {i}: the stage ordinal {log.Stages[i]} is not a stage of '{definition.Key}' (0..{stageCount - 1}).", nameof(log));
            }

            if (log.LossReasons[i] >= reasonCount)
            {
                throw new ArgumentException($"Row {i}: the loss-reason ordinal {log.LossReasons[i]} is not a loss reason of '{definition.Key}' (0..{reasonCount - 1}).", nameof(log));
            }

            if (segmentKeys is not null && log.Segments[i] >= segmentKeys.Count)
            {
                throw new ArgumentException($"Row {i}: the segment code {log.Segments[i]} has no key (there are {segmentKeys.Count} segment keys).", nameof(segmentKeys));
            }
        }
    }

    /// <summary>Every key must be readable back to its id: not empty (an empty field means "none" or is rejected) and not shared by two ids.</summary>
    private static void CheckKeys(IReadOnlyList<string> keys, string what, string parameter)
    {
        var ids = new Dictionary<string, int>(keys.Count, StringComparer.Ordinal);
        for (var id = 0; id < keys.Count; id++)
        {
            var key = keys[id];
            if (string.IsNullOrEmpty(key))
            {
                throw new ArgumentException($"The {what} key of id {id} is {(key is null ? "null" : "empty")}; an empty field cannot be read back as a key.", parameter);
            }

            if (!ids.TryAdd(key, id))
            {
                throw new ArgumentException($"The {what} ids {ids[key]} and {id} have the same key; they would be read back as one.", parameter);
            }
        }
    }

    private static void WriteField(TextWriter writer, string text, char delimiter)
    {
        if (NeedsQuotes(text, delimiter))
        {
            writer.Write(Quote(text));
        }
        else
        {
            writer.Write(text);
        }
    }

    private static string Encode(string text, char delimiter) => NeedsQuotes(text, delimiter) ? Quote(text) : text;

    private static bool NeedsQuotes(string text, char delimiter) =>
        text.Length == 0
        || text.AsSpan().IndexOfAny(delimiter, '"', '\r') >= 0
        || text.Contains('\n', StringComparison.Ordinal)
        || char.IsWhiteSpace(text[0])
        || char.IsWhiteSpace(text[^1])
        || text[0] == '\uFEFF';

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
