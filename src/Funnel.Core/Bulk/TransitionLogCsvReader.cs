using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Funnel.Core.Bulk;

/// <summary>
/// Reads a CSV event log with a header into <see cref="TransitionLog"/>s, row by row and chunk by chunk, so the
/// text is never held in memory. Columns are mapped by header name (<see cref="TransitionLogCsvOptions"/>); stages
/// and loss reasons are given by the definition's keys or by ordinal; entity keys and segments are interned to dense
/// ids that stay the same across chunks (<see cref="Entities"/>, <see cref="Segments"/>).
/// </summary>
/// <remarks>
/// <para>Fields follow RFC 4180: a field may be quoted with <c>"</c>; a quoted field may hold the delimiter, a
/// doubled quote (<c>""</c> is one <c>"</c>) and line breaks (CR, LF or CRLF, kept as written), so a row may span
/// lines. A quoted and an unquoted spelling of the same text are the same value. Rows end with CRLF, LF or CR; a
/// UTF-8 byte order mark at the start of the text is ignored.</para>
/// <para>Entity keys, segments and stage and loss-reason keys are exact: compared ordinally (case-sensitive, no
/// Unicode normalisation), never trimmed (<c>"a "</c> and <c>"a"</c> are two keys, <c>007</c> and <c>7</c> too).
/// Numbers (stage and loss-reason ordinals, Unix seconds) may have white space around them.</para>
/// <para>A bad data row (wrong field count, unknown stage, bad timestamp, unterminated quote, ...) is rejected
/// with the 1-based line where it starts, the 1-based field position and header name of the column at fault, and
/// the reason, in <see cref="TransitionLogCsvResult.Errors"/>; the valid rows around it are kept and counted. A quote
/// that is never closed (or a row longer than <see cref="TransitionLogCsvOptions.MaxRowLength"/>) rejects the row
/// where it starts, and the lines after that line are read again as rows of their own. A missing or unusable header
/// throws <see cref="TransitionLogFormatException"/>.</para>
/// <para>The reader does not own the <see cref="TextReader"/>. Instances are not thread-safe.</para>
/// </remarks>
public sealed class TransitionLogCsvReader
{
    private const int BufferSize = 1 << 16;
    private const int EndOfText = -1;

    private readonly TextReader _reader;
    private readonly TransitionLogCsvOptions _options;
    private readonly CsvFieldParser _fields;
    private readonly char _delimiter;
    private readonly int _maxRowLength;

    // Input: the reader through a buffer, after any text given back for a second reading (_replay).
    private readonly char[] _buffer = new char[BufferSize];
    private int _bufferPosition;
    private int _bufferLength;
    private string? _replay;
    private int _replayPosition;

    // The text of the current row after its first line break, kept while a quoted field spans lines, so that the
    // lines can be read again as rows when the quote turns out never to close.
    private readonly StringBuilder _raw = new();
    private bool _capturing;
    private bool _gaveBack;

    // The current row: field texts one after the other in _chars, field i ending at _fieldEnds[i].
    private char[] _chars = new char[256];
    private int _charCount;
    private readonly List<int> _fieldEnds = [];
    private long _rowLength;
    private long _rowLine;
    private long _nextLine = 1;

    private string[] _headerNames = [];
    private int _entityIndex = -1;
    private int _stageIndex = -1;
    private int _timeIndex = -1;
    private int _reasonIndex = -1;
    private int _segmentIndex = -1;
    private bool _headerRead;
    private bool _ended;

    // The header's error, thrown again by every later call: the reader has no columns to read rows with.
    private TransitionLogFormatException? _headerError;

    /// <summary>Creates a reader.</summary>
    /// <param name="reader">The CSV text; read forward only.</param>
    /// <param name="definition">The funnel whose stage and loss-reason keys the file uses.</param>
    /// <param name="options">The column names and delimiter; <see langword="null"/> for <see cref="TransitionLogCsvOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options' <see cref="TransitionLogCsvOptions.ChunkRows"/> or <see cref="TransitionLogCsvOptions.MaxRowLength"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The options' delimiter is a quote, CR or LF.</exception>
    public TransitionLogCsvReader(TextReader reader, FunnelDefinition definition, TransitionLogCsvOptions? options = null)
    {
        Guard.Against.Null(reader);
        Guard.Against.Null(definition);
        _reader = reader;
        _options = options ?? TransitionLogCsvOptions.Default;
        Guard.Against.LessThan(_options.ChunkRows, 1, nameof(options));
        Guard.Against.LessThan(_options.MaxRowLength, 1, nameof(options));
        Guard.Against.InvalidCsvDelimiter(_options.Delimiter, nameof(options));

        _delimiter = _options.Delimiter;
        _maxRowLength = _options.MaxRowLength;
        _fields = new CsvFieldParser(definition, _options);
    }

    /// <summary>Gets the entity keys seen so far; the id of a key is its index.</summary>
    public EntityInterner<string> Entities { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the segments seen so far; the code of a segment is its index.</summary>
    public EntityInterner<string> Segments { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the number of the last line read (1-based; 0 before reading). A row whose quoted field spans lines moves it past all of them.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Reads a whole CSV text at once (rows are still parsed one by one).</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="definition">The funnel whose stage and loss-reason keys the file uses.</param>
    /// <param name="options">The column names and delimiter; <see langword="null"/> for the defaults.</param>
    /// <returns>The log of the valid rows and every rejected row.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options' <see cref="TransitionLogCsvOptions.ChunkRows"/> or <see cref="TransitionLogCsvOptions.MaxRowLength"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The options' delimiter is a quote, CR or LF.</exception>
    /// <exception cref="TransitionLogFormatException">The header is missing or lacks a required column.</exception>
    public static TransitionLogCsvResult Read(TextReader reader, FunnelDefinition definition, TransitionLogCsvOptions? options = null) =>
        new TransitionLogCsvReader(reader, definition, options).ReadChunk(int.MaxValue) ?? throw new InvalidOperationException("Unreachable: the first chunk is never null.");

    /// <summary>
    /// Reads a CSV file into one log: <b>the fast path</b> from a file to a <see cref="TransitionLog"/>. The bytes are
    /// parsed as UTF-8 without a string per row, on every core (the file is cut into chunks at row boundaries, also
    /// when quoted fields hold line breaks), and keys are interned from their bytes; the memory taken is the log and
    /// the keys, not the text. The result is exactly what <see cref="Read(TextReader, FunnelDefinition, TransitionLogCsvOptions)"/> gives for the same file opened as UTF-8
    /// text: the same rows, ids, keys and errors with the same lines and columns. Files the byte parser does not
    /// read exactly that way (UTF-16, invalid UTF-8, a quote that never closes, rows near
    /// <see cref="TransitionLogCsvOptions.MaxRowLength"/>) are read by the streaming reader, with the same result.
    /// </summary>
    /// <param name="path">The CSV file (UTF-8, with or without a byte order mark).</param>
    /// <param name="definition">The funnel whose stage and loss-reason keys the file uses.</param>
    /// <param name="options">The column names, delimiter and timestamp rules; <see langword="null"/> for the defaults. <see cref="TransitionLogCsvOptions.ChunkRows"/> does not apply: the whole file is read.</param>
    /// <returns>The log of the valid rows, every rejected row, the counts, and the entity and segment keys.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options' <see cref="TransitionLogCsvOptions.ChunkRows"/> or <see cref="TransitionLogCsvOptions.MaxRowLength"/> is below 1, or the timestamp unit is unknown.</exception>
    /// <exception cref="ArgumentException">The options' delimiter is a quote, CR or LF, or the timestamp format is blank.</exception>
    /// <exception cref="TransitionLogFormatException">The header is missing or lacks a required column.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static TransitionLogCsvResult ReadFile(string path, FunnelDefinition definition, TransitionLogCsvOptions? options = null)
    {
        Guard.Against.Null(path);
        Guard.Against.Null(definition);
        return CsvFileIngest.Read(path, definition, options);
    }

    /// <summary>
    /// Reads a CSV file into one log like <see cref="ReadFile(string, FunnelDefinition, TransitionLogCsvOptions)"/>,
    /// reporting the bytes read so far to <paramref name="bytesRead"/>, for a progress bar: called from the parsing
    /// threads as each buffer is read (so it must be thread-safe, as <see cref="Progress{T}"/> is; totals from two
    /// threads may arrive out of order, so show the largest seen), and last with the file's length once the file is read. A file that the streaming reader reads
    /// (see the other overload) reports only that last value.
    /// </summary>
    /// <param name="path">The CSV file (UTF-8, with or without a byte order mark).</param>
    /// <param name="definition">The funnel whose stage and loss-reason keys the file uses.</param>
    /// <param name="options">The column names, delimiter and timestamp rules; <see langword="null"/> for the defaults.</param>
    /// <param name="bytesRead">Receives the number of bytes of the file read so far.</param>
    /// <returns>The log of the valid rows, every rejected row, the counts, and the entity and segment keys.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/>, <paramref name="definition"/> or <paramref name="bytesRead"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options' <see cref="TransitionLogCsvOptions.ChunkRows"/> or <see cref="TransitionLogCsvOptions.MaxRowLength"/> is below 1, or the timestamp unit is unknown.</exception>
    /// <exception cref="ArgumentException">The options' delimiter is a quote, CR or LF, or the timestamp format is blank.</exception>
    /// <exception cref="TransitionLogFormatException">The header is missing or lacks a required column.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static TransitionLogCsvResult ReadFile(string path, FunnelDefinition definition, TransitionLogCsvOptions? options, IProgress<long> bytesRead)
    {
        Guard.Against.Null(path);
        Guard.Against.Null(definition);
        Guard.Against.Null(bytesRead);
        return CsvFileIngest.Read(path, definition, options, bytesRead: bytesRead);
    }

    /// <summary>Reads up to <paramref name="maxRows"/> data rows.</summary>
    /// <param name="maxRows">The most data rows to read; at least 1. A row whose quoted field spans lines is one row.</param>
    /// <returns>The chunk, or <see langword="null"/> when the text has ended and a chunk was already returned.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRows"/> is below 1.</exception>
    /// <exception cref="TransitionLogFormatException">
    /// The header is missing or lacks a required column. Every later call throws the same error (same message and
    /// line): a reader without a usable header reads no rows.
    /// </exception>
    public TransitionLogCsvResult? ReadChunk(int maxRows)
    {
        Guard.Against.LessThan(maxRows, 1);
        if (_headerError is not null)
        {
            throw new TransitionLogFormatException(_headerError.Message, lineNumber: _headerError.LineNumber, innerException: _headerError);
        }

        var first = !_headerRead;
        if (first)
        {
            try
            {
                ReadHeader();
            }
            catch (TransitionLogFormatException e)
            {
                _headerError = e;
                throw;
            }
        }

        if (_ended && !first)
        {
            return null;
        }

        var builder = new TransitionLogBuilder((int)Math.Min(maxRows, 1 << 16), _segmentIndex >= 0);
        var errors = ImmutableArray.CreateBuilder<CsvRowError>();
        long rows = 0;
        while (rows < maxRows && !_ended)
        {
            var status = ReadRow(out var faultField);
            if (status == RowStatus.EndOfText)
            {
                _ended = true;
                break;
            }

            rows++;
            var error = status == RowStatus.Complete ? ParseRow(builder) : RowError(status, faultField);
            if (error is not null)
            {
                errors.Add(error);
            }
        }

        return new TransitionLogCsvResult(builder.Build(), errors.ToImmutable(), rows, Entities, Segments)
        {
            SegmentColumn = _segmentIndex >= 0 ? _headerNames[_segmentIndex] : null,
        };
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

    /// <summary>Reads the header only (the reader's text is the header row), for the file fast path: the same checks and exceptions.</summary>
    internal CsvHeader ReadHeaderOnly()
    {
        ReadHeader();
        return new CsvHeader(_headerNames, _entityIndex, _stageIndex, _timeIndex, _reasonIndex, _segmentIndex, _nextLine);
    }

    private void ReadHeader()
    {
        _headerRead = true;
        if (Peek() == '\uFEFF')
        {
            Read();
        }

        var status = ReadRow(out var faultField);
        switch (status)
        {
            case RowStatus.EndOfText:
                _ended = true;
                throw new TransitionLogFormatException("The CSV text is empty; line 1 must be a header.", lineNumber: 1);
            case RowStatus.EmptyLine:
                throw new TransitionLogFormatException("Line 1 is empty; it must be a header such as 'entity,stage,timestamp,loss_reason'.", lineNumber: 1);
            case RowStatus.Unterminated:
                throw new TransitionLogFormatException($"The header (line 1) has a quote that is never closed, in field {faultField + 1}.", lineNumber: 1);
            case RowStatus.TooLong:
                throw new TransitionLogFormatException($"The header (line 1) is longer than {_maxRowLength} characters (TransitionLogCsvOptions.MaxRowLength).", lineNumber: 1);
            case RowStatus.TextAfterQuote:
                throw new TransitionLogFormatException($"The header (line 1) has text after the closing quote of field {faultField + 1}.", lineNumber: 1);
        }

        _headerNames = new string[_fieldEnds.Count];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < _headerNames.Length; i++)
        {
            var name = Field(i).Trim();
            _headerNames[i] = name;
            if (!seen.Add(name))
            {
                throw new TransitionLogFormatException($"Line 1 (the header) names the column '{name}' twice.", lineNumber: 1);
            }

            // The first field that names a column by any of its names is that column; a later one is an extra column.
            if (_entityIndex < 0 && Names(name, _options.EntityColumn, _options.EntityColumnAlternatives))
            {
                _entityIndex = i;
            }
            else if (_stageIndex < 0 && Names(name, _options.StageColumn, _options.StageColumnAlternatives))
            {
                _stageIndex = i;
            }
            else if (_timeIndex < 0 && Names(name, _options.TimestampColumn, _options.TimestampColumnAlternatives))
            {
                _timeIndex = i;
            }
            else if (_reasonIndex < 0 && Names(name, _options.LossReasonColumn, _options.LossReasonColumnAlternatives))
            {
                _reasonIndex = i;
            }
            else if (_segmentIndex < 0 && Names(name, _options.SegmentColumn, _options.SegmentColumnAlternatives))
            {
                _segmentIndex = i;
            }
        }

        var missing = new[]
            {
                (_entityIndex, _options.EntityColumn, _options.EntityColumnAlternatives),
                (_stageIndex, _options.StageColumn, _options.StageColumnAlternatives),
                (_timeIndex, _options.TimestampColumn, _options.TimestampColumnAlternatives),
            }
            .Where(c => c.Item1 < 0)
            .Select(c => c.Item3.IsDefaultOrEmpty ? $"'{c.Item2}'" : $"'{c.Item2}' (or {string.Join(", ", c.Item3.Select(a => $"'{a}'"))})")
            .ToList();
        if (missing.Count > 0)
        {
            throw new TransitionLogFormatException(
                $"Line 1 (the header) lacks the required column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}; found: {string.Join(", ", _headerNames)}.",
                lineNumber: 1);
        }

        static bool Names(string name, string column, ImmutableArray<string> alternatives)
        {
            if (Is(name, column))
            {
                return true;
            }

            foreach (var alternative in alternatives.IsDefault ? [] : alternatives)
            {
                if (Is(name, alternative))
                {
                    return true;
                }
            }

            return false;
        }

        static bool Is(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);
    }

    private CsvRowError? RowError(RowStatus status, int field) => status switch
    {
        RowStatus.EmptyLine => new CsvRowError(_rowLine, null, null, RowErrorKind.EmptyLine, CsvFieldParser.EmptyLineReason, null),
        RowStatus.Unterminated => FieldError(
            field,
            new RowFault(RowErrorKind.UnclosedQuote, $"the quoted field that starts on this line is never closed (the text ends inside it){RereadNote()}", null)),
        RowStatus.TooLong => FieldError(
            field,
            new RowFault(RowErrorKind.RowTooLong, $"the row is longer than {_maxRowLength} characters (TransitionLogCsvOptions.MaxRowLength), probably a quote that is never closed{RereadNote()}", null)),
        RowStatus.TextAfterQuote => FieldError(field, RowFault.TextAfterQuote),
        _ => throw new InvalidOperationException($"Unreachable: row status {status}."),
    };

    private string RereadNote() => _gaveBack ? $"; the lines after line {_rowLine} are read again as rows" : string.Empty;

    private CsvRowError FieldError(int field, RowFault fault) =>
        new(_rowLine, field + 1, field < _headerNames.Length ? _headerNames[field] : null, fault.Kind, fault.Reason, fault.Value);

    private CsvRowError? ParseRow(TransitionLogBuilder builder)
    {
        if (_fieldEnds.Count != _headerNames.Length)
        {
            var (field, countError) = CsvFieldParser.FieldCountError(_fieldEnds.Count, _headerNames);
            return FieldError(field, countError);
        }

        if (FieldSpan(_entityIndex).IsEmpty)
        {
            return FieldError(_entityIndex, RowFault.EmptyEntity);
        }

        if (_fields.ParseStage(FieldSpan(_stageIndex), out var stage) is { } stageError)
        {
            return FieldError(_stageIndex, stageError);
        }

        if (_fields.ParseTimestamp(FieldSpan(_timeIndex), out var time) is { } timeError)
        {
            return FieldError(_timeIndex, timeError);
        }

        var reason = TransitionLog.NoLossReason;
        if (_reasonIndex >= 0 && _fields.ParseReason(FieldSpan(_reasonIndex), out reason) is { } reasonError)
        {
            return FieldError(_reasonIndex, reasonError);
        }

        var segment = TransitionLog.NoSegment;
        if (_segmentIndex >= 0 && !FieldSpan(_segmentIndex).IsEmpty)
        {
            segment = Segments.Intern(Field(_segmentIndex));
        }

        builder.Add(Entities.Intern(Field(_entityIndex)), stage, time, reason, segment);
        return null;
    }

    /// <summary>
    /// Reads one row into <see cref="_chars"/> and <see cref="_fieldEnds"/>. On a quote that never closes, or a row
    /// that grows past the limit, the text after the row's first line is given back to be read again as rows.
    /// </summary>
    private RowStatus ReadRow(out int faultField)
    {
        faultField = -1;
        _charCount = 0;
        _fieldEnds.Clear();
        _capturing = false;
        _gaveBack = false;
        _raw.Clear();
        _rowLength = 0;
        _rowLine = _nextLine;
        var status = RowStatus.Complete;
        var c = Next();
        if (c == EndOfText)
        {
            return RowStatus.EndOfText;
        }

        LineNumber = _rowLine;
        if (c is '\r' or '\n')
        {
            EndLine(c);
            return RowStatus.EmptyLine;
        }

        while (true)
        {
            var field = _fieldEnds.Count;
            if (c == '"')
            {
                while (true)
                {
                    c = Next();
                    if (c == EndOfText)
                    {
                        faultField = field;
                        GiveBack();
                        return RowStatus.Unterminated;
                    }

                    if (_rowLength > _maxRowLength)
                    {
                        faultField = field;
                        GiveBackOrSkipLine();
                        return RowStatus.TooLong;
                    }

                    if (c == '"')
                    {
                        if (Peek() != '"')
                        {
                            break;
                        }

                        Next();
                    }

                    Append((char)c);
                    if (c == '\r')
                    {
                        if (Peek() == '\n')
                        {
                            Next();
                            Append('\n');
                        }

                        LineBreakInQuotes();
                    }
                    else if (c == '\n')
                    {
                        LineBreakInQuotes();
                    }
                }

                c = Next();
                if (c != EndOfText && c != _delimiter && c is not '\r' and not '\n' && status == RowStatus.Complete)
                {
                    status = RowStatus.TextAfterQuote;
                    faultField = field;
                }
            }

            while (c != EndOfText && c != _delimiter && c is not '\r' and not '\n')
            {
                if (_rowLength > _maxRowLength)
                {
                    faultField = field;
                    GiveBackOrSkipLine();
                    return RowStatus.TooLong;
                }

                Append((char)c);
                c = Next();
            }

            _fieldEnds.Add(_charCount);
            if (c == _delimiter)
            {
                c = Next();
                continue;
            }

            if (c != EndOfText)
            {
                EndLine(c);
            }

            _capturing = false;
            return status;
        }
    }

    /// <summary>After a CR or LF that ends a line (outside quotes): takes the LF of a CRLF and counts the line.</summary>
    private void EndLine(int c)
    {
        if (c == '\r' && Peek() == '\n')
        {
            Read();
        }

        _nextLine++;
    }

    /// <summary>After a line break inside a quoted field: counts the line and starts keeping the text that follows.</summary>
    private void LineBreakInQuotes()
    {
        LineNumber = ++_nextLine;
        _capturing = true;
    }

    /// <summary>Gives the text after the row's first line back, so that it is read again as rows; nothing when the row is on one line.</summary>
    private void GiveBack()
    {
        if (!_capturing)
        {
            return;
        }

        _capturing = false;
        _gaveBack = true;
        var rest = _replay is null ? string.Empty : _replay[_replayPosition..];
        _raw.Append(rest);
        _replay = _raw.ToString();
        _replayPosition = 0;
        _raw.Clear();
        _nextLine = _rowLine + 1;
    }

    /// <summary>Gives the text after the row's first line back, or, when the row has not left its first line, skips the rest of that line.</summary>
    private void GiveBackOrSkipLine()
    {
        if (_capturing)
        {
            GiveBack();
            return;
        }

        int c;
        do
        {
            c = Read();
        }
        while (c != EndOfText && c is not '\r' and not '\n');
        if (c != EndOfText)
        {
            EndLine(c);
        }
    }

    /// <summary>Reads the next character of the row, counting it against the row length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Next()
    {
        _rowLength++;
        return Read();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Read()
    {
        int c;
        if (_replay is null && _bufferPosition < _bufferLength)
        {
            c = _buffer[_bufferPosition++];
        }
        else
        {
            c = ReadSlow();
            if (c == EndOfText)
            {
                return c;
            }
        }

        if (_capturing)
        {
            _raw.Append((char)c);
        }

        return c;
    }

    private int ReadSlow()
    {
        if (_replay is not null)
        {
            if (_replayPosition < _replay.Length)
            {
                return _replay[_replayPosition++];
            }

            _replay = null;
        }

        if (_bufferPosition >= _bufferLength && !Fill())
        {
            return EndOfText;
        }

        return _buffer[_bufferPosition++];
    }

    private int Peek()
    {
        if (_replay is not null)
        {
            if (_replayPosition < _replay.Length)
            {
                return _replay[_replayPosition];
            }

            _replay = null;
        }

        if (_bufferPosition >= _bufferLength && !Fill())
        {
            return EndOfText;
        }

        return _buffer[_bufferPosition];
    }

    private bool Fill()
    {
        _bufferPosition = 0;
        _bufferLength = _reader.Read(_buffer, 0, _buffer.Length);
        return _bufferLength > 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Append(char c)
    {
        if (_charCount == _chars.Length)
        {
            Array.Resize(ref _chars, _chars.Length * 2);
        }

        _chars[_charCount++] = c;
    }

    private ReadOnlySpan<char> FieldSpan(int index)
    {
        var start = index == 0 ? 0 : _fieldEnds[index - 1];
        return _chars.AsSpan(start, _fieldEnds[index] - start);
    }

    private string Field(int index) => new(FieldSpan(index));

    private enum RowStatus
    {
        Complete,
        EndOfText,
        EmptyLine,
        Unterminated,
        TooLong,
        TextAfterQuote,
    }
}
