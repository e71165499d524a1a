using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Funnel.Serialization.Json.Internal;

/// <summary>
/// Tracks the JSON path while a converter reads a value by hand, checks property names for duplicates, and turns
/// every error into a <see cref="FunnelJsonReadException"/> that names the path. One instance per top-level read.
/// </summary>
internal sealed class JsonReadContext
{
    private readonly List<string> _segments = [];
    private readonly Stack<HashSet<string>> _objects = new();
    private readonly List<JsonReadProblem> _problems = [];

    public JsonReadContext(string rootPath = "$") => RootPath = rootPath;

    public string RootPath { get; }

    public string Path => _segments.Count == 0 ? RootPath : RootPath + string.Concat(_segments);

    public bool HasProblems => _problems.Count > 0;

    /// <summary>
    /// Gets or sets a value indicating whether strings must follow the stores' text rule: no NUL character (docs/storage.md,
    /// "Text rules"). Set while a journey is read, so that a journey JSON accepts is one every store can save. Unpaired
    /// surrogates are refused everywhere: they are not text.
    /// </summary>
    public bool StoredText { get; set; }

    public static string PropertySegment(string name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or '-'))
            {
                return "['" + name.Replace("'", "\\'", StringComparison.Ordinal) + "']";
            }
        }

        return "." + name;
    }

    public static string IndexSegment(int index) => string.Create(CultureInfo.InvariantCulture, $"[{index}]");

    public void PushIndex(int index) => _segments.Add(IndexSegment(index));

    public void PushProperty(string name) => _segments.Add(PropertySegment(name));

    public void Pop() => _segments.RemoveAt(_segments.Count - 1);

    public string PathWith(string property) => Path + PropertySegment(property);

    /// <summary>Throws at once: the reader cannot go on (wrong token, unknown or duplicate property).</summary>
    public FunnelJsonReadException Fail(string message) => Fail(Path, message);

    public FunnelJsonReadException Fail(string path, string message)
    {
        _problems.Add(new JsonReadProblem(path, message, AtReaderPosition: true));
        return new FunnelJsonReadException([.. _problems]);
    }

    /// <summary>Records a problem and goes on reading, so that one read reports every value problem.</summary>
    public void Report(string path, string message) => _problems.Add(new JsonReadProblem(path, message, AtReaderPosition: false));

    public System.Collections.Immutable.ImmutableArray<JsonReadProblem> TakeProblems() => [.. _problems];

    /// <summary>Marks the value at the reader's token (a property's value or an array item) to come back to with <see cref="Recover"/>.</summary>
    private RecoveryPoint Mark(ref Utf8JsonReader reader) =>
        new(_segments.Count, _objects.Count, _problems.Count, reader.CurrentDepth, reader.TokenStartIndex);

    /// <summary>
    /// Goes on after a shape problem (a wrong token, an unknown property) inside the value marked by
    /// <paramref name="mark"/>: the problem keeps the line where it was found, the rest of the value is skipped and
    /// the path restored, so that the caller reads the next property or item and one read reports every problem.
    /// </summary>
    /// <returns>False when the reader cannot go on (the JSON ends); the caller then rethrows.</returns>
    private bool Recover(ref Utf8JsonReader reader, RecoveryPoint mark)
    {
        for (var i = mark.Problems; i < _problems.Count; i++)
        {
            if (_problems[i].AtReaderPosition)
            {
                _problems[i] = _problems[i] with { AtReaderPosition = false, Offset = reader.TokenStartIndex };
            }
        }

        _segments.RemoveRange(mark.Segments, _segments.Count - mark.Segments);
        while (_objects.Count > mark.Objects)
        {
            _objects.Pop();
        }

        if (reader.TokenStartIndex == mark.ValueStart)
        {
            // The problem is the value's first token: skip the whole value (nothing for a single token).
            return reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray) || reader.TrySkip();
        }

        // The problem is inside the object or array: read on to its end.
        while (reader.CurrentDepth != mark.Depth || reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
        {
            if (!reader.Read())
            {
                return false;
            }
        }

        return true;
    }

    public void ThrowIfProblems()
    {
        if (_problems.Count > 0)
        {
            throw new FunnelJsonReadException([.. _problems]);
        }
    }

    public void BeginObject(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fail($"expected {what} (a JSON object), found {Describe(ref reader)}");
        }

        _objects.Push(new HashSet<string>(StringComparer.Ordinal));
    }

    /// <summary>
    /// Begins an object that is an array item, or — when the item is something else — reports that, skips the item
    /// and returns false, so that the next item is read.
    /// </summary>
    public bool TryBeginObject(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            _objects.Push(new HashSet<string>(StringComparer.Ordinal));
            return true;
        }

        _problems.Add(new JsonReadProblem(Path, $"expected {what} (a JSON object), found {Describe(ref reader)}", AtReaderPosition: false, reader.TokenStartIndex));
        reader.Skip();
        return false;
    }

    /// <summary>Gets a value indicating whether a problem was recorded at exactly <paramref name="path"/>.</summary>
    public bool HasProblemAt(string path) => _problems.Exists(p => p.Path == path);

    /// <summary>Reads one property's value: the reader is on the value's first token and is left on its last.</summary>
    public delegate void PropertyReader(ref Utf8JsonReader reader, string name);

    /// <summary>
    /// Reads the properties of the object begun with <see cref="BeginObject"/> to its end, each value with
    /// <paramref name="read"/>. A structural problem inside one value (a wrong token, an unknown property) is recorded,
    /// the rest of that value skipped and the next property read (<see cref="Recover"/>), so that one read reports
    /// every problem; only malformed JSON, or JSON that ends too early, stops it.
    /// </summary>
    public void ReadProperties(ref Utf8JsonReader reader, PropertyReader read)
    {
        while (NextProperty(ref reader, out var name))
        {
            var mark = Mark(ref reader);
            try
            {
                read(ref reader, name);
            }
            catch (FunnelJsonReadException)
            {
                if (!Recover(ref reader, mark))
                {
                    throw;
                }
            }

            Pop();
        }
    }

    /// <summary>Moves to the next property's value; returns false at the end of the object.</summary>
    public bool NextProperty(ref Utf8JsonReader reader, out string name)
    {
        Advance(ref reader);
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            _objects.Pop();
            name = string.Empty;
            return false;
        }

        name = GetString(ref reader, "a property name");
        PushProperty(name);
        if (!_objects.Peek().Add(name))
        {
            // Recorded, not thrown: the value is read (and replaces the first), so the other problems are found too.
            _problems.Add(new JsonReadProblem(Path, $"the property '{name}' appears more than once in the same object", AtReaderPosition: false, reader.TokenStartIndex));
        }

        Advance(ref reader);
        return true;
    }

    /// <summary>Reports every required property of the object at <paramref name="objectPath"/> that was not present.</summary>
    public void ReportMissing(string objectPath, params ReadOnlySpan<(string Name, bool Present)> properties)
    {
        foreach (var (property, present) in properties)
        {
            if (!present && !HasProblemAt(objectPath + PropertySegment(property)))
            {
                Report(objectPath + PropertySegment(property), $"the property '{property}' is required");
            }
        }
    }

    public FunnelJsonReadException UnknownProperty(string name, string what, string[] known) =>
        Fail($"'{name}' is not a property of {what}; known properties: {string.Join(", ", known)}");

    /// <summary>Moves to the next array item; returns false at the end of the array. The caller pushes the index.</summary>
    public bool NextItem(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return reader.TokenType != JsonTokenType.EndArray;
    }

    public void BeginArray(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Fail($"expected {what} (a JSON array), found {Describe(ref reader)}");
        }
    }

    public string ReadString(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Fail($"expected {what} (a string), found {Describe(ref reader)}");
        }

        return GetString(ref reader, what);
    }

    /// <summary>
    /// The text of the string or property name at the reader. Text that is not valid Unicode (invalid UTF-8 bytes,
    /// an escaped lone surrogate such as <c>"\ud800"</c>) fails with the path instead of the reader's
    /// <see cref="InvalidOperationException"/>.
    /// </summary>
    public string GetString(ref Utf8JsonReader reader, string what)
    {
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw Fail($"{what} is not valid Unicode text (invalid UTF-8 bytes, or an escaped lone surrogate such as \\ud800): {ex.Message}");
        }

        // Under StoredText (journeys), a NUL fails at the current path too: no store keeps it apart (docs/storage.md).
        var nul = StoredText ? text.IndexOf('\0', StringComparison.Ordinal) : -1;
        if (nul >= 0)
        {
            throw Fail(string.Create(
                CultureInfo.InvariantCulture,
                $"{what} \"{Shorten(text).Replace("\0", "\\u0000", StringComparison.Ordinal)}\" contains a NUL character (U+0000) at index {nul}; the text of a journey must not contain U+0000"));
        }

        return text;
    }

    public string? ReadNullableString(ref Utf8JsonReader reader, string what) =>
        reader.TokenType == JsonTokenType.Null ? null : ReadString(ref reader, what);

    public string ReadKey(ref Utf8JsonReader reader, string what)
    {
        var value = ReadString(ref reader, what);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Fail($"{what} must not be blank");
        }

        return value;
    }

    public bool ReadBoolean(ref Utf8JsonReader reader, string what) =>
        reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw Fail($"expected {what} (true or false), found {Describe(ref reader)}"),
        };

    public double? ReadNullableDouble(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value))
        {
            throw Fail($"expected {what} (a number), found {Describe(ref reader)}");
        }

        return value;
    }

    public double ReadDouble(ref Utf8JsonReader reader, string what) =>
        ReadNullableDouble(ref reader, what) ?? throw Fail($"expected {what} (a number), found null");

    /// <summary>Reads a whole number that must not be negative; a negative one is reported (and returned) so that reading goes on.</summary>
    public long ReadCount(ref Utf8JsonReader reader, string what)
    {
        var value = ReadInt64(ref reader, what);
        if (value < 0)
        {
            Report(Path, string.Create(CultureInfo.InvariantCulture, $"{what} must not be negative, not {value}"));
        }

        return value;
    }

    /// <summary>
    /// Reads a whole number that must not be negative and may exceed a 64-bit integer (an exact total of durations);
    /// a negative one is reported (and returned) so that reading goes on.
    /// </summary>
    public Int128 ReadCount128(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw Fail($"expected {what} (a whole number), found {Describe(ref reader)}");
        }

        ReadOnlySpan<byte> digits = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (!Int128.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Fail($"expected {what} (a whole number), found {Describe(ref reader)}");
        }

        if (value < 0)
        {
            Report(Path, string.Create(CultureInfo.InvariantCulture, $"{what} must not be negative, not {value}"));
        }

        return value;
    }

    public long ReadInt64(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            throw Fail($"expected {what} (a whole number), found {Describe(ref reader)}");
        }

        return value;
    }

    public int ReadInt32(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value))
        {
            throw Fail($"expected {what} (a whole number), found {Describe(ref reader)}");
        }

        return value;
    }

    public DateTimeOffset ReadDateTimeOffset(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.String || !TryGetDateTimeOffset(ref reader, out var value))
        {
            throw Fail($"expected {what} (an ISO 8601 date and time such as \"2026-03-02T09:00:00+00:00\"), found {Describe(ref reader)}");
        }

        return value;
    }

    public DateTimeOffset? ReadNullableDateTimeOffset(ref Utf8JsonReader reader, string what) =>
        reader.TokenType == JsonTokenType.Null ? null : ReadDateTimeOffset(ref reader, what);

    public TimeSpan? ReadNullableDuration(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = ReadString(ref reader, what);
        if (!TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var value))
        {
            throw Fail($"expected {what} as a duration \"[d.]hh:mm:ss[.fffffff]\" such as \"3.00:00:00\" for three days, found \"{text}\"");
        }

        return value;
    }

    public TEnum ReadEnum<TEnum>(ref Utf8JsonReader reader, string what)
        where TEnum : struct, Enum
    {
        var text = ReadString(ref reader, what);
        if (JsonEnumNames<TEnum>.TryParse(text, out var value))
        {
            return value;
        }

        throw Fail($"'{text}' is not a known {what}; known values: {string.Join(", ", JsonEnumNames<TEnum>.Names)}");
    }

    /// <summary>Reads one array item: the reader is on the item's first token and is left on its last.</summary>
    public delegate T ItemReader<out T>(ref Utf8JsonReader reader, JsonReadContext context);

    /// <summary>Reads an array, each item with <paramref name="readItem"/> under its index in the path.</summary>
    public List<T> ReadArray<T>(ref Utf8JsonReader reader, string what, ItemReader<T> readItem)
    {
        BeginArray(ref reader, what);
        var items = new List<T>();
        while (NextItem(ref reader))
        {
            PushIndex(items.Count);
            items.Add(readItem(ref reader, this));
            Pop();
        }

        return items;
    }

    public List<TimeSpan?> ReadNullableDurationArray(ref Utf8JsonReader reader, string what) =>
        ReadArray(ref reader, what, (ref Utf8JsonReader r, JsonReadContext c) => c.ReadNullableDuration(ref r, "a " + what + " item"));

    public List<string> ReadStringArray(ref Utf8JsonReader reader, string what) =>
        ReadArray(ref reader, what, (ref Utf8JsonReader r, JsonReadContext c) => c.ReadString(ref r, "a " + what + " item"));


    /// <summary>Where a value starts, to go back to after a problem inside it (see <see cref="Mark"/>).</summary>
    private readonly record struct RecoveryPoint(int Segments, int Objects, int Problems, int Depth, long ValueStart);

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => TryGetString(ref reader) is { } text ? "the string \"" + Shorten(text) + "\"" : "a string that is not valid Unicode text",
        JsonTokenType.Number => "the number " + Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        _ => reader.TokenType.ToString(),
    };

    /// <summary>Like <see cref="Utf8JsonReader.TryGetDateTimeOffset"/>, but <see langword="false"/> for a string that is not valid Unicode text (which the reader throws for).</summary>
    private static bool TryGetDateTimeOffset(ref Utf8JsonReader reader, out DateTimeOffset value)
    {
        try
        {
            return reader.TryGetDateTimeOffset(out value);
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    private static string? TryGetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private void Advance(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw Fail("the JSON ends too early");
        }
    }
}
