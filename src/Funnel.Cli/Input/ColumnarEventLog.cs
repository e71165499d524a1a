using System.Collections.Immutable;
using System.Diagnostics;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Formats.Arrow;
using Funnel.Formats.Parquet;

namespace Funnel.Cli.Input;

/// <summary>
/// Parquet (<c>.parquet</c>) and Arrow IPC (<c>.arrow</c>, <c>.arrows</c>, <c>.feather</c>) event logs, read once with
/// the adapter packages' readers (<see cref="TransitionLogParquetReader"/>, <see cref="TransitionLogArrowReader"/>) and
/// the column names of a CSV log (<see cref="TransitionLogColumns.CommonNames"/>): entity, stage, timestamp and
/// loss_reason or their alternatives, and the segment column source, segment or channel (the first of them the file
/// has). Bad rows are reported as "row N" (0-based row index in the file).
/// </summary>
internal static class ColumnarEventLog
{
    public static bool Handles(string path) =>
        path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) || IsArrow(path);

    public static EventLogData Read(string path, FunnelDefinition definition)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            // The readers take the names the CSV header accepts (one vocabulary), so the file is read once.
            var read = IsArrow(path)
                ? TransitionLogArrowReader.Read(path, definition, TransitionLogColumns.CommonNames)
                : TransitionLogParquetReader.Read(path, definition, TransitionLogColumns.CommonNames);
            return new EventLogData
            {
                Log = read.Log,
                EntityKeys = read.Entities.AsReadOnlyList(),
                SegmentNames = read.Segments.ToImmutableArray(),
                SegmentColumn = read.SegmentColumn,
                RowsRead = read.RowsRead,
                BadRows = read.RowsRejected,
                ColumnarErrors = read.Errors,
                ErrorCountsByColumn = read.ErrorCountsByColumn,
                UnknownKeys = read.UnknownKeys,
                ReadSeconds = clock.Elapsed.TotalSeconds,
            };
        }
        catch (TransitionLogFormatException ex)
        {
            throw new CliException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot read the file: {ex.Message}", ex);
        }
    }

    private static bool IsArrow(string path) =>
        path.EndsWith(".arrow", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".arrows", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".feather", StringComparison.OrdinalIgnoreCase);
}
