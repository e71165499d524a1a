namespace Funnel.Formats;

/// <summary>A rejected row as the decoder records it; each package turns it into its public row-error type.</summary>
internal readonly record struct RowProblem(long RowIndex, string Column, string Reason);
