namespace Funnel.Cli.Input;

/// <summary>A row that could not be read: its 1-based line in the file and why.</summary>
internal readonly record struct BadRow(long Line, string Reason);
