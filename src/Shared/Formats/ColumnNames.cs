namespace Funnel.Formats;

/// <summary>The names of the five mapped columns, taken from a format's public options type.</summary>
internal sealed record ColumnNames(string Entity, string Stage, string Timestamp, string LossReason, string Segment);
