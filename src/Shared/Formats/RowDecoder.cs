using System.Globalization;
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
    private readonly FunnelDefinition _definition;
    private readonly ColumnNames _names;
    private readonly TransitionLogBuilder _builder;
    private readonly Dictionary<string, int> _stageOrdinals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _reasonOrdinals = new(StringComparer.Ordinal);
    private readonly KeyTable _entityKeys;
    private readonly KeyTable _segmentKeys;
    private readonly List<TransitionLogRowError> _errors = [];
    private readonly string? _segmentColumn;
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
    }

    public IReadOnlyList<TransitionLogRowError> Errors => _errors;

    public long RowsRead { get; private set; }

    /// <summary>Decodes <paramref name="rowCount"/> rows; the first has the 0-based file row index <see cref="RowsRead"/>.</summary>
    public void AddBatch(int rowCount, ColumnView entity, ColumnView stage, ColumnView timestamp, ColumnView? lossReason, ColumnView? segment)
    {
        for (var row = 0; row < rowCount; row++)
        {
            var error = DecodeRow(row, entity, stage, timestamp, lossReason, segment);
            if (error is not null)
            {
                _errors.Add(new TransitionLogRowError(RowsRead, error.Value.Column, error.Value.Kind, error.Value.Reason, error.Value.Value));
            }

            RowsRead++;
        }
    }

    public TransitionLog Build() => _builder.Build();

    /// <summary>The result of the whole read: the log, the keys, every rejected row.</summary>
    public TransitionLogReadResult ToResult() => new(Build(), _entityKeys.ToInterner(), _segmentKeys.ToInterner(), [.. _errors], RowsRead) { SegmentColumn = _segmentColumn };

    private (string Column, RowErrorKind Kind, string Reason, string? Value)? DecodeRow(int row, ColumnView entity, ColumnView stage, ColumnView timestamp, ColumnView? lossReason, ColumnView? segment)
    {
        // Entity: an integer by its exact decimal text, a text as it is (not trimmed), never null or blank.
        int entityId;
        if (entity.IsNull(row))
        {
            return (_names.Entity, RowErrorKind.MissingValue, "the entity is null", null);
        }

        if (entity.Kind == ColumnKind.Integer)
        {
            if (!entity.TryGetInteger(row, out var key))
            {
                return (_names.Entity, RowErrorKind.KeyOutOfRange, "the entity does not fit a 64-bit signed integer", null);
            }

            entityId = _entityKeys.Intern(key);
        }
        else
        {
            var text = entity.GetText(row);
            if (text.IsWhiteSpace())
            {
                return (_names.Entity, RowErrorKind.MissingValue, "the entity is empty", null);
            }

            entityId = _entityKeys.Intern(text);
        }

        // Stage: a key of the definition or an ordinal.
        int stageOrdinal;
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

            stageOrdinal = (int)value;
        }
        else
        {
            var text = stage.GetText(row);
            if (!LookUpStage(text, out stageOrdinal)
                && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out stageOrdinal) || stageOrdinal >= _definition.Stages.Length))
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
        var reason = (int)TransitionLog.NoLossReason;
        if (lossReason is not null && !lossReason.IsNull(row))
        {
            if (lossReason.Kind == ColumnKind.Integer)
            {
                if (!lossReason.TryGetInteger(row, out var value) || value < -1 || value >= _definition.LossReasons.Length)
                {
                    return (_names.LossReason, RowErrorKind.UnknownLossReason, $"{Describe(lossReason, row)} is not a loss-reason ordinal {ReasonRange()} (or -1 for none)", Value(lossReason, row));
                }

                reason = (int)value;
            }
            else
            {
                var text = lossReason.GetText(row);
                if (text.Length > 0 && !text.SequenceEqual("-1")
                    && !LookUpReason(text, out reason)
                    && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out reason) || reason >= _definition.LossReasons.Length))
                {
                    return (_names.LossReason, RowErrorKind.UnknownLossReason, $"'{text.ToString()}' is neither a loss-reason key of '{_definition.Key}' nor a loss-reason ordinal {ReasonRange()} (empty or -1 for none)", text.ToString());
                }

                if (text.Length == 0 || text.SequenceEqual("-1"))
                {
                    reason = TransitionLog.NoLossReason;
                }
            }
        }

        // Segment: null or empty for none; an integer by its decimal text, a text exactly as stored (keys are exact, as in CSV).
        var segmentCode = TransitionLog.NoSegment;
        if (segment is not null && !segment.IsNull(row))
        {
            if (segment.Kind == ColumnKind.Integer)
            {
                if (!segment.TryGetInteger(row, out var key))
                {
                    return (_names.Segment, RowErrorKind.KeyOutOfRange, "the segment does not fit a 64-bit signed integer", null);
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

        _builder.Add(entityId, stageOrdinal, seconds, reason, segmentCode);
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

        public int Intern(long key)
        {
            if ((ulong)key < (ulong)_directLimit)
            {
                if (key >= _direct.Length)
                {
                    Array.Resize(ref _direct, (int)Math.Min(_directLimit, Math.Max(key + 1, Math.Max(1024L, _direct.Length * 2L))));
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

        private int Add(long number, string? text)
        {
            _numbers.Add(number);
            _texts.Add(text);
            return _numbers.Count - 1;
        }

        /// <summary>
        /// Reads a text that <see cref="long.ToString()"/> gives for some value: an optional <c>-</c> and 1 to 19 ASCII
        /// digits without a leading zero (a lone <c>0</c> is one), within the range of <see cref="long"/>.
        /// </summary>
        private static bool TryParseIntegerText(ReadOnlySpan<char> text, out long value)
        {
            value = 0;
            var negative = text.Length > 0 && text[0] == '-';
            var digits = negative ? text[1..] : text;
            if (digits.Length is 0 or > 19 || (digits[0] == '0' && (digits.Length > 1 || negative)))
            {
                return false;
            }

            var magnitude = 0UL;
            foreach (var c in digits)
            {
                var digit = (uint)(c - '0');
                if (digit > 9)
                {
                    return false;
                }

                magnitude = (magnitude * 10) + digit; // 19 digits fit an unsigned 64-bit value
            }

            if (negative ? magnitude > (ulong)long.MaxValue + 1 : magnitude > long.MaxValue)
            {
                return false;
            }

            value = negative ? (long)(0UL - magnitude) : (long)magnitude;
            return true;
        }
    }
}
