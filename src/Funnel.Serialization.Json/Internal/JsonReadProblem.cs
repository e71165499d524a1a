namespace Funnel.Serialization.Json.Internal;

/// <summary>A problem found while reading: the JSON path, the message, and whether it was found at the reader's position.</summary>
internal sealed record JsonReadProblem(string Path, string Message, bool AtReaderPosition);
