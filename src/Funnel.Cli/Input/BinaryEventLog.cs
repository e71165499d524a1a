using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Bulk;

namespace Funnel.Cli.Input;

/// <summary>
/// The binary columnar event log format (<c>.bin</c>) of Funnel.Core.Bulk (<see cref="TransitionLogBinaryFormat"/>).
/// The format holds ordinals and codes only: entity keys are the dense ids as text, segments their codes as text.
/// </summary>
internal static class BinaryEventLog
{
    public static EventLogData Read(string path, FunnelDefinition definition)
    {
        var clock = Stopwatch.StartNew();
        TransitionLog log;
        try
        {
            log = TransitionLogBinaryFormat.ReadFile(path);
        }
        catch (TransitionLogFormatException ex)
        {
            throw new CliException($"{path}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot read the file: {ex.Message}", ex);
        }

        if (log.StageLimit > definition.Stages.Length || log.LossReasonLimit > definition.LossReasons.Length)
        {
            throw new CliException(
                $"{path}: the log has stage ordinals up to {log.StageLimit - 1} and loss-reason ordinals up to {log.LossReasonLimit - 1}, but '{definition.Key}' has {definition.Stages.Length} stages and {definition.LossReasons.Length} loss reasons.");
        }

        var segmentLimit = 0;
        if (log.HasSegments)
        {
            foreach (var code in log.Segments)
            {
                segmentLimit = Math.Max(segmentLimit, code + 1);
            }
        }

        return new EventLogData
        {
            Log = log,
            EntityKeys = [.. Enumerable.Range(0, log.EntityIdLimit).Select(i => i.ToString(CultureInfo.InvariantCulture))],
            SegmentNames = [.. Enumerable.Range(0, segmentLimit).Select(i => i.ToString(CultureInfo.InvariantCulture))],
            SegmentColumn = log.HasSegments ? "segment" : null,
            RowsRead = log.Count,
            BadRows = 0,
            ReadSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    public static void Write(string path, TransitionLog log, ImmutableArray<int> segmentCodes)
    {
        if (!segmentCodes.IsDefault)
        {
            log = TransitionLog.Create(log.EntityIds, log.Stages, log.Timestamps, log.LossReasons, segmentCodes.AsSpan());
        }

        TransitionLogBinaryFormat.WriteFile(log, path);
    }
}
