using System.Buffers;
using System.Globalization;
using System.Numerics;
using Funnel.Core;
using Funnel.Core.Bulk;

namespace Funnel.Formats;

/// <summary>
/// Turns the rows of a columnar file, batch by batch, into a <see cref="TransitionLog"/> with the same rules as
/// <see cref="TransitionLogCsvReader"/>: entity keys interned in order of first appearance (an integer key by its
/// exact decimal text), stages and loss reasons by key or ordinal, a bad row rejected with its row index, column and
/// reason while the rows around it are kept. Shared by the Parquet and Arrow adapters.
/// </summary>
internal sealed class RowDecoder
{
    /// <summary>Kept rows interned per block: enough misses in flight to hide memory latency, few enough to stay in cache.</summary>
    private const int PendingBlock = 64;

    /// <summary>A stage or loss-reason code that marks the row bad (a valid code is -1 or above).</summary>
    private const int Invalid = int.MinValue;

    /// <summary>A dictionary entry not resolved yet.</summary>
    private const int Unresolved = int.MinValue + 1;

    private const byte KeyNumber = 0;
    private const byte KeyText = 1;
    private const byte IntegerNull = ColumnView.IntegerNull;

    /// <summary>Resolves a stage or loss-reason text to its code (a delegate type: .NET 8 has no span type arguments).</summary>
    private delegate int TextResolver(ReadOnlySpan<char> text);

    private readonly FunnelDefinition _definition;
    private readonly ColumnNames _names;
    private readonly TransitionLogBuilder _builder;
    private readonly Dictionary<string, int> _stageOrdinals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _reasonOrdinals = new(StringComparer.Ordinal);
    private readonly KeyTable _entityKeys;
    private readonly KeyTable _segmentKeys;
    private readonly List<TransitionLogRowError> _errors = [];
    private readonly string? _segmentColumn;
    private readonly TextResolver _resolveStage;
    private readonly TextResolver _resolveReason;

    private readonly int[] _pending = new int[PendingBlock];
    private int _pendingCount;
    private int _touched;
#if NET9_0_OR_GREATER
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _stageLookup;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _reasonLookup;
#endif

    /// <summary>Creates a decoder; <paramref name="segmentColumn"/> is the segment column's name as the file spells it, or null when there is none.</summary>
    public RowDecoder(FunnelDefinition definition, ColumnNames names, string? segmentColumn, long capacityHint)
    {
        _definition = definition;
        _names = names;
        _segmentColumn = segmentColumn;
        _builder = new TransitionLogBuilder((int)Math.Clamp(capacityHint, 0, 1 << 24), segmentColumn is not null);
        for (var i = 0; i < definition.Stages.Length; i++)
        {
            _stageOrdinals[definition.Stages[i].Key.Value] = i;
        }

        for (var i = 0; i < definition.LossReasons.Length; i++)
        {
            _reasonOrdinals[definition.LossReasons[i].Key.Value] = i;
        }

        // Keys that are small decimal numbers are found by value in an array bounded by the rows expected.
        var directLimit = (int)Math.Clamp(capacityHint * 2, 1 << 16, 1 << 26);
        _entityKeys = new KeyTable(directLimit);
        _segmentKeys = new KeyTable(directLimit);
#if NET9_0_OR_GREATER
        _stageLookup = _stageOrdinals.GetAlternateLookup<ReadOnlySpan<char>>();
        _reasonLookup = _reasonOrdinals.GetAlternateLookup<ReadOnlySpan<char>>();
#endif
        _resolveStage = ResolveStage;
        _resolveReason = ResolveReason;
    }

    public IReadOnlyList<TransitionLogRowError> Errors => _errors;

    public long RowsRead { get; private set; }

    /// <summary>
    /// Decodes <paramref name="rowCount"/> rows; the first has the 0-based file row index <see cref="RowsRead"/>.
    /// Column by column: each mapped column is checked and converted in one tight pass (<see cref="Prepare"/>), then
    /// the rows are committed in order (<see cref="Commit"/>).
    /// </summary>
    public void AddBatch(int rowCount, ColumnView entity, ColumnView stage, ColumnView timestamp, ColumnView? lossReason, ColumnView? segment)
    {
        using var batch = Prepare(rowCount, entity, stage, timestamp, lossReason, segment);
        Commit(batch);
    }

    /// <summary>
    /// Checks and converts each mapped column of a batch in one tight pass (a dictionary-encoded text column resolves
    /// each entry once). It reads only the definition, never the keys or the log, so it may run on another thread
    /// while the previous batch is committed; the views must stay open until the batch is committed.
    /// </summary>
    public Batch Prepare(int rowCount, ColumnView entity, ColumnView stage, ColumnView timestamp, ColumnView? lossReason, ColumnView? segment)
    {
        var batch = new Batch(rowCount, entity, stage, timestamp, lossReason, segment);
        var bad = batch.Bad.AsSpan(0, rowCount);
        bad.Clear();
        ReadEntities(batch, bad);
        ReadCodes(batch, stage, batch.StageCodes, bad, _resolveStage, CheckStageOrdinal, nullCode: Invalid);
        ReadTimes(batch, bad);
        if (lossReason is null)
        {
            batch.ReasonCodes.AsSpan(0, rowCount).Fill(TransitionLog.NoLossReason);
        }
        else
        {
            ReadCodes(batch, lossReason, batch.ReasonCodes, bad, _resolveReason, CheckReasonOrdinal, nullCode: TransitionLog.NoLossReason);
        }

        return batch;
    }

    /// <summary>
    /// Commits a prepared batch, batches in file order: a row that failed a check gets the error of its first failing
    /// column (entity, stage, timestamp, loss reason, segment, as <see cref="Check"/> says), and the entity keys of
    /// the kept rows are interned in small blocks whose cache misses overlap.
    /// </summary>
    public void Commit(Batch batch)
    {
        var (rowCount, entity, stage, timestamp, lossReason, segment) = (batch.RowCount, batch.Entity, batch.Stage, batch.Timestamp, batch.LossReason, batch.Segment);
        var bad = batch.Bad;
        for (var row = 0; row < rowCount; row++)
        {
            if (bad[row] != 0)
            {
                AddError(row, Check(row, entity, stage, timestamp, lossReason)
                    ?? throw new InvalidOperationException($"Unreachable: row {RowsRead + row} failed a column pass but passes the row check."));
                continue;
            }

            var segmentCode = TransitionLog.NoSegment;
            if (segment is not null && !segment.IsNull(row))
            {
                if (segment.Kind == ColumnKind.Integer)
                {
                    if (!segment.TryGetInteger(row, out var key))
                    {
                        AddError(row, (_names.Segment, RowErrorKind.KeyOutOfRange, "the segment does not fit a 64-bit signed integer", null));
                        continue;
                    }

                    segmentCode = _segmentKeys.Intern(key);
                }
                else
                {
                    var text = segment.GetText(row);
                    if (text.Length > 0)
                    {
                        segmentCode = _segmentKeys.Intern(text);
                    }
                }
            }

            batch.SegmentCodes[row] = segmentCode;
            _pending[_pendingCount++] = row;
            if (_pendingCount == PendingBlock)
            {
                FlushPending(batch);
            }
        }

        FlushPending(batch);
        RowsRead += rowCount;
    }

    public TransitionLog Build() => _builder.Build();

    /// <summary>The result of the whole read: the log, the keys, every rejected row.</summary>
    public TransitionLogReadResult ToResult() => new(Build(), _entityKeys.ToInterner(), _segmentKeys.ToInterner(), [.. _errors], RowsRead) { SegmentColumn = _segmentColumn };

    private void AddError(int row, (string Column, RowErrorKind Kind, string Reason, string? Value) error) =>
        _errors.Add(new TransitionLogRowError(RowsRead + row, error.Column, error.Kind, error.Reason, error.Value));

    /// <summary>Entity keys: a number (an integer, or a text that is exactly the decimal text of one) or a text; a null, blank or too large key marks the row bad.</summary>
    private static void ReadEntities(Batch batch, Span<byte> bad)
    {
        var (entity, rows) = (batch.Entity, batch.RowCount);
        var keys = batch.Keys.AsSpan(0, rows);
        var kinds = batch.KeyKinds.AsSpan(0, rows);
        if (entity.Kind == ColumnKind.Integer)
        {
            var states = batch.IntegerStates.AsSpan(0, rows);
            entity.ReadIntegers(keys, states);
            for (var row = 0; row < rows; row++)
            {
                kinds[row] = KeyNumber;
                bad[row] |= states[row];
            }

            return;
        }

        if (entity is Utf8Column utf8)
        {
            var lengths = utf8.Lengths;
            var starts = utf8.Starts;
            var bytes = utf8.Bytes;
            for (var row = 0; row < rows; row++)
            {
                var length = lengths[row];
                if (length < 0)
                {
                    bad[row] = 1;
                    continue;
                }

                var key = bytes.AsSpan(starts[row], length);
                if (KeyTable.TryParseIntegerText(key, out keys[row]))
                {
                    kinds[row] = KeyNumber;
                }
                else
                {
                    kinds[row] = KeyText;
                    if (IsBlank(utf8, key))
                    {
                        bad[row] = 1;
                    }
                }
            }

            return;
        }

        for (var row = 0; row < rows; row++)
        {
            if (entity.IsNull(row))
            {
                bad[row] = 1;
                continue;
            }

            var text = entity.GetText(row);
            if (KeyTable.TryParseIntegerText(text, out keys[row]))
            {
                kinds[row] = KeyNumber;
            }
            else
            {
                kinds[row] = KeyText;
                bad[row] |= text.IsWhiteSpace() ? (byte)1 : (byte)0;
            }
        }
    }

    /// <summary>Whether a UTF-8 key is empty or white space only, decoding it only when its first byte is not plain ASCII text.</summary>
    private static bool IsBlank(Utf8Column column, ReadOnlySpan<byte> key) =>
        key.IsEmpty || key[0] >= 0x80 || char.IsWhiteSpace((char)key[0]) ? column.Decode(key).IsWhiteSpace() : false;

    /// <summary>
    /// Stage or loss-reason codes: an integer column checked as ordinals, a text column resolved by key or ordinal
    /// (once per dictionary entry where the column has them); <see cref="Invalid"/> marks the row bad.
    /// </summary>
    private static void ReadCodes(Batch batch, ColumnView column, int[] codes, Span<byte> bad, TextResolver resolve, Func<long, int> checkOrdinal, int nullCode)
    {
        var rows = batch.RowCount;
        var output = codes.AsSpan(0, rows);
        if (column.Kind == ColumnKind.Integer)
        {
            var values = batch.Values.AsSpan(0, rows);
            var states = batch.IntegerStates.AsSpan(0, rows);
            column.ReadIntegers(values, states);
            for (var row = 0; row < rows; row++)
            {
                output[row] = states[row] switch
                {
                    0 => checkOrdinal(values[row]),
                    IntegerNull => nullCode,
                    _ => Invalid,
                };
            }
        }
        else if (column is Utf8Column { Entries: { } entries } utf8)
        {
            var resolved = new int[utf8.DictionarySize];
            resolved.AsSpan().Fill(Unresolved);
            for (var row = 0; row < rows; row++)
            {
                if (utf8.Lengths[row] < 0)
                {
                    output[row] = nullCode;
                }
                else if (entries[row] is var entry and >= 0)
                {
                    ref var code = ref resolved[entry];
                    if (code == Unresolved)
                    {
                        code = resolve(utf8.GetText(row));
                    }

                    output[row] = code;
                }
                else
                {
                    output[row] = resolve(utf8.GetText(row));
                }
            }
        }
        else
        {
            for (var row = 0; row < rows; row++)
            {
                output[row] = column.IsNull(row) ? nullCode : resolve(column.GetText(row));
            }
        }

        for (var row = 0; row < rows; row++)
        {
            bad[row] |= output[row] == Invalid ? (byte)1 : (byte)0;
        }
    }

    private static void ReadTimes(Batch batch, Span<byte> bad)
    {
        var rows = batch.RowCount;
        var times = batch.Times.AsSpan(0, rows);
        var states = batch.IntegerStates.AsSpan(0, rows);
        batch.Timestamp.ReadIntegers(times, states);
        for (var row = 0; row < rows; row++)
        {
            var seconds = times[row];
            bad[row] |= states[row] != 0 || seconds is < TransitionLog.MinTimestamp or > TransitionLog.MaxTimestamp ? (byte)1 : (byte)0;
        }
    }

    private int CheckStageOrdinal(long value) => value >= 0 && value < _definition.Stages.Length ? (int)value : Invalid;

    private int CheckReasonOrdinal(long value) => value >= -1 && value < _definition.LossReasons.Length ? (int)value : Invalid;

    private int ResolveStage(ReadOnlySpan<char> text) =>
        LookUpStage(text, out var ordinal)
        || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ordinal) && ordinal < _definition.Stages.Length)
            ? ordinal
            : Invalid;

    private int ResolveReason(ReadOnlySpan<char> text)
    {
        if (text.Length == 0 || text.SequenceEqual("-1"))
        {
            return TransitionLog.NoLossReason;
        }

        return LookUpReason(text, out var ordinal)
            || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ordinal) && ordinal < _definition.LossReasons.Length)
                ? ordinal
                : Invalid;
    }

    /// <summary>
    /// Interns the entity keys of the pending (kept) rows in row order and adds the rows to the log. The table slots
    /// of the block's number keys are touched first, so that their cache misses overlap instead of costing one full
    /// memory latency per row.
    /// </summary>
    private void FlushPending(Batch batch)
    {
        var entity = batch.Entity;
        var pending = _pending.AsSpan(0, _pendingCount);
        _pendingCount = 0;
        if (pending.IsEmpty)
        {
            return;
        }

        var keys = batch.Keys;
        var kinds = batch.KeyKinds;
        var touched = 0;
        foreach (var row in pending)
        {
            if (kinds[row] == KeyNumber)
            {
                touched |= _entityKeys.Touch(keys[row]);
            }
        }

        _touched ^= touched;
        var utf8 = entity as Utf8Column;
        foreach (var row in pending)
        {
            int id;
            if (kinds[row] == KeyNumber)
            {
                id = _entityKeys.Intern(keys[row]);
            }
            else
            {
                id = _entityKeys.Intern(utf8 is not null ? utf8.GetText(row) : entity.GetText(row));
            }

            _builder.Add(id, batch.StageCodes[row], batch.Times[row], batch.ReasonCodes[row], batch.SegmentCodes[row]);
        }
    }

    /// <summary>
    /// The error of a row, the first failing check in the order entity, stage, timestamp, loss reason (the segment
    /// is checked as the row is committed); null when the row passes them all. It defines the texts, kinds and
    /// values of the errors; the column passes only find which rows to ask it about.
    /// </summary>
    private (string Column, RowErrorKind Kind, string Reason, string? Value)? Check(int row, ColumnView entity, ColumnView stage, ColumnView timestamp, ColumnView? lossReason)
    {
        // Entity: an integer by its exact decimal text, a text as it is (not trimmed), never null or blank.
        if (entity.IsNull(row))
        {
            return (_names.Entity, RowErrorKind.MissingValue, "the entity is null", null);
        }

        if (entity.Kind == ColumnKind.Integer)
        {
            if (!entity.TryGetInteger(row, out _))
            {
                return (_names.Entity, RowErrorKind.KeyOutOfRange, "the entity does not fit a 64-bit signed integer", null);
            }
        }
        else if (entity.GetText(row).IsWhiteSpace())
        {
            return (_names.Entity, RowErrorKind.MissingValue, "the entity is empty", null);
        }

        // Stage: a key of the definition or an ordinal.
        if (stage.IsNull(row))
        {
            return (_names.Stage, RowErrorKind.MissingValue, "the stage is null", null);
        }

        if (stage.Kind == ColumnKind.Integer)
        {
            if (!stage.TryGetInteger(row, out var value) || value < 0 || value >= _definition.Stages.Length)
            {
                return (_names.Stage, RowErrorKind.UnknownStage, $"{Describe(stage, row)} is not a stage ordinal 0..{_definition.Stages.Length - 1}", Value(stage, row));
            }
        }
        else
        {
            var text = stage.GetText(row);
            if (ResolveStage(text) == Invalid)
            {
                return (_names.Stage, RowErrorKind.UnknownStage, $"'{text.ToString()}' is neither a stage key of '{_definition.Key}' nor a stage ordinal 0..{_definition.Stages.Length - 1}", text.ToString());
            }
        }

        // Timestamp: whole Unix seconds (the views convert timestamp types), years 1 to 9999.
        if (timestamp.IsNull(row))
        {
            return (_names.Timestamp, RowErrorKind.MissingValue, "the timestamp is null", null);
        }

        if (!timestamp.TryGetInteger(row, out var seconds) || seconds is < TransitionLog.MinTimestamp or > TransitionLog.MaxTimestamp)
        {
            return (_names.Timestamp, RowErrorKind.TimestampOutOfRange, $"{Describe(timestamp, row)} seconds is outside the years 1 to 9999", Value(timestamp, row));
        }

        // Loss reason: null, empty or -1 for none; else a key of the definition or an ordinal.
        if (lossReason is not null && !lossReason.IsNull(row))
        {
            if (lossReason.Kind == ColumnKind.Integer)
            {
                if (!lossReason.TryGetInteger(row, out var value) || value < -1 || value >= _definition.LossReasons.Length)
                {
                    return (_names.LossReason, RowErrorKind.UnknownLossReason, $"{Describe(lossReason, row)} is not a loss-reason ordinal {ReasonRange()} (or -1 for none)", Value(lossReason, row));
                }
            }
            else
            {
                var text = lossReason.GetText(row);
                if (ResolveReason(text) == Invalid)
                {
                    return (_names.LossReason, RowErrorKind.UnknownLossReason, $"'{text.ToString()}' is neither a loss-reason key of '{_definition.Key}' nor a loss-reason ordinal {ReasonRange()} (empty or -1 for none)", text.ToString());
                }
            }
        }

        return null;
    }

    private string ReasonRange() => _definition.LossReasons.Length == 0 ? "(the definition has none)" : $"0..{_definition.LossReasons.Length - 1}";

    /// <summary>An integer value as its decimal text, or null when it does not fit a 64-bit signed integer.</summary>
    private static string? Value(ColumnView column, int row) =>
        column.TryGetInteger(row, out var value) ? value.ToString(CultureInfo.InvariantCulture) : null;

    private static string Describe(ColumnView column, int row) =>
        column.TryGetInteger(row, out var value) ? value.ToString(CultureInfo.InvariantCulture) : "the value (above 2^63 - 1)";

#if NET9_0_OR_GREATER
    private bool LookUpStage(ReadOnlySpan<char> key, out int value) => _stageLookup.TryGetValue(key, out value);

    private bool LookUpReason(ReadOnlySpan<char> key, out int value) => _reasonLookup.TryGetValue(key, out value);
#else
    private bool LookUpStage(ReadOnlySpan<char> key, out int value) => _stageOrdinals.TryGetValue(key.ToString(), out value);

    private bool LookUpReason(ReadOnlySpan<char> key, out int value) => _reasonOrdinals.TryGetValue(key.ToString(), out value);
#endif

    /// <summary>
    /// A batch's views and what <see cref="Prepare"/> found in them, one slot per row in arrays rented from
    /// <see cref="ArrayPool{T}.Shared"/> and returned by <see cref="Dispose"/> (the views are the caller's to dispose).
    /// </summary>
    public sealed class Batch : IDisposable
    {
        public Batch(int rowCount, ColumnView entity, ColumnView stage, ColumnView timestamp, ColumnView? lossReason, ColumnView? segment)
        {
            (RowCount, Entity, Stage, Timestamp, LossReason, Segment) = (rowCount, entity, stage, timestamp, lossReason, segment);
            var size = Math.Max(rowCount, 1);
            Bad = ArrayPool<byte>.Shared.Rent(size);
            Keys = ArrayPool<long>.Shared.Rent(size);
            KeyKinds = ArrayPool<byte>.Shared.Rent(size);
            StageCodes = ArrayPool<int>.Shared.Rent(size);
            Times = ArrayPool<long>.Shared.Rent(size);
            ReasonCodes = ArrayPool<int>.Shared.Rent(size);
            SegmentCodes = ArrayPool<int>.Shared.Rent(size);
            IntegerStates = ArrayPool<byte>.Shared.Rent(size);
            Values = ArrayPool<long>.Shared.Rent(size);
        }

        public int RowCount { get; }

        public ColumnView Entity { get; }

        public ColumnView Stage { get; }

        public ColumnView Timestamp { get; }

        public ColumnView? LossReason { get; }

        public ColumnView? Segment { get; }

        /// <summary>Gets, per row, 1 when a column pass found it bad (its error is then <see cref="Check"/>'s).</summary>
        public byte[] Bad { get; }

        /// <summary>Gets, per row, the entity key as a number (<see cref="KeyNumber"/>); a text key is read again from the view.</summary>
        public long[] Keys { get; }

        public byte[] KeyKinds { get; }

        public int[] StageCodes { get; }

        public long[] Times { get; }

        public int[] ReasonCodes { get; }

        public int[] SegmentCodes { get; }

        public byte[] IntegerStates { get; }

        public long[] Values { get; }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(Bad);
            ArrayPool<long>.Shared.Return(Keys);
            ArrayPool<byte>.Shared.Return(KeyKinds);
            ArrayPool<int>.Shared.Return(StageCodes);
            ArrayPool<long>.Shared.Return(Times);
            ArrayPool<int>.Shared.Return(ReasonCodes);
            ArrayPool<int>.Shared.Return(SegmentCodes);
            ArrayPool<byte>.Shared.Return(IntegerStates);
            ArrayPool<long>.Shared.Return(Values);
        }
    }

    /// <summary>
    /// Gives keys dense ids in order of first appearance without making a string per row or per key: an integer key,
    /// and a text key that is exactly the decimal text of one (<c>0</c>, <c>42</c>, <c>-7</c>; no <c>+</c>, no leading
    /// zero, no <c>-0</c>), is found by value, in an array indexed by the value below <c>directLimit</c> and in a
    /// dictionary otherwise, and kept as a number; any other text key is found through a table looked up by span and
    /// kept as its string. So an integer key and its decimal text are one key, as in the CSV reader. The keys become
    /// strings only when the result's <see cref="EntityInterner{TKey}"/> is asked for them (<see cref="ToInterner"/>).
    /// </summary>
    private sealed class KeyTable
    {
        private readonly int _directLimit;
        private readonly Dictionary<long, int> _byInteger = [];
        private readonly Dictionary<string, int> _byText = new(StringComparer.Ordinal);
#if NET9_0_OR_GREATER
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _textLookup;
#endif
        private readonly List<long> _numbers = []; // by id; the key when _texts has null at the id
        private readonly List<string?> _texts = [];
        private int[] _direct = []; // value → id + 1; 0 when not seen

        public KeyTable(int directLimit)
        {
            _directLimit = directLimit;
#if NET9_0_OR_GREATER
            _textLookup = _byText.GetAlternateLookup<ReadOnlySpan<char>>();
#endif
        }

        /// <summary>Reads the slot of a key found by value in the array (making room for it), so that a later <see cref="Intern(long)"/> finds it in cache.</summary>
        public int Touch(long key)
        {
            if ((ulong)key >= (ulong)_directLimit)
            {
                return 0;
            }

            if (key >= _direct.Length)
            {
                GrowDirect(key);
            }

            return _direct[key];
        }

        public int Intern(long key)
        {
            if ((ulong)key < (ulong)_directLimit)
            {
                if (key >= _direct.Length)
                {
                    GrowDirect(key);
                }

                ref var slot = ref _direct[key];
                if (slot == 0)
                {
                    slot = Add(key, null) + 1;
                }

                return slot - 1;
            }

            if (!_byInteger.TryGetValue(key, out var id))
            {
                id = Add(key, null);
                _byInteger[key] = id;
            }

            return id;
        }

        public int Intern(ReadOnlySpan<char> key)
        {
            if (TryParseIntegerText(key, out var value))
            {
                return Intern(value);
            }

#if NET9_0_OR_GREATER
            if (_textLookup.TryGetValue(key, out var id))
            {
                return id;
            }
#else
            if (_byText.TryGetValue(key.ToString(), out var id))
            {
                return id;
            }
#endif

            var text = key.ToString();
            id = Add(0, text);
            _byText[text] = id;
            return id;
        }

        /// <summary>The keys as strings, made when they are first asked for.</summary>
        public EntityInterner<string> ToInterner()
        {
            var numbers = _numbers;
            var texts = _texts;
            return new EntityInterner<string>(numbers.Count, id => texts[id] ?? numbers[id].ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
        }

        private void GrowDirect(long key) =>
            Array.Resize(ref _direct, (int)Math.Min(_directLimit, Math.Max(key + 1, Math.Max(1024L, _direct.Length * 2L))));

        private int Add(long number, string? text)
        {
            _numbers.Add(number);
            _texts.Add(text);
            return _numbers.Count - 1;
        }

        /// <summary>
        /// Reads a text that <see cref="long.ToString()"/> gives for some value: an optional <c>-</c> and 1 to 19 ASCII
        /// digits without a leading zero (a lone <c>0</c> is one), within the range of <see cref="long"/>. The text is
        /// UTF-16 (<see cref="char"/>) or UTF-8 (<see cref="byte"/>: a byte of a non-ASCII character is never a digit).
        /// </summary>
        public static bool TryParseIntegerText<T>(ReadOnlySpan<T> text, out long value)
            where T : unmanaged, IBinaryInteger<T>
        {
            value = 0;
            var negative = text.Length > 0 && uint.CreateTruncating(text[0]) == '-';
            var digits = negative ? text[1..] : text;
            if (digits.Length is 0 or > 19 || (uint.CreateTruncating(digits[0]) == '0' && (digits.Length > 1 || negative)))
            {
                return false;
            }

            var magnitude = 0UL;
            foreach (var c in digits)
            {
                var digit = unchecked(uint.CreateTruncating(c) - '0');
                if (digit > 9)
                {
                    return false;
                }

                magnitude = (magnitude * 10) + digit; // 19 digits fit an unsigned 64-bit value
            }

            return Fits(magnitude, negative, out value);
        }

        private static bool Fits(ulong magnitude, bool negative, out long value)
        {
            if (negative ? magnitude > (ulong)long.MaxValue + 1 : magnitude > long.MaxValue)
            {
                value = 0;
                return false;
            }

            value = negative ? (long)(0UL - magnitude) : (long)magnitude;
            return true;
        }
    }
}
