namespace Funnel.Core.Bulk;

/// <summary>
/// What is wrong with a rejected row of an event log (<see cref="CsvRowError.Kind"/>,
/// <see cref="TransitionLogRowError.Kind"/>): the machine-readable counterpart of the error's reason text.
/// </summary>
/// <remarks>
/// The first five kinds concern the CSV text as a whole (a columnar file has no such rows); the others concern one
/// field and occur in CSV, Parquet and Arrow alike. New kinds may be added; treat an unknown value as a bad field.
/// </remarks>
public enum RowErrorKind
{
    /// <summary>A CSV line is empty.</summary>
    EmptyLine = 0,

    /// <summary>A CSV row has another number of fields than the header.</summary>
    FieldCount = 1,

    /// <summary>A quoted CSV field is never closed: the text ends inside it.</summary>
    UnclosedQuote = 2,

    /// <summary>A CSV row is longer than <see cref="TransitionLogCsvOptions.MaxRowLength"/>.</summary>
    RowTooLong = 3,

    /// <summary>Text follows the closing quote of a quoted CSV field.</summary>
    TextAfterQuote = 4,

    /// <summary>A required value is missing: an empty or blank entity, or a null entity, stage or timestamp.</summary>
    MissingValue = 5,

    /// <summary>The stage is neither a stage key of the definition nor a stage ordinal of it; the error's value is the text or number found.</summary>
    UnknownStage = 6,

    /// <summary>The loss reason is neither a loss-reason key of the definition nor one of its ordinals (nor empty or -1 for none); the error's value is the text or number found.</summary>
    UnknownLossReason = 7,

    /// <summary>The timestamp is neither Unix seconds nor ISO 8601 (nor of the format option, when one is set).</summary>
    InvalidTimestamp = 8,

    /// <summary>The timestamp is a number or instant outside the years 1 to 9999 (or beyond 64-bit integers).</summary>
    TimestampOutOfRange = 9,

    /// <summary>An integer entity or segment key of a columnar file does not fit a 64-bit signed integer.</summary>
    KeyOutOfRange = 10,
}
