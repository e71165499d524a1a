using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Bulk;
using Spectre.Console;

namespace Funnel.Cli.Input;

/// <summary>
/// Reads an event log file with the readers of Funnel.Core.Bulk — CSV (the fast path,
/// <see cref="TransitionLogCsvReader.ReadFile"/>, on every core) or the binary columnar format (<see cref="TransitionLogBinaryFormat"/>, by the <c>.bin</c> extension) — with
/// a spinner on a terminal for a big file, a summary line otherwise, and the bad rows reported with their line numbers.
/// </summary>
internal static class EventLogReader
{
    /// <summary>The header names accepted for each column (case-insensitive), the first being the documented one.</summary>
    public static readonly string[] EntityNames = ["entity", "entity_id", "lead", "lead_id"];
    public static readonly string[] StageNames = ["stage"];
    public static readonly string[] TimestampNames = ["timestamp", "at", "time"];
    public static readonly string[] LossReasonNames = ["loss_reason", "reason"];
    public static readonly string[] SegmentNames = ["source", "segment", "channel"];

    /// <summary>Files smaller than this get no spinner (the fast reader takes well under a second for them).</summary>
    private const long ProgressThresholdBytes = 128L << 20;

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
                var size = new FileInfo(path).Length;
                if (!quiet && context.ErrorIsTerminal && size >= ProgressThresholdBytes)
                {
                    // The fast reader parses the whole file on every core and reports no progress of its own; a
                    // spinner with the size and the elapsed time shows it is working.
                    data = null!;
                    context.CreateErrorConsole().Status()
                        .Spinner(Spinner.Known.Dots)
                        .Start(
                            Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"Reading {Path.GetFileName(path)} ({size / (1024.0 * 1024.0):N0} MiB) on {Environment.ProcessorCount} cores...")),
                            _ => data = ReadCsv(path, definition, maxBadRows, samples, tally, cancellationToken));
                }
                else
                {
                    data = ReadCsv(path, definition, maxBadRows, samples, tally, cancellationToken);
                }
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
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var (options, segmentColumn) = MapHeader(path);
            var read = TransitionLogCsvReader.ReadFile(path, definition, options);
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
                SegmentColumn = segmentColumn,
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

    /// <summary>Finds the columns by their accepted names in the header line and tells the bulk reader which names to use.</summary>
    private static (TransitionLogCsvOptions Options, string? SegmentColumn) MapHeader(string path)
    {
        string? header;
        using (var text = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            header = text.ReadLine();
        }

        if (header is null)
        {
            throw new CliException($"{path}:1: the file is empty; expected a header such as 'entity,stage,timestamp,loss_reason,source'.");
        }

        var fields = new List<string>();
        if (CsvLine.Split(header, fields) is { } problem)
        {
            throw new CliException($"{path}:1: bad header: {problem}.");
        }

        var names = fields.Select(f => f.Trim().ToLowerInvariant()).ToArray();
        var segment = Find(names, SegmentNames, path, required: false);
        return (new TransitionLogCsvOptions
        {
            EntityColumn = Find(names, EntityNames, path, required: true)!,
            StageColumn = Find(names, StageNames, path, required: true)!,
            TimestampColumn = Find(names, TimestampNames, path, required: true)!,
            LossReasonColumn = Find(names, LossReasonNames, path, required: false) ?? LossReasonNames[0],
            SegmentColumn = segment ?? "segment",
        }, segment);
    }

    private static string? Find(string[] names, string[] accepted, string path, bool required) =>
        names.FirstOrDefault(n => accepted.Contains(n, StringComparer.Ordinal))
        ?? (required
            ? throw new CliException($"{path}:1: the header has no '{accepted[0]}' column (accepted names: {string.Join(", ", accepted)}); found: {string.Join(", ", names)}.")
            : null);

    private static string Describe(CsvRowError error) => error.Column is null ? error.Reason : $"{error.Column}: {error.Reason}";

    private static string Rate(long rows, double seconds) =>
        seconds <= 0 ? "n/a" : (rows / seconds).ToString("N0", CultureInfo.InvariantCulture);
}
