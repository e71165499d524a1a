namespace Funnel.Serialization.Json.Internal;

/// <summary>
/// A problem found while reading: the JSON path, the message, whether it was found at the reader's final position,
/// and otherwise the byte offset of the token where it was found (-1 when the line comes from the path).
/// </summary>
internal sealed record JsonReadProblem(string Path, string Message, bool AtReaderPosition, long Offset = -1);
