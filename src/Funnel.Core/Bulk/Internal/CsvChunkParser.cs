using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;

namespace Funnel.Core.Bulk;

/// <summary>
/// Parses the data rows of one byte range of a CSV file, as UTF-8 bytes, with the row rules of
/// <see cref="TransitionLogCsvReader"/>: from <see cref="Start"/> (a row start, or a guess at one after a line
/// feed) until it starts a row exactly at a later chunk's start (it then hands over to that chunk) or the file
/// ends. Keys are interned per chunk (<see cref="Utf8KeyTable"/>); line numbers and ids are local and fixed up by
/// <see cref="CsvFileIngest"/>. Anything the byte parser does not handle exactly like the streaming reader (a quote
/// that never closes, a row near <see cref="TransitionLogCsvOptions.MaxRowLength"/>, bytes that are not UTF-8) ends
/// the chunk with <see cref="NeedsStreamingReader"/> set, and the whole file is then read by the streaming reader.
/// </summary>
internal sealed class CsvChunkParser
{
    /// <summary>
    /// The bytes kept readable after the data in the read buffer and after an unescaped field, so that a short field
    /// (an entity key, a timestamp) is read eight bytes at a time (<see cref="AsciiDigits"/>).
    /// </summary>
    public const int ReadSlack = 16;

    private const byte Quote = (byte)'"';
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';
    private const int EndOfText = -1;
    private const int NeedMore = -2;
    private const int GiveUp = -3;

    private readonly CsvFileLayout _layout;
    private readonly SafeFileHandle _file;
    private readonly long _fileLength;
    private readonly long[] _boundaries;
    private readonly bool[] _special = new bool[256];
    private readonly byte _delimiter;
    private readonly int _fieldSlots;

    // The row being parsed: the bytes of field i are _fieldStart[i].._fieldEnd[i] in the buffer; _fieldKind[i] is
    // 0 for plain bytes, 1 for quoted text with doubled quotes inside (to be unescaped).
    private readonly int[] _fieldStart;
    private readonly int[] _fieldEnd;
    private readonly byte[] _fieldKind;
    private byte[] _scratchEntity = new byte[256];
    private byte[] _scratchSegment = new byte[256];
    private byte[] _scratchField = new byte[256];

    private const int PendingBatch = 32;
    private readonly int[] _pendingRow = new int[PendingBatch];
    private readonly int[] _pendingDirect = new int[PendingBatch];
    private readonly int[] _pendingStart = new int[PendingBatch];
    private readonly ulong[] _pendingA = new ulong[PendingBatch];
    private readonly ulong[] _pendingB = new ulong[PendingBatch];
    private readonly uint[] _pendingHash = new uint[PendingBatch];
    private byte[] _pendingKeys = new byte[PendingBatch * 32];
    private int _pendingKeyLength;
    private int _pendingCount;
    private int _touched;

    // While every key of the chunk so far is direct, rows keep the key's value in the entity column from this row on
    // (-1 once a key is not direct): the values become ids in one tight loop (Utf8KeyTable.InternDirect), in row order.
    private int _directRunStart;

    private byte[] _buffer;
    private long _bufferOffset;
    private int _bufferLength;
    private int _validated;

    // Where kept rows are written: first the chunk's region of the log's columns (_write.._writeEnd), then, once
    // that is full (only when this chunk reads on past its byte range), the chunk's own spill columns.
    private int[] _entities;
    private short[] _stages;
    private long[] _times;
    private short[] _reasons;
    private int[]? _segments;
    private int _write;
    private int _writeEnd;
    private bool _spilling;

    /// <summary>Creates the parser of the chunk that starts at <paramref name="start"/>.</summary>
    /// <param name="layout">What every chunk shares.</param>
    /// <param name="file">The open file.</param>
    /// <param name="fileLength">The file's length when reading began.</param>
    /// <param name="start">The file offset of the chunk's first row (or a guess at one).</param>
    /// <param name="boundaries">The guessed starts of all chunks but the first, ascending.</param>
    /// <param name="bufferSize">The initial read buffer size.</param>
    /// <param name="columns">The log's columns, shared by all chunks.</param>
    /// <param name="regionStart">The first row of <paramref name="columns"/> this chunk writes.</param>
    /// <param name="regionLength">The rows this chunk may write there (at least the rows that end in its byte range); later rows spill.</param>
    public CsvChunkParser(CsvFileLayout layout, SafeFileHandle file, long fileLength, long start, long[] boundaries, int bufferSize, LogColumns columns, int regionStart, int regionLength)
    {
        _layout = layout;
        _file = file;
        _fileLength = fileLength;
        Start = start;
        _boundaries = boundaries;
        _delimiter = layout.Delimiter;
        _special[_delimiter] = true;
        _special[Cr] = true;
        _special[Lf] = true;
        _fieldSlots = layout.Header.Names.Length + 1;
        _fieldStart = new int[_fieldSlots];
        _fieldEnd = new int[_fieldSlots];
        _fieldKind = new byte[_fieldSlots];
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize + ReadSlack);

        var next = Array.FindIndex(boundaries, b => b > start);
        var span = (next < 0 ? fileLength : boundaries[next]) - start;
        (_entities, _stages, _times, _reasons, _segments) = (columns.Entities, columns.Stages, columns.Times, columns.Reasons, columns.Segments);
        RegionStart = regionStart;
        _write = regionStart;
        _directRunStart = regionStart;
        _writeEnd = regionStart + regionLength;
        var capacity = (int)Math.Clamp(span / 20, 16, 1 << 24);
        // Decimal keys up to 4 per estimated row are found by value (at most 16 bytes per row of the chunk).
        var directLimit = (int)Math.Clamp(span / 5, 1 << 16, 1 << 28);
        EntityKeys = new Utf8KeyTable(Math.Min(capacity / 4, 1 << 19), directLimit);
        SegmentKeys = new Utf8KeyTable(16, 1 << 16);
    }

    /// <summary>Gets the file offset where this chunk starts.</summary>
    public long Start { get; }

    /// <summary>Gets the index in the boundaries of the chunk this one handed over to, or -1 when it read to the end of the file.</summary>
    public int HandedOverTo { get; private set; } = -1;

    /// <summary>Gets a value indicating whether the file must be read by the streaming reader instead.</summary>
    public bool NeedsStreamingReader { get; private set; }

    public int Count { get; private set; }

    public long RowsRead { get; private set; }

    /// <summary>Gets the number of lines this chunk's rows take.</summary>
    public long Lines { get; private set; }

    public Utf8KeyTable EntityKeys { get; }

    public Utf8KeyTable SegmentKeys { get; }

    /// <summary>Gets the first row of the log's columns this chunk wrote.</summary>
    public int RegionStart { get; }

    /// <summary>Gets the number of rows written in the chunk's region of the log's columns (the first rows; the others are in <see cref="Spill"/>).</summary>
    public int InRegion => Count - SpillCount;

    /// <summary>Gets the rows that did not fit in the region, or <see langword="null"/>.</summary>
    public LogColumns? Spill { get; private set; }

    /// <summary>Gets the number of rows in <see cref="Spill"/>.</summary>
    public int SpillCount => _spilling ? _write : 0;

    /// <summary>Gets the largest stage ordinal kept, or -1.</summary>
    public int MaxStage { get; private set; } = -1;

    /// <summary>Gets the largest loss-reason ordinal kept, or -1.</summary>
    public int MaxReason { get; private set; } = -1;

    /// <summary>Gets the timestamp of the first row kept.</summary>
    public long FirstTime { get; private set; }

    /// <summary>Gets the timestamp of the last row kept.</summary>
    public long LastTime { get; private set; }

    /// <summary>Gets a value indicating whether the rows kept are in time order.</summary>
    public bool TimeOrdered { get; private set; } = true;

    /// <summary>Gets the rejected rows: the line relative to the chunk's first line, the field (-1 for the row), why.</summary>
    public List<(long Line, int Field, RowFault Fault)> Errors { get; } = [];

    /// <summary>Gets or sets where the bytes this chunk reads are counted for a caller's progress; null for none.</summary>
    public CsvReadProgress? Progress { get; set; }

    public void Run()
    {
        try
        {
            RunCore();
            EndDirectRun();
            FlushPending();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void RunCore()
    {
        _bufferOffset = Start;
        _bufferLength = 0;
        _validated = 0;
        var next = Array.FindIndex(_boundaries, b => b > Start);
        var nextBoundary = next < 0 ? long.MaxValue : _boundaries[next];
        var p = 0;
        if (!Fill(ref p))
        {
            return;
        }

        while (true)
        {
            var position = _bufferOffset + p;
            while (position > nextBoundary)
            {
                next++;
                nextBoundary = next < _boundaries.Length ? _boundaries[next] : long.MaxValue;
            }

            if (position == nextBoundary)
            {
                HandedOverTo = next;
                return;
            }

            var atEnd = _bufferOffset + _bufferLength == _fileLength;
            if (p == _bufferLength && atEnd)
            {
                return;
            }

            var end = ParseRow(p, atEnd);
            if (end >= 0)
            {
                p = end;
                continue;
            }

            if (end == GiveUp || (_bufferLength - p) > (long)_layout.MaxRowLength + 2)
            {
                NeedsStreamingReader = true;
                return;
            }

            if (!Fill(ref p))
            {
                return;
            }
        }
    }

    /// <summary>Keeps the bytes from <paramref name="p"/> on, reads more after them, and validates the UTF-8 read so far.</summary>
    private bool Fill(ref int p)
    {
        var keep = _bufferLength - p;
        if (p > 0)
        {
            Buffer.BlockCopy(_buffer, p, _buffer, 0, keep);
            _bufferOffset += p;
            _validated = Math.Max(0, _validated - p);
            p = 0;
        }

        if (keep >= _buffer.Length - ReadSlack)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, keep);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = RandomAccess.Read(_file, _buffer.AsSpan(keep, _buffer.Length - ReadSlack - keep), _bufferOffset + keep);
        if (read == 0 && _bufferOffset + keep < _fileLength)
        {
            throw new IOException($"The file ended at byte {_bufferOffset + keep} while being read; it was {_fileLength} bytes long when reading began.");
        }

        Progress?.Add(read);
        _bufferLength = keep + read;
        var atEnd = _bufferOffset + _bufferLength == _fileLength;

        // Validate up to the last ASCII byte (never inside a sequence), or to the end at the end of the file.
        var region = _buffer.AsSpan(_validated, _bufferLength - _validated);
        var upTo = atEnd ? region.Length : region.LastIndexOfAnyInRange((byte)0, (byte)0x7F) + 1;
        if (!Utf8.IsValid(region[..upTo]))
        {
            NeedsStreamingReader = true;
            return false;
        }

        _validated += upTo;
        return true;
    }

    /// <summary>
    /// Parses the row that starts at <paramref name="p"/>: returns the position after it, <see cref="NeedMore"/>
    /// when the buffer ends inside it, or <see cref="GiveUp"/> for what only the streaming reader reads exactly.
    /// </summary>
    private int ParseRow(int p, bool atEnd)
    {
        var b = _buffer;
        var n = _bufferLength;
        if (p >= n)
        {
            return NeedMore;
        }

        if (n - p >= 64 && Vector256.IsHardwareAccelerated)
        {
            var end = ParseShortRow(p);
            if (end >= 0)
            {
                return end;
            }
        }

        var rowStart = p;
        int c = b[p];
        long lines = 0;
        if (c is Cr or Lf)
        {
            if (c == Cr && p + 1 >= n && !atEnd)
            {
                return NeedMore;
            }

            p += c == Cr && p + 1 < n && b[p + 1] == Lf ? 2 : 1;
            Errors.Add((Lines, -1, RowFault.EmptyLine));
            RowsRead++;
            Lines++;
            return p;
        }

        var fields = 0;
        var textAfterQuote = -1;
        while (true)
        {
            if (p < n)
            {
                c = b[p];
            }
            else if (atEnd)
            {
                c = EndOfText;
            }
            else
            {
                return NeedMore;
            }

            int start;
            int stop;
            byte kind = 0;
            if (c == Quote)
            {
                var q = p + 1;
                while (true)
                {
                    if (q >= n)
                    {
                        return atEnd ? GiveUp : NeedMore;
                    }

                    var d = b[q];
                    if (d == Quote)
                    {
                        if (q + 1 >= n)
                        {
                            if (!atEnd)
                            {
                                return NeedMore;
                            }

                            break;
                        }

                        if (b[q + 1] != Quote)
                        {
                            break;
                        }

                        kind = 1;
                        q += 2;
                        continue;
                    }

                    if (d == Cr)
                    {
                        if (q + 1 >= n && !atEnd)
                        {
                            return NeedMore;
                        }

                        if (q + 1 < n && b[q + 1] == Lf)
                        {
                            q++;
                        }

                        lines++;
                    }
                    else if (d == Lf)
                    {
                        lines++;
                    }

                    q++;
                }

                start = p + 1;
                stop = q;
                p = q + 1;
                if (p < n && !_special[b[p]])
                {
                    if (textAfterQuote < 0)
                    {
                        textAfterQuote = fields;
                    }

                    while (p < n && !_special[b[p]])
                    {
                        p++;
                    }
                }

                if (p >= n && !atEnd)
                {
                    return NeedMore;
                }
            }
            else
            {
                start = p;
                while (p < n && !_special[b[p]])
                {
                    p++;
                }

                if (p >= n && !atEnd)
                {
                    return NeedMore;
                }

                stop = p;
            }

            if (fields < _fieldSlots)
            {
                _fieldStart[fields] = start;
                _fieldEnd[fields] = stop;
                _fieldKind[fields] = kind;
            }

            fields++;
            if (p >= n)
            {
                break;
            }

            c = b[p];
            if (c == _delimiter)
            {
                p++;
                continue;
            }

            if (c == Cr)
            {
                if (p + 1 >= n && !atEnd)
                {
                    return NeedMore;
                }

                if (p + 1 < n && b[p + 1] == Lf)
                {
                    p++;
                }
            }

            p++;
            lines++;
            break;
        }

        if ((long)(p - rowStart) + 2 > _layout.MaxRowLength)
        {
            return GiveUp;
        }

        var line = Lines;
        Lines += lines;
        RowsRead++;
        if (textAfterQuote >= 0)
        {
            Errors.Add((line, textAfterQuote, RowFault.TextAfterQuote));
            return p;
        }

        AddRow(fields, line);
        return p;
    }

    /// <summary>
    /// The common row, found with two vector compares: it ends (CR, LF or CR LF) within the 64 bytes from
    /// <paramref name="p"/>, holds no quote and is not empty. Returns the position after it, or -1 when the row is
    /// not such a row (then <see cref="ParseRow"/> reads it byte by byte, with the same result).
    /// </summary>
    private int ParseShortRow(int p)
    {
        ref var at = ref _buffer[p];
        var low = Vector256.LoadUnsafe(ref at);
        var high = Vector256.LoadUnsafe(ref at, 32);
        var ends = Mask(low, high, Lf) | Mask(low, high, Cr);
        if (ends == 0)
        {
            return -1;
        }

        var length = BitOperations.TrailingZeroCount(ends);
        var inRow = (1UL << length) - 1;
        if (length == 0 || (Mask(low, high, Quote) & inRow) != 0)
        {
            return -1;
        }

        var next = p + length + 1;
        if (_buffer[p + length] == Cr)
        {
            if (next >= _bufferLength)
            {
                return -1; // is a LF next? the buffer does not say yet
            }

            if (_buffer[next] == Lf)
            {
                next++;
            }
        }

        if ((long)(next - p) + 2 > _layout.MaxRowLength)
        {
            return -1;
        }

        var delimiters = Mask(low, high, _delimiter) & inRow;
        var fields = 0;
        var start = p;
        while (delimiters != 0)
        {
            var stop = p + BitOperations.TrailingZeroCount(delimiters);
            if (fields < _fieldSlots)
            {
                _fieldStart[fields] = start;
                _fieldEnd[fields] = stop;
                _fieldKind[fields] = 0;
            }

            fields++;
            start = stop + 1;
            delimiters &= delimiters - 1;
        }

        if (fields < _fieldSlots)
        {
            _fieldStart[fields] = start;
            _fieldEnd[fields] = p + length;
            _fieldKind[fields] = 0;
        }

        fields++;
        var line = Lines;
        Lines++;
        RowsRead++;
        AddRow(fields, line);
        return next;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mask(Vector256<byte> low, Vector256<byte> high, byte value)
    {
        var v = Vector256.Create(value);
        return Vector256.Equals(low, v).ExtractMostSignificantBits() | ((ulong)Vector256.Equals(high, v).ExtractMostSignificantBits() << 32);
    }

    /// <summary>
    /// Checks and keeps one row (its fields are in <see cref="_fieldStart"/>, <see cref="_fieldEnd"/>,
    /// <see cref="_fieldKind"/>). The common row takes only the code here; whatever is rare (a row error, a stage or loss
    /// reason given by ordinal, a timestamp that is not plain Unix seconds, a segment) is in methods of its own, so
    /// that this one keeps a small frame with nothing to clear on every call.
    /// </summary>
    private void AddRow(int fields, long line)
    {
        var header = _layout.Header;
        if (fields != header.Names.Length)
        {
            RejectFieldCount(fields, line);
            return;
        }

        var entity = Field(header.Entity, ref _scratchEntity);
        if (entity.IsEmpty)
        {
            RejectEmptyEntity(line);
            return;
        }

        var stage = _layout.FindStage(Field(header.Stage, ref _scratchField));
        if (stage < 0 && !TryParseStage(line, out stage))
        {
            return;
        }

        if (!TryFastSeconds(Field(header.Time, ref _scratchField), out var time) && !TryParseTimestamp(line, out time))
        {
            return;
        }

        var reason = TransitionLog.NoLossReason;
        if (header.Reason >= 0)
        {
            var text = Field(header.Reason, ref _scratchField);
            if (!text.IsEmpty)
            {
                var found = _layout.FindReason(text);
                if (found >= 0)
                {
                    reason = (short)found;
                }
                else if (!TryParseReason(line, out reason))
                {
                    return;
                }
            }
        }

        var segment = header.Segment >= 0 ? SegmentOf(header.Segment) : TransitionLog.NoSegment;
        if (_write == _writeEnd)
        {
            Grow();
        }

        var i = _write;
        var direct = DirectValue(entity);
        if (direct >= 0 && _directRunStart >= 0)
        {
            _entities[i] = direct;
        }
        else
        {
            EndDirectRun();
            Pend(entity, direct, i);
        }

        _stages[i] = (short)stage;
        _times[i] = time;
        _reasons[i] = reason;
        if (_segments is not null)
        {
            _segments[i] = segment;
        }

        MaxStage = Math.Max(MaxStage, stage);
        MaxReason = Math.Max(MaxReason, reason);
        if (Count == 0)
        {
            FirstTime = time;
        }
        else
        {
            TimeOrdered &= time >= LastTime;
        }

        LastTime = time;
        _write = i + 1;
        Count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RejectFieldCount(int fields, long line)
    {
        var (field, fault) = CsvFieldParser.FieldCountError(fields, _layout.Header.Names);
        Errors.Add((line, field, fault));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RejectEmptyEntity(long line) => Errors.Add((line, _layout.Header.Entity, RowFault.EmptyEntity));

    /// <summary>A stage that is not a key as bytes: an ordinal, or an error (added); false when the row is rejected.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryParseStage(long line, out int stage)
    {
        var field = _layout.Header.Stage;
        if (_layout.Fields.ParseStage(Chars(Field(field, ref _scratchField)), out stage) is { } fault)
        {
            Errors.Add((line, field, fault));
            return false;
        }

        return true;
    }

    /// <summary>A timestamp that is not plain Unix seconds, by the shared rules; false (an error added) when the row is rejected.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryParseTimestamp(long line, out long time)
    {
        var field = _layout.Header.Time;
        if (_layout.Fields.ParseTimestamp(Chars(Field(field, ref _scratchField)), out time) is { } fault)
        {
            Errors.Add((line, field, fault));
            return false;
        }

        return true;
    }

    /// <summary>A loss reason that is not a key as bytes: an ordinal, -1, or an error (added); false when the row is rejected.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryParseReason(long line, out short reason)
    {
        var field = _layout.Header.Reason;
        if (_layout.Fields.ParseReason(Chars(Field(field, ref _scratchField)), out reason) is { } fault)
        {
            Errors.Add((line, field, fault));
            return false;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int SegmentOf(int field)
    {
        var text = Field(field, ref _scratchSegment);
        return text.IsEmpty ? TransitionLog.NoSegment : SegmentKeys.GetOrAdd(text);
    }

    /// <summary>
    /// The value of an entity key that <see cref="Utf8KeyTable.IsDirect"/> accepts (1 to 9 ASCII digits without a
    /// leading zero, below the table's direct limit), or -1; read eight digits at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int DirectValue(ReadOnlySpan<byte> key)
    {
        var length = key.Length;
        if (length is 0 or > 9 || (key[0] == (byte)'0' && length > 1))
        {
            return -1;
        }

        return AsciiDigits.TryParse(ref MemoryMarshal.GetReference(key), length, out var value) && value < (ulong)EntityKeys.DirectLimit ? (int)value : -1;
    }

    /// <summary>
    /// Queues the entity key of row <paramref name="row"/> for interning. Keys are interned in batches, in row order
    /// (so ids keep the order of first appearance): the batch's table slots are touched first, so that their cache
    /// misses overlap instead of costing one full memory latency per row.
    /// </summary>
    /// <remarks>A direct key (<paramref name="direct"/> ≥ 0, see <see cref="Utf8KeyTable.IsDirect"/>) is batched too: its entry in the value array is touched first.</remarks>
    private void Pend(ReadOnlySpan<byte> key, int direct, int row)
    {
        var n = _pendingCount;
        _pendingStart[n] = _pendingKeyLength;
        _pendingDirect[n] = direct;
        if (direct < 0)
        {
            // A direct key's text is its value's decimal text: only the other keys are kept until the batch is flushed.
            if (_pendingKeys.Length - _pendingKeyLength < key.Length)
            {
                Array.Resize(ref _pendingKeys, Math.Max(_pendingKeys.Length * 2, _pendingKeyLength + key.Length));
            }

            key.CopyTo(_pendingKeys.AsSpan(_pendingKeyLength));
            _pendingKeyLength += key.Length;
            _pendingHash[n] = Utf8KeyTable.Prepare(key, out _pendingA[n], out _pendingB[n]);
        }

        _pendingRow[n] = row;
        _pendingCount = n + 1;
        if (n + 1 == PendingBatch)
        {
            FlushPending();
        }
    }

    /// <summary>Turns the values of the run of direct keys into ids, and interns every later key through <see cref="Pend"/>.</summary>
    private void EndDirectRun()
    {
        if (_directRunStart >= 0)
        {
            EntityKeys.InternDirect(_entities.AsSpan(_directRunStart, _write - _directRunStart));
            _directRunStart = -1;
        }
    }

    private void FlushPending()
    {
        var keys = EntityKeys;
        var touched = 0;
        for (var k = 0; k < _pendingCount; k++)
        {
            touched |= _pendingDirect[k] < 0 ? keys.Touch(_pendingHash[k]) : keys.TouchDirect(_pendingDirect[k]);
        }

        _touched ^= touched;
        var start = 0;
        for (var k = 0; k < _pendingCount; k++)
        {
            var end = k + 1 < _pendingCount ? _pendingStart[k + 1] : _pendingKeyLength;
            _entities[_pendingRow[k]] = _pendingDirect[k] >= 0
                ? keys.GetOrAddDirect(_pendingDirect[k])
                : keys.GetOrAdd(_pendingKeys.AsSpan(start, end - start), _pendingA[k], _pendingB[k], _pendingHash[k]);
            start = end;
        }

        _pendingCount = 0;
        _pendingKeyLength = 0;
    }

    /// <summary>Plain Unix seconds: an optional minus and 1 to 12 ASCII digits, within the years 1 to 9999 (anything else goes to the shared parser).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryFastSeconds(ReadOnlySpan<byte> text, out long seconds)
    {
        seconds = 0;
        if (!_layout.Fields.IntegersAreSeconds || text.IsEmpty || text.Length > 13)
        {
            return false;
        }

        var negative = text[0] == (byte)'-';
        var i = negative ? 1 : 0;
        if (i == text.Length || text.Length - i > 12)
        {
            return false;
        }

        if (!AsciiDigits.TryParse(ref Unsafe.Add(ref MemoryMarshal.GetReference(text), i), text.Length - i, out var value))
        {
            return false;
        }

        seconds = negative ? -(long)value : (long)value;
        return seconds is >= TransitionLog.MinTimestamp and <= TransitionLog.MaxTimestamp;
    }

    /// <summary>The text of field <paramref name="index"/>: the bytes in the buffer, or unescaped into <paramref name="scratch"/>.</summary>
    private ReadOnlySpan<byte> Field(int index, ref byte[] scratch)
    {
        var raw = _buffer.AsSpan(_fieldStart[index], _fieldEnd[index] - _fieldStart[index]);
        if (_fieldKind[index] == 0)
        {
            return raw;
        }

        if (scratch.Length < raw.Length + ReadSlack)
        {
            scratch = new byte[Math.Max(raw.Length + ReadSlack, scratch.Length * 2)];
        }

        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            scratch[length++] = raw[i];
            if (raw[i] == Quote)
            {
                i++;
            }
        }

        return scratch.AsSpan(0, length);
    }

    private static string Chars(ReadOnlySpan<byte> text) => Encoding.UTF8.GetString(text);

    /// <summary>Moves on to the spill columns once the region is full (a chunk that reads past its byte range), or makes them larger.</summary>
    private void Grow()
    {
        EndDirectRun(); // the run and the pending rows point into the columns being left
        FlushPending();
        if (!_spilling)
        {
            _spilling = true;
            Spill = new LogColumns(1024, _segments is not null);
            (_entities, _stages, _times, _reasons, _segments) = (Spill.Entities, Spill.Stages, Spill.Times, Spill.Reasons, Spill.Segments);
            _write = 0;
            _writeEnd = 1024;
            return;
        }

        var size = (int)Math.Min(Array.MaxLength, (long)_entities.Length * 2);
        if (size == _entities.Length)
        {
            throw new InvalidOperationException($"A transition log holds at most {Array.MaxLength} events.");
        }

        Spill = new LogColumns(
            Regrow(_entities, size, _write),
            Regrow(_stages, size, _write),
            Regrow(_times, size, _write),
            Regrow(_reasons, size, _write),
            _segments is null ? null : Regrow(_segments, size, _write));
        (_entities, _stages, _times, _reasons, _segments) = (Spill.Entities, Spill.Stages, Spill.Times, Spill.Reasons, Spill.Segments);
        _writeEnd = size;
    }

    private static T[] Regrow<T>(T[] array, int size, int count)
    {
        var bigger = GC.AllocateUninitializedArray<T>(size);
        array.AsSpan(0, count).CopyTo(bigger);
        return bigger;
    }
}
