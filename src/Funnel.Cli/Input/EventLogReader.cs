using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Bulk;

namespace Funnel.Cli.Input;

/// <summary>
/// Reads an event log file with the readers of Funnel.Core.Bulk — CSV (the fast path,
/// <see cref="TransitionLogCsvReader.ReadFile(string, FunnelDefinition, TransitionLogCsvOptions)"/>, on every core), Parquet or Arrow (<see cref="ColumnarEventLog"/>) or the binary columnar format (<see cref="TransitionLogBinaryFormat"/>, by the <c>.bin</c> extension) — with
/// a progress bar on a terminal for a read that takes over a second (<see cref="ReadProgressBar"/>), a summary line, the bad rows reported with their line numbers,
/// and a "did you mean" hint for each unknown stage or loss-reason key that is near a key of the definition (<see cref="UnknownKey.Suggest"/>).
/// </summary>
internal static class EventLogReader
{
    private const int MaxSamples = 20;

    /// <summary>The most hints printed.</summary>
    private const int MaxHints = 10;

    public static EventLogData Read(string path, FunnelDefinition definition, long? maxBadRows, bool quiet, CliContext context, CancellationToken cancellationToken)
    {
        InputFile.Require(path, "the event log file");

        var data = path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase) ? BinaryEventLog.Read(path, definition)
            : ColumnarEventLog.Handles(path) ? ColumnarEventLog.Read(path, definition)
            // On a terminal, a read that takes over a second shows a progress bar (bytes read, events/s).
            : ReadProgressBar.Run(context, quiet, path, progress => ReadCsv(path, definition, progress, cancellationToken));

        if (maxBadRows is { } csvLimit && data.CsvErrors.Length > csvLimit)
        {
            // Stopped at --max-bad-rows: the hints say why so many rows were bad, when a key is merely misspelt.
            WriteHints(data, definition, context);
            var error = data.CsvErrors[(int)Math.Min(csvLimit, int.MaxValue)];
            throw new CliException($"{path}:{error.LineNumber}: {Describe(error)}; more than {maxBadRows} bad rows (--max-bad-rows), stopping.");
        }

        foreach (var bad in data.CsvErrors.Take(MaxSamples))
        {
            context.Error.WriteLine($"{path}:{bad.LineNumber}: bad row skipped: {Describe(bad)}");
        }

        foreach (var bad in data.ColumnarErrors.Take(MaxSamples))
        {
            context.Error.WriteLine($"{path}: bad row skipped: {bad}");
        }

        var shown = Math.Min(data.CsvErrors.Length, MaxSamples) + Math.Min(data.ColumnarErrors.Length, MaxSamples);
        if (data.BadRows > shown)
        {
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: ... and {data.BadRows - shown:N0} more bad rows skipped."));
        }

        WriteHints(data, definition, context);

        if (maxBadRows is { } limit && data.BadRows > limit && !data.ColumnarErrors.IsEmpty)
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

    private static EventLogData ReadCsv(string path, FunnelDefinition definition, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            // The library's reader takes the header names of the tool's logs and of common exports as they are.
            var read = progress is null
                ? TransitionLogCsvReader.ReadFile(path, definition, TransitionLogCsvOptions.CommonNames)
                : TransitionLogCsvReader.ReadFile(path, definition, TransitionLogCsvOptions.CommonNames, progress);
            cancellationToken.ThrowIfCancellationRequested();
            return new EventLogData
            {
                Log = read.Log,
                EntityKeys = read.Entities.AsReadOnlyList(),
                SegmentNames = read.Segments.ToImmutableArray(),
                SegmentColumn = read.SegmentColumn,
                RowsRead = read.RowsRead,
                BadRows = read.RowsRejected,
                CsvErrors = read.Errors,
                ErrorCountsByColumn = read.ErrorCountsByColumn,
                UnknownKeys = read.UnknownKeys,
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

    /// <summary>Writes one hint per unknown key that has a near match, the most frequent first.</summary>
    private static void WriteHints(EventLogData data, FunnelDefinition definition, CliContext context)
    {
        var hints = data.UnknownKeys.Select(u => (Unknown: u, Near: u.Suggest(definition))).Where(h => h.Near is not null).ToList();
        foreach (var (unknown, near) in hints.Take(MaxHints))
        {
            var what = unknown.IsStage ? "stage" : "loss reason";
            context.WriteHint(string.Create(
                CultureInfo.InvariantCulture,
                $"{what} '{unknown.Key}' ({unknown.Rows:N0} {(unknown.Rows == 1 ? "row" : "rows")}) is not a {(unknown.IsStage ? "stage" : "loss-reason")} key of '{definition.Key}'; did you mean {near}? Keys are matched exactly."));
        }

        if (hints.Count > MaxHints)
        {
            context.WriteHint(string.Create(CultureInfo.InvariantCulture, $"... and {hints.Count - MaxHints:N0} more unknown keys with a near match."));
        }
    }

    private static string Describe(CsvRowError error) => error.Column is null ? error.Reason : $"{error.Column}: {error.Reason}";

    private static string Rate(long rows, double seconds) =>
        seconds <= 0 ? "n/a" : (rows / seconds).ToString("N0", CultureInfo.InvariantCulture);
}
