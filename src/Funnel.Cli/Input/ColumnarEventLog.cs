using System.Diagnostics;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Formats.Arrow;
using Funnel.Formats.Parquet;

namespace Funnel.Cli.Input;

/// <summary>
/// Parquet (<c>.parquet</c>) and Arrow IPC (<c>.arrow</c>, <c>.arrows</c>, <c>.feather</c>) event logs, read with the
/// adapter packages' readers (<see cref="TransitionLogParquetReader"/>, <see cref="TransitionLogArrowReader"/>): the
/// columns entity, stage, timestamp and loss_reason, and the segment column source, segment or channel (the first of
/// them the file has). Bad rows are reported as "row N" (0-based row index in the file).
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
            // The readers take one segment column name; a column the file lacks is simply no segment. Try the names
            // the CSV header accepts, in order, until one gives segments (a file without any is read once per name).
            foreach (var segment in EventLogReader.SegmentNames)
            {
                var (log, entities, segments, rows, read) = IsArrow(path)
                    ? FromArrow(TransitionLogArrowReader.Read(path, definition, new TransitionLogColumns { SegmentColumn = segment }))
                    : FromParquet(TransitionLogParquetReader.Read(path, definition, new TransitionLogColumns { SegmentColumn = segment }));
                if (segments.Count == 0 && segment != EventLogReader.SegmentNames[^1])
                {
                    continue;
                }

                return new EventLogData
                {
                    Log = log,
                    EntityKeys = entities.ToImmutableArray(),
                    SegmentNames = segments.ToImmutableArray(),
                    SegmentColumn = segments.Count == 0 ? null : segment,
                    RowsRead = rows,
                    BadRows = read.RowsRejected,
                    ColumnarErrors = read.Errors,
                    ErrorCountsByColumn = read.ErrorCountsByColumn,
                    UnknownKeys = read.UnknownKeys,
                    ReadSeconds = clock.Elapsed.TotalSeconds,
                };
            }

            throw new UnreachableException();
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

    private static (TransitionLog, EntityInterner<string>, EntityInterner<string>, long, TransitionLogReadResult) FromArrow(TransitionLogReadResult r) =>
        (r.Log, r.Entities, r.Segments, r.RowsRead, r);

    private static (TransitionLog, EntityInterner<string>, EntityInterner<string>, long, TransitionLogReadResult) FromParquet(TransitionLogReadResult r) =>
        (r.Log, r.Entities, r.Segments, r.RowsRead, r);
}
