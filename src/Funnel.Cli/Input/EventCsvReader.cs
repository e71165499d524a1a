using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Bulk;

namespace Funnel.Cli.Input;

/// <summary>
/// Reads an event CSV with a header into a <see cref="TransitionLog"/>, streaming line by line (the text is never held in
/// memory). Columns are mapped by name; stages and loss reasons are given by key or ordinal of the definition. A bad row
/// is recorded with its line number and reason and skipped; the good rows around it are kept.
/// </summary>
internal sealed class EventCsvReader
{
    /// <summary>The header names accepted for each column (case-insensitive), the first being the documented one.</summary>
    public static readonly string[] EntityNames = ["entity", "entity_id", "lead", "lead_id"];
    public static readonly string[] StageNames = ["stage"];
    public static readonly string[] TimestampNames = ["timestamp", "at", "time"];
    public static readonly string[] LossReasonNames = ["loss_reason", "reason"];
    public static readonly string[] SegmentNames = ["source", "segment", "channel"];

    private const int MaxSamples = 20;

    private readonly FunnelDefinition _definition;
    private readonly Dictionary<string, int> _stages;
    private readonly Dictionary<string, int> _reasons;

    public EventCsvReader(FunnelDefinition definition)
    {
        _definition = definition;
        _stages = definition.Stages.ToDictionary(s => s.Key.ToString(), s => s.Order, StringComparer.Ordinal);
        _reasons = definition.LossReasons.Select((r, i) => (r, i)).ToDictionary(x => x.r.Key.ToString(), x => x.i, StringComparer.Ordinal);
    }

    /// <summary>Gets the first bad rows (at most 20), in file order.</summary>
    public List<BadRow> BadRowSamples { get; } = [];

    /// <summary>Reads a file.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="maxBadRows">The most bad rows tolerated, or null for any number.</param>
    /// <param name="progress">Called every 65,536 rows and at the end with (rows read, bytes read).</param>
    /// <param name="cancellationToken">Cancels between rows.</param>
    /// <exception cref="CliException">The file cannot be read, the header lacks a required column, or too many rows are bad.</exception>
    public EventLogData Read(string path, long? maxBadRows, Action<long, long>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot read the file: {ex.Message}", ex);
        }

        using (stream)
        using (var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16))
        {
            var header = reader.ReadLine() ?? throw new CliException($"{path}:1: the file is empty; expected a header such as 'entity,stage,timestamp,loss_reason,source'.");
            var fields = new List<string>();
            if (CsvLine.Split(header, fields) is { } headerProblem)
            {
                throw new CliException($"{path}:1: bad header: {headerProblem}.");
            }

            var names = fields.Select(f => f.Trim().ToLowerInvariant()).ToArray();
            var entityColumn = Find(names, EntityNames, path, required: true);
            var stageColumn = Find(names, StageNames, path, required: true);
            var timeColumn = Find(names, TimestampNames, path, required: true);
            var reasonColumn = Find(names, LossReasonNames, path, required: false);
            var segmentColumn = Find(names, SegmentNames, path, required: false);
            var width = names.Length;

            var builder = new TransitionLogBuilder(capacity: (int)Math.Clamp(stream.Length / 40, 1024, 1 << 26), withSegments: segmentColumn >= 0);
            var entities = new EntityInterner<string>(StringComparer.Ordinal);
            var segments = new EntityInterner<string>(StringComparer.Ordinal);
            long line = 1;
            long rows = 0;
            long bad = 0;
            string? text;
            while ((text = reader.ReadLine()) is not null)
            {
                line++;
                if (text.Length == 0)
                {
                    continue;
                }

                rows++;
                if ((rows & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Invoke(rows, stream.Position);
                }

                var problem = CsvLine.Split(text, fields)
                    ?? (fields.Count != width ? $"expected {width} fields as in the header, found {fields.Count}" : null)
                    ?? ParseRow(fields, entityColumn, stageColumn, timeColumn, reasonColumn, segmentColumn, builder, entities, segments);
                if (problem is not null)
                {
                    bad++;
                    if (BadRowSamples.Count < MaxSamples)
                    {
                        BadRowSamples.Add(new BadRow(line, problem));
                    }

                    if (bad > maxBadRows)
                    {
                        throw new CliException($"{path}:{line}: {problem}; more than {maxBadRows} bad rows (--max-bad-rows), stopping.");
                    }
                }
            }

            progress?.Invoke(rows, stream.Length);
            return new EventLogData
            {
                Log = builder.Build(),
                EntityKeys = entities.ToImmutableArray(),
                SegmentNames = segments.ToImmutableArray(),
                SegmentColumn = segmentColumn >= 0 ? names[segmentColumn] : null,
                RowsRead = rows,
                BadRows = bad,
                ReadSeconds = clock.Elapsed.TotalSeconds,
            };
        }
    }

    private static int Find(string[] names, string[] accepted, string path, bool required)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (accepted.Contains(names[i], StringComparer.Ordinal))
            {
                return i;
            }
        }

        return required
            ? throw new CliException($"{path}:1: the header has no '{accepted[0]}' column (accepted names: {string.Join(", ", accepted)}); found: {string.Join(", ", names)}.")
            : -1;
    }

    private string? ParseRow(
        List<string> fields,
        int entityColumn,
        int stageColumn,
        int timeColumn,
        int reasonColumn,
        int segmentColumn,
        TransitionLogBuilder builder,
        EntityInterner<string> entities,
        EntityInterner<string> segments)
    {
        var entity = fields[entityColumn];
        if (entity.Length == 0)
        {
            return "the entity is empty";
        }

        if (!TryOrdinal(fields[stageColumn], _stages, _definition.Stages.Length, out var stage))
        {
            return fields[stageColumn].Length == 0
                ? "the stage is empty"
                : $"unknown stage '{fields[stageColumn]}' (stages of '{_definition.Key}': {string.Join(", ", _definition.Stages.Select(s => s.Key.ToString()))}, or an ordinal 0..{_definition.Stages.Length - 1})";
        }

        if (!TryTimestamp(fields[timeColumn], out var seconds))
        {
            return $"bad timestamp '{fields[timeColumn]}' (expected Unix seconds or an ISO 8601 date-time such as 2026-01-31T09:30:00Z)";
        }

        var reason = TransitionLog.NoLossReason;
        if (reasonColumn >= 0 && fields[reasonColumn].Length > 0)
        {
            if (!TryOrdinal(fields[reasonColumn], _reasons, _definition.LossReasons.Length, out var r))
            {
                return $"unknown loss reason '{fields[reasonColumn]}' (loss reasons of '{_definition.Key}': {string.Join(", ", _definition.LossReasons.Select(x => x.Key.ToString()))}, or an ordinal 0..{_definition.LossReasons.Length - 1})";
            }

            reason = (short)r;
        }

        var segment = TransitionLog.NoSegment;
        if (segmentColumn >= 0 && fields[segmentColumn].Length > 0)
        {
            segment = segments.Intern(fields[segmentColumn]);
        }

        builder.Add(entities.Intern(entity), stage, seconds, reason, segment);
        return null;
    }

    private static bool TryOrdinal(string text, Dictionary<string, int> keys, int count, out int ordinal)
    {
        if (keys.TryGetValue(text, out ordinal))
        {
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ordinal) && ordinal < count;
    }

    /// <summary>Parses Unix seconds or an ISO 8601 date-time (without an offset it is taken as UTC); sub-seconds are dropped.</summary>
    public static bool TryTimestamp(string text, out long seconds)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seconds))
        {
            return seconds is >= TransitionLog.MinTimestamp and <= TransitionLog.MaxTimestamp;
        }

        if (text.Length >= 10 && char.IsAsciiDigit(text[0])
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            seconds = at.ToUnixTimeSeconds();
            return true;
        }

        seconds = 0;
        return false;
    }
}
