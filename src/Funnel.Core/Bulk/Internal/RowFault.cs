namespace Funnel.Core.Bulk;

/// <summary>Why a row is bad, before it has a place in the file: the kind, the reason text and the field's text at fault (null when none).</summary>
internal readonly record struct RowFault(RowErrorKind Kind, string Reason, string? Value)
{
    /// <summary>An empty line.</summary>
    public static readonly RowFault EmptyLine = new(RowErrorKind.EmptyLine, CsvFieldParser.EmptyLineReason, null);

    /// <summary>Text after the closing quote of a quoted field.</summary>
    public static readonly RowFault TextAfterQuote = new(RowErrorKind.TextAfterQuote, CsvFieldParser.TextAfterQuoteReason, null);

    /// <summary>An empty entity field.</summary>
    public static readonly RowFault EmptyEntity = new(RowErrorKind.MissingValue, CsvFieldParser.EmptyEntityReason, null);
}
