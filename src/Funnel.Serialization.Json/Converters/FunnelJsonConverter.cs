using System.Text.Json;
using System.Text.Json.Serialization;
using Funnel.Serialization.Json.Internal;

namespace Funnel.Serialization.Json.Converters;

/// <summary>
/// The base of every Funnel converter: reads by hand (no reflection, so trimming and native AOT are safe), tracks
/// the JSON path through a <see cref="JsonReadContext"/>, and reports every error as a
/// <see cref="FunnelJsonReadException"/> naming that path. Model exceptions (<see cref="ArgumentException"/>) thrown
/// while a value is assembled, and the reader's own errors for text it cannot decode, are turned into such errors
/// too, so nothing escapes without a path.
/// </summary>
/// <typeparam name="T">The converted type.</typeparam>
internal abstract class FunnelJsonConverter<T> : JsonConverter<T>
{
    /// <summary>
    /// The <see cref="Exception.Source"/> that <see cref="Utf8JsonReader"/> gives the <see cref="InvalidOperationException"/>s
    /// it throws for undecodable text (invalid UTF-8, an escaped lone surrogate); <see cref="JsonSerializer"/> turns
    /// exactly these into a <see cref="JsonException"/> in the same way.
    /// </summary>
    private const string ReaderExceptionSource = "System.Text.Json.Rethrowable";

    public sealed override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var context = new JsonReadContext();
        var value = ReadValue(ref reader, context);
        context.ThrowIfProblems();
        return value;
    }

    public sealed override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        WriteCore(writer, value);
    }

    /// <summary>Reads one value at the context's current path; the entry points call it for items of a top-level array.</summary>
    public T ReadValue(ref Utf8JsonReader reader, JsonReadContext context)
    {
        try
        {
            return ReadCore(ref reader, context);
        }
        catch (ArgumentException ex)
        {
            throw context.Fail(ex.Message);
        }
        catch (InvalidOperationException ex) when (ex.Source == ReaderExceptionSource)
        {
            // Text the reader cannot decode, met by a read that does not check for it itself.
            throw context.Fail("the value cannot be read: " + ex.Message);
        }
    }

    /// <summary>Reads the value at the reader's current token; leaves the reader on the value's last token.</summary>
    protected abstract T ReadCore(ref Utf8JsonReader reader, JsonReadContext context);

    /// <summary>Writes the value.</summary>
    internal abstract void WriteCore(Utf8JsonWriter writer, T value);
}
