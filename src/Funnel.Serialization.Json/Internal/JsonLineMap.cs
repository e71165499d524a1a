using System.Text;
using System.Text.Json;

namespace Funnel.Serialization.Json.Internal;

/// <summary>Maps byte offsets and JSON paths of a document to 1-based lines and positions in the line.</summary>
internal sealed class JsonLineMap
{
    private readonly byte[] _utf8;
    private readonly int[] _lineStarts;
    private readonly Dictionary<string, long> _pathOffsets = new(StringComparer.Ordinal);

    private JsonLineMap(ReadOnlySpan<byte> utf8, int[] lineStarts)
    {
        _utf8 = utf8.ToArray();
        _lineStarts = lineStarts;
        Walk(utf8);
    }

    public static JsonLineMap Create(ReadOnlySpan<byte> utf8)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return new JsonLineMap(utf8, [.. starts]);
    }

    public int LineOfOffset(long offset)
    {
        var index = Array.BinarySearch(_lineStarts, (int)Math.Clamp(offset, 0, int.MaxValue));
        return (index >= 0 ? index : ~index - 1) + 1;
    }

    /// <summary>The 1-based line and position (in UTF-16 characters, as editors count) of a byte offset.</summary>
    public (int Line, int Position) Locate(long offset)
    {
        offset = Math.Clamp(offset, 0, _utf8.Length);
        var line = LineOfOffset(offset);
        var start = _lineStarts[line - 1];
        return (line, Encoding.UTF8.GetCharCount(_utf8, start, (int)offset - start) + 1);
    }

    /// <summary>The byte offset of a 1-based line and a 0-based byte position in it, as <see cref="JsonException"/> gives them.</summary>
    public long OffsetOf(long line, long bytePositionInLine) =>
        _lineStarts[(int)Math.Clamp(line - 1, 0, _lineStarts.Length - 1)] + bytePositionInLine;

    /// <summary>The line and position of the value at the path; for a missing property, of its nearest existing parent; (0, 0) when none is known.</summary>
    public (int Line, int Position) LocatePath(string path)
    {
        var current = path;
        while (true)
        {
            if (_pathOffsets.TryGetValue(current, out var offset))
            {
                return Locate(offset);
            }

            var cut = Math.Max(current.LastIndexOf('.'), current.LastIndexOf('['));
            if (cut <= 0)
            {
                return (0, 0);
            }

            current = current[..cut];
        }
    }

    private void Walk(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, FunnelJson.ReaderOptions);
        var context = new List<(bool IsArray, int NextIndex)>();
        var segments = new List<string>();
        string? pendingProperty = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingProperty = reader.GetString(); // throws on text that is not valid Unicode: the mapping stops there
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        context.RemoveAt(context.Count - 1);
                        if (segments.Count > 0)
                        {
                            segments.RemoveAt(segments.Count - 1);
                        }

                        continue;
                }

                // A value: find its path segment.
                string? segment = null;
                if (pendingProperty is not null)
                {
                    segment = JsonReadContext.PropertySegment(pendingProperty);
                    pendingProperty = null;
                }
                else if (context.Count > 0 && context[^1].IsArray)
                {
                    var top = context[^1];
                    segment = JsonReadContext.IndexSegment(top.NextIndex);
                    context[^1] = (true, top.NextIndex + 1);
                }

                var path = "$" + string.Concat(segments) + segment;
                _pathOffsets[path] = reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    context.Add((reader.TokenType == JsonTokenType.StartArray, 0));
                    if (segment is not null)
                    {
                        segments.Add(segment);
                    }
                    else if (context.Count > 1)
                    {
                        segments.Add(string.Empty);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // A malformed document, or a string that is not valid Unicode: the paths read so far are mapped; the
            // reader reports the error itself.
        }
    }
}
