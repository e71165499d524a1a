using System.Diagnostics;
using System.Globalization;
using Funnel.Core;
using Spectre.Console;

namespace Funnel.Cli.Input;

/// <summary>
/// Reads an event log file (CSV, or the binary columnar format by its <c>.bin</c> extension) with a progress bar on a
/// terminal, a summary line otherwise, and the bad rows reported with their line numbers.
/// </summary>
internal static class EventLogReader
{
    /// <summary>Files smaller than this get no progress bar (they are read in well under a second).</summary>
    private const long ProgressThresholdBytes = 4L << 20;

    public static EventLogData Read(string path, FunnelDefinition definition, long? maxBadRows, bool quiet, CliContext context, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"{path}: file not found.");
        }

        if (path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
        {
            return BinaryEventLog.Read(path, definition);
        }

        var reader = new EventCsvReader(definition);
        var size = new FileInfo(path).Length;
        EventLogData data;
        if (!quiet && context.ErrorIsTerminal && size >= ProgressThresholdBytes)
        {
            data = null!;
            context.CreateErrorConsole().Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(progress =>
                {
                    var task = progress.AddTask(Markup.Escape(Path.GetFileName(path)), maxValue: Math.Max(1, size));
                    var clock = Stopwatch.StartNew();
                    data = reader.Read(path, maxBadRows, (rows, bytes) =>
                    {
                        task.Value = bytes;
                        task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(path)}: {rows:N0} rows, {Rate(rows, clock.Elapsed.TotalSeconds)} rows/s"));
                    }, cancellationToken);
                    task.Value = size;
                });
        }
        else
        {
            data = reader.Read(path, maxBadRows, null, cancellationToken);
        }

        foreach (var bad in reader.BadRowSamples)
        {
            context.Error.WriteLine($"{path}:{bad.Line}: bad row skipped: {bad.Reason}");
        }

        if (data.BadRows > reader.BadRowSamples.Count)
        {
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: ... and {data.BadRows - reader.BadRowSamples.Count:N0} more bad rows skipped."));
        }

        if (!quiet)
        {
            context.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Read {data.RowsRead:N0} rows from {path} in {data.ReadSeconds:0.000} s ({Rate(data.RowsRead, data.ReadSeconds)} rows/s): {data.Log.Count:N0} events kept, {data.BadRows:N0} bad rows skipped."));
        }

        return data;
    }

    private static string Rate(long rows, double seconds) =>
        seconds <= 0 ? "n/a" : (rows / seconds).ToString("N0", CultureInfo.InvariantCulture);
}
