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

    public RowDecoder(FunnelDefinition definition, ColumnNames names, bool withSegments, long capacityHint)
    {
        _definition = definition;
        _names = names;
        _builder = new TransitionLogBuilder((int)Math.Clamp(capacityHint, 0, 1 << 24), withSegments);
        for (var i = 0; i < definition.Stages.Length; i++)
        {
            _stageOrdinals[definition.Stages[i].Key.Value] = i;
        }

        for (var i = 0; i < definition.LossReasons.Length; i++)
        {
            _reasonOrdinals[definition.LossReasons[i].Key.Value] = i;
        }

        _entityKeys = new KeyTable(Entities);
        _segmentKeys = new KeyTable(Segments);
    }

    public EntityInterner<string> Entities { get; } = new(StringComparer.Ordinal);

    public EntityInterner<string> Segments { get; } = new(StringComparer.Ordinal);

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
    public TransitionLogReadResult ToResult() => new(Build(), Entities, Segments, [.. _errors], RowsRead);

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
            if (!TryLookup(_stageOrdinals, text, out stageOrdinal)
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
                    && !TryLookup(_reasonOrdinals, text, out reason)
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

    private static bool TryLookup(Dictionary<string, int> table, ReadOnlySpan<char> key, out int value)
    {
#if NET9_0_OR_GREATER
        return table.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key, out value);
#else
        return table.TryGetValue(key.ToString(), out value);
#endif
    }

    /// <summary>
    /// Interns keys into an <see cref="EntityInterner{TKey}"/> of strings without allocating a string per row: an
    /// integer key goes through a table by value (its decimal text is made once, on first sight), a text key through
    /// a table looked up by span.
    /// </summary>
    private sealed class KeyTable(EntityInterner<string> interner)
    {
        private readonly Dictionary<long, int> _byInteger = [];
        private readonly Dictionary<string, int> _byText = new(StringComparer.Ordinal);

        public int Intern(long key)
        {
            if (!_byInteger.TryGetValue(key, out var id))
            {
                id = interner.Intern(key.ToString(CultureInfo.InvariantCulture));
                _byInteger[key] = id;
            }

            return id;
        }

        public int Intern(ReadOnlySpan<char> key)
        {
            if (TryLookup(_byText, key, out var id))
            {
                return id;
            }

            var text = key.ToString();
            id = interner.Intern(text);
            _byText[text] = id;
            return id;
        }
    }
}
