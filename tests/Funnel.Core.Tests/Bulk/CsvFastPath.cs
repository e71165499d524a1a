using System.Text;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>Runs <see cref="TransitionLogCsvReader.ReadFile(string, FunnelDefinition, TransitionLogCsvOptions)"/> on text written to a temporary file, and compares results.</summary>
internal static class CsvFastPath
{
    /// <summary>Writes the bytes to a temporary file and reads it with the fast path (optionally with forced small chunks and buffers).</summary>
    public static TransitionLogCsvResult ReadBytes(byte[] bytes, FunnelDefinition definition, TransitionLogCsvOptions? options = null, long? chunkBytes = null, int? bufferBytes = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"funnel-csv-{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(path, bytes);
        try
        {
            return chunkBytes is null && bufferBytes is null
                ? TransitionLogCsvReader.ReadFile(path, definition, options)
                : CsvFileIngest.Read(path, definition, options, chunkBytes, bufferBytes);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>What the streaming reader gives for the same bytes opened as a UTF-8 text file.</summary>
    public static TransitionLogCsvResult ReadStreaming(byte[] bytes, FunnelDefinition definition, TransitionLogCsvOptions? options = null)
    {
        using var text = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return TransitionLogCsvReader.Read(text, definition, options);
    }

    /// <summary>Everything a result says, as text, for comparing two results in one assertion (with the log's limits, which the fast path computes while reading).</summary>
    public static string Describe(TransitionLogCsvResult result)
    {
        // The keys as the reader keeps them (made one at a time from its UTF-8 arena), read before the snapshot that
        // makes them all: both must give the same keys.
        var view = result.Entities.AsReadOnlyList();
        var viewed = Enumerable.Range(0, view.Count).Select(id => view[id]).ToList();
        var entities = result.Entities.ToImmutableArray();
        return $"rows {result.RowsRead}, kept {result.RowsKept}, segments {result.Log.HasSegments}\n"
            + $"limits: entities {result.Log.EntityIdLimit}, stages {result.Log.StageLimit}, reasons {result.Log.LossReasonLimit}, time ordered {result.Log.IsTimeOrdered}\n"
            + $"log: {string.Join(" ", TransitionLogCsvWriterTests.Rows(result.Log))}\n"
            + $"entities: [{string.Join("|", entities.Select(Escape))}]\n"
            + (viewed.SequenceEqual(entities) && view.SequenceEqual(entities) ? "" : $"entities before the snapshot: [{string.Join("|", viewed.Select(Escape))}]\n")
            + $"segments: [{string.Join("|", result.Segments.ToImmutableArray().Select(Escape))}]\n"
            + $"errors:\n{string.Join("\n", result.Errors.Select(e => $"{e} [{e.Kind} {(e.Value is null ? "-" : Escape(e.Value))}]"))}\n"
            + $"by column: {string.Join(", ", result.ErrorCountsByColumn)}\n"
            + $"unknown keys: {string.Join(", ", result.UnknownKeys.Select(u => Escape(u.ToString())))}";
    }

    private static string Escape(string key) => string.Concat(key.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
}
