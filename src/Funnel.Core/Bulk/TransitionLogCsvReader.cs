using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Funnel.Core.Bulk;

/// <summary>
/// Reads a CSV event log with a header into <see cref="TransitionLog"/>s, line by line and chunk by chunk, so the
/// text is never held in memory. Columns are mapped by header name (<see cref="TransitionLogCsvOptions"/>); stages
/// and loss reasons are given by the definition's keys or by ordinal; entity keys and segments are interned to dense
/// ids that stay the same across chunks (<see cref="Entities"/>, <see cref="Segments"/>).
/// </summary>
/// <remarks>
/// <para>A bad data row (wrong field count, unknown stage, bad timestamp, unterminated quote, ...) is rejected
/// with its 1-based line number and reason in <see cref="TransitionLogCsvResult.Errors"/>; the valid rows around it
/// are kept and counted. A missing or unusable header throws <see cref="TransitionLogFormatException"/>. Fields may
/// be quoted with <c>"</c> (a doubled quote inside is a quote); a quoted field cannot span lines.</para>
/// <para>The reader does not own the <see cref="TextReader"/>. Instances are not thread-safe.</para>
/// </remarks>
public sealed class TransitionLogCsvReader
{
    private readonly TextReader _reader;
    private readonly TransitionLogCsvOptions _options;
    private readonly FunnelDefinition _definition;
    private readonly Dictionary<string, int> _reasonOrdinals;
    private readonly List<string> _fields = [];
    private readonly System.Text.StringBuilder _field = new();
    private int _entityIndex = -1;
    private int _stageIndex = -1;
    private int _timeIndex = -1;
    private int _reasonIndex = -1;
    private int _segmentIndex = -1;
    private int _fieldCount;
    private bool _headerRead;
    private bool _ended;

    /// <summary>Creates a reader.</summary>
    /// <param name="reader">The CSV text; read forward only.</param>
    /// <param name="definition">The funnel whose stage and loss-reason keys the file uses.</param>
    /// <param name="options">The column names and delimiter; <see langword="null"/> for <see cref="TransitionLogCsvOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="definition"/> is <see langword="null"/>.</exception>
    public TransitionLogCsvReader(TextReader reader, FunnelDefinition definition, TransitionLogCsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(definition);
        _reader = reader;
        _definition = definition;
        _options = options ?? TransitionLogCsvOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.ChunkRows, 1, nameof(options));
        _reasonOrdinals = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < definition.LossReasons.Length; i++)
        {
            _reasonOrdinals[definition.LossReasons[i].Key.Value] = i;
        }
    }

    /// <summary>Gets the entity keys seen so far; the id of a key is its index.</summary>
    public EntityInterner<string> Entities { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the segments seen so far; the code of a segment is its index.</summary>
    public EntityInterner<string> Segments { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the number of the last line read (1-based; 0 before reading).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Reads a whole CSV text at once (rows are still parsed line by line).</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="definition">The funnel whose stage and loss-reason keys the file uses.</param>
    /// <param name="options">The column names and delimiter; <see langword="null"/> for the defaults.</param>
    /// <returns>The log of the valid rows and every rejected row.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="TransitionLogFormatException">The header is missing or lacks a required column.</exception>
    public static TransitionLogCsvResult Read(TextReader reader, FunnelDefinition definition, TransitionLogCsvOptions? options = null) =>
        new TransitionLogCsvReader(reader, definition, options).ReadChunk(int.MaxValue) ?? throw new InvalidOperationException("Unreachable: the first chunk is never null.");

    /// <summary>Reads up to <paramref name="maxRows"/> data rows.</summary>
    /// <param name="maxRows">The most data rows to read; at least 1.</param>
    /// <returns>The chunk, or <see langword="null"/> when the text has ended and a chunk was already returned.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRows"/> is below 1.</exception>
    /// <exception cref="TransitionLogFormatException">The header is missing or lacks a required column.</exception>
    public TransitionLogCsvResult? ReadChunk(int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        var first = !_headerRead;
        if (first)
        {
            ReadHeader(_reader.ReadLine());
        }

        if (_ended && !first)
        {
            return null;
        }

        var builder = new TransitionLogBuilder((int)Math.Min(maxRows, 1 << 16), _segmentIndex >= 0);
        var errors = ImmutableArray.CreateBuilder<CsvRowError>();
        long rows = 0;
        while (rows < maxRows)
        {
            var line = _reader.ReadLine();
            if (line is null)
            {
                _ended = true;
                break;
            }

            LineNumber++;
            rows++;
            var error = ParseRow(line, builder);
            if (error is not null)
            {
                errors.Add(error);
            }
        }

        return new TransitionLogCsvResult(builder.Build(), errors.ToImmutable(), rows);
    }

    /// <summary>Reads the text in chunks of <see cref="TransitionLogCsvOptions.ChunkRows"/> data rows.</summary>
    /// <param name="cancellationToken">Cancels between chunks.</param>
    /// <returns>The chunks in file order; feed their logs to <see cref="TransitionAccumulator"/> or <see cref="TransitionAnalyzer.AnalyzeAsync"/>.</returns>
    /// <exception cref="TransitionLogFormatException">The header is missing or lacks a required column.</exception>
    public async IAsyncEnumerable<TransitionLogCsvResult> ReadChunksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = ReadChunk(_options.ChunkRows);
            if (chunk is null)
            {
                yield break;
            }

            yield return chunk;
            await Task.Yield();
        }
    }

    private void ReadHeader(string? line)
    {
        _headerRead = true;
        if (line is null)
        {
            _ended = true;
            throw new TransitionLogFormatException("The CSV text is empty; line 1 must be a header.", lineNumber: 1);
        }

        LineNumber = 1;
        if (!Split(line))
        {
            throw new TransitionLogFormatException("Line 1 (the header) has an unterminated quote.", lineNumber: 1);
        }

        _fieldCount = _fields.Count;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < _fields.Count; i++)
        {
            var name = _fields[i].Trim();
            if (!seen.Add(name))
            {
                throw new TransitionLogFormatException($"Line 1 (the header) names the column '{name}' twice.", lineNumber: 1);
            }

            if (Is(name, _options.EntityColumn))
            {
                _entityIndex = i;
            }
            else if (Is(name, _options.StageColumn))
            {
                _stageIndex = i;
            }
            else if (Is(name, _options.TimestampColumn))
            {
                _timeIndex = i;
            }
            else if (Is(name, _options.LossReasonColumn))
            {
                _reasonIndex = i;
            }
            else if (Is(name, _options.SegmentColumn))
            {
                _segmentIndex = i;
            }
        }

        var missing = new[] { (_entityIndex, _options.EntityColumn), (_stageIndex, _options.StageColumn), (_timeIndex, _options.TimestampColumn) }
            .Where(c => c.Item1 < 0)
            .Select(c => $"'{c.Item2}'")
            .ToList();
        if (missing.Count > 0)
        {
            throw new TransitionLogFormatException(
                $"Line 1 (the header) lacks the required column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}; found: {string.Join(", ", _fields)}.",
                lineNumber: 1);
        }

        static bool Is(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);
    }

    private CsvRowError? ParseRow(string line, TransitionLogBuilder builder)
    {
        if (line.Length == 0)
        {
            return new CsvRowError(LineNumber, null, "the line is empty");
        }

        if (!Split(line))
        {
            return new CsvRowError(LineNumber, null, "a quoted field is not terminated on this line");
        }

        if (_fields.Count != _fieldCount)
        {
            return new CsvRowError(LineNumber, null, $"expected {_fieldCount} fields as in the header, found {_fields.Count}");
        }

        var entity = _fields[_entityIndex];
        if (string.IsNullOrWhiteSpace(entity))
        {
            return new CsvRowError(LineNumber, _options.EntityColumn, "the entity is empty");
        }

        var stageText = _fields[_stageIndex].Trim();
        int stage;
        if (stageText.Length > 0 && _definition.TryGetStage(new StageKey(stageText), out var found))
        {
            stage = found.Order;
        }
        else if (!int.TryParse(stageText, NumberStyles.None, CultureInfo.InvariantCulture, out stage) || stage >= _definition.Stages.Length)
        {
            return new CsvRowError(LineNumber, _options.StageColumn, $"'{stageText}' is neither a stage key of '{_definition.Key}' nor a stage ordinal 0..{_definition.Stages.Length - 1}");
        }

        var timeText = _fields[_timeIndex].Trim();
        long time;
        if (long.TryParse(timeText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            time = seconds;
        }
        else if (DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            time = at.ToUnixTimeSeconds();
        }
        else
        {
            return new CsvRowError(LineNumber, _options.TimestampColumn, $"'{timeText}' is neither Unix seconds nor an ISO 8601 date and time");
        }

        if (time is < TransitionLog.MinTimestamp or > TransitionLog.MaxTimestamp)
        {
            return new CsvRowError(LineNumber, _options.TimestampColumn, $"{time} is outside the years 1 to 9999");
        }

        var reason = TransitionLog.NoLossReason;
        if (_reasonIndex >= 0)
        {
            var reasonText = _fields[_reasonIndex].Trim();
            if (reasonText.Length > 0)
            {
                if (_reasonOrdinals.TryGetValue(reasonText, out var ordinal))
                {
                    reason = (short)ordinal;
                }
                else if (int.TryParse(reasonText, NumberStyles.None, CultureInfo.InvariantCulture, out ordinal) && ordinal < _definition.LossReasons.Length)
                {
                    reason = (short)ordinal;
                }
                else
                {
                    return new CsvRowError(LineNumber, _options.LossReasonColumn, $"'{reasonText}' is neither a loss-reason key of '{_definition.Key}' nor a loss-reason ordinal 0..{_definition.LossReasons.Length - 1}");
                }
            }
        }

        var segment = TransitionLog.NoSegment;
        if (_segmentIndex >= 0)
        {
            var segmentText = _fields[_segmentIndex].Trim();
            if (segmentText.Length > 0)
            {
                segment = Segments.Intern(segmentText);
            }
        }

        builder.Add(Entities.Intern(entity), stage, time, reason, segment);
        return null;
    }

    /// <summary>Splits a line into <see cref="_fields"/>; false on an unterminated quote.</summary>
    private bool Split(string line)
    {
        _fields.Clear();
        var delimiter = _options.Delimiter;
        var i = 0;
        while (true)
        {
            _field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return false;
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            _field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    _field.Append(line[i++]);
                }

                // Text after the closing quote up to the delimiter is kept as is.
                while (i < line.Length && line[i] != delimiter)
                {
                    _field.Append(line[i++]);
                }
            }
            else
            {
                var end = line.IndexOf(delimiter, i);
                if (end < 0)
                {
                    end = line.Length;
                }

                _field.Append(line, i, end - i);
                i = end;
            }

            _fields.Add(_field.ToString());
            if (i >= line.Length)
            {
                return true;
            }

            i++; // skip the delimiter
            if (i == line.Length)
            {
                _fields.Add(string.Empty);
                return true;
            }
        }
    }
}
