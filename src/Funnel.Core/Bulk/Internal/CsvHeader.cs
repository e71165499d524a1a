namespace Funnel.Core.Bulk;

/// <summary>A CSV header as the streaming reader understood it: the names, the field position of each column (-1 when absent), and the line where the data starts.</summary>
internal sealed record CsvHeader(string[] Names, int Entity, int Stage, int Time, int Reason, int Segment, long DataLine);
