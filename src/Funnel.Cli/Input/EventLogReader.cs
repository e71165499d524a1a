using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Bulk;

namespace Funnel.Cli.Input;

/// <summary>
/// Reads an event log file with the readers of Funnel.Core.Bulk — CSV (the fast path,
/// <see cref="TransitionLogCsvReader.ReadFile(string, FunnelDefinition, TransitionLogCsvOptions)"/>, on every core) or the binary columnar format (<see cref="TransitionLogBinaryFormat"/>, by the <c>.bin</c> extension) — with
/// a progress bar on a terminal for a read that takes over a second (<see cref="ReadProgressBar"/>), a summary line, and the bad rows reported with their line numbers.
/// </summary>
internal static class EventLogReader
{
    /// <summary>The segment column's names, in the order a columnar file is tried with them (the CSV header accepts the same, <see cref="TransitionLogCsvOptions.CommonNames"/>).</summary>
    public static readonly string[] SegmentNames = [TransitionLogCsvOptions.CommonNames.SegmentColumn, .. TransitionLogCsvOptions.CommonNames.SegmentColumnAlternatives];

    private const int MaxSamples = 20;

    public static EventLogData Read(string path, FunnelDefinition definition, long? maxBadRows, bool quiet, CliContext context, CancellationToken cancellationToken)
    {
        InputFile.Require(path, "the event log file");

        EventLogData data;
        var samples = new List<CsvRowError>();
        var columnarSamples = new List<string>();
        var tally = new BadRowTally(definition);
        if (path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
        {
            data = BinaryEventLog.Read(path, definition);
        }
        else if (ColumnarEventLog.Handles(path))
        {
            data = ColumnarEventLog.Read(path, definition, columnarSamples, MaxSamples, tally);
        }
        else
        {
            try
            {
                // On a terminal, a read that takes over a second shows a progress bar (bytes read, events/s).
                data = ReadProgressBar.Run(context, quiet, path, progress => ReadCsv(path, definition, maxBadRows, samples, tally, progress, cancellationToken));
            }
            catch (CliException)
            {
                // Stopped at --max-bad-rows: the hints say why so many rows were bad, when a key is merely misspelt.
                tally.Hints.Write(context);
                throw;
            }
        }

        foreach (var bad in samples)
        {
            context.Error.WriteLine($"{path}:{bad.LineNumber}: bad row skipped: {Describe(bad)}");
        }

        foreach (var bad in columnarSamples)
        {
            context.Error.WriteLine($"{path}: bad row skipped: {bad}");
        }

        var shown = samples.Count + columnarSamples.Count;
        if (data.BadRows > shown)
        {
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: ... and {data.BadRows - shown:N0} more bad rows skipped."));
        }

        tally.Hints.Write(context);

        if (maxBadRows is { } limit && data.BadRows > limit && columnarSamples.Count > 0)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{path}: {data.BadRows:N0} bad rows, more than --max-bad-rows {limit:N0}."));
        }

        if (!quiet)
        {
            context.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Read {data.RowsRead:N0} rows from {path} in {data.ReadSeconds:0.000} s ({Rate(data.RowsRead, data.ReadSeconds)} rows/s): {data.Log.Count:N0} events kept, {data.BadRows:N0} bad rows skipped."));
        }

        return data;
    }

    private static EventLogData ReadCsv(
        string path,
        FunnelDefinition definition,
        long? maxBadRows,
        List<CsvRowError> samples,
        BadRowTally tally,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            // The library's reader takes the header names of the tool's logs and of common exports as they are.
            var read = progress is null
                ? TransitionLogCsvReader.ReadFile(path, definition, TransitionLogCsvOptions.CommonNames)
                : TransitionLogCsvReader.ReadFile(path, definition, TransitionLogCsvOptions.CommonNames, progress);
            cancellationToken.ThrowIfCancellationRequested();
            long bad = 0;
            foreach (var error in read.Errors)
            {
                bad++;
                tally.Add(error.Column, error.Reason);
                if (samples.Count < MaxSamples)
                {
                    samples.Add(error);
                }

                if (bad > maxBadRows)
                {
                    throw new CliException($"{path}:{error.LineNumber}: {Describe(error)}; more than {maxBadRows} bad rows (--max-bad-rows), stopping.");
                }
            }

            return new EventLogData
            {
                Log = read.Log,
                EntityKeys = read.Entities.AsReadOnlyList(),
                SegmentNames = read.Segments.ToImmutableArray(),
                SegmentColumn = read.SegmentColumn,
                RowsRead = read.RowsRead,
                BadRows = bad,
                BadRowsByColumn = tally.ByColumn(),
                ReadSeconds = clock.Elapsed.TotalSeconds,
            };
        }
        catch (TransitionLogFormatException ex)
        {
            throw new CliException($"{path}:{ex.LineNumber ?? 1}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot read the file: {ex.Message}", ex);
        }
    }

    private static string Describe(CsvRowError error) => error.Column is null ? error.Reason : $"{error.Column}: {error.Reason}";

    private static string Rate(long rows, double seconds) =>
        seconds <= 0 ? "n/a" : (rows / seconds).ToString("N0", CultureInfo.InvariantCulture);
}
