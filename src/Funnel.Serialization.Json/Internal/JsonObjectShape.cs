using System.Text.Json;

namespace Funnel.Serialization.Json.Internal;

/// <summary>Reads one property's value into <paramref name="state"/>: the reader is on the value's first token and is left on its last.</summary>
/// <typeparam name="TState">The fields an object's properties are read into.</typeparam>
internal delegate void JsonPropertyRead<in TState>(ref Utf8JsonReader reader, JsonReadContext context, TState state);

/// <summary>Writes one property of <paramref name="value"/> under <paramref name="name"/>, or nothing when the format omits it (a default, an empty list).</summary>
/// <typeparam name="TValue">The written value.</typeparam>
internal delegate void JsonPropertyWrite<in TValue>(Utf8JsonWriter writer, string name, TValue value);

/// <summary>How a <see cref="JsonObjectShape{TValue, TState}"/> goes on after a problem inside one property's value.</summary>
internal enum JsonShapeReading
{
    /// <summary>The first problem that stops reading ends the read (journeys, reports).</summary>
    FirstProblem,

    /// <summary>
    /// A problem inside one value is recorded, the rest of the value skipped and the next property read
    /// (<see cref="JsonReadContext.ReadProperties"/>), so that one read reports every problem (definitions).
    /// </summary>
    EveryProblem,
}

/// <summary>One row of a <see cref="JsonObjectShape{TValue, TState}"/>: a property's name, how it is read and how it is written.</summary>
/// <typeparam name="TValue">The value the object is written from.</typeparam>
/// <typeparam name="TState">The fields the object is read into.</typeparam>
/// <param name="Name">The JSON property name.</param>
/// <param name="Read">Reads the value into the state.</param>
/// <param name="Write">Writes the property (or omits it); null for a property that is only read, such as <c>$schema</c>.</param>
internal sealed record JsonProperty<TValue, TState>(string Name, JsonPropertyRead<TState> Read, JsonPropertyWrite<TValue>? Write)
{
    /// <summary>Gets a value indicating whether an object without this property is reported ("the property 'x' is required").</summary>
    public bool Required { get; init; }

    /// <summary>
    /// Gets a value indicating whether the property is named among the known properties when an unknown one is met;
    /// false for a property that is read only to refuse it with a better message than "unknown".
    /// </summary>
    public bool Listed { get; init; } = true;

    /// <summary>
    /// Gets, for a required property, whether the value read can be used (not a null where a value is needed, a nested
    /// object that was read whole); null when being present is enough. A present value that cannot be used is
    /// reported as required as well, unless a problem was recorded at the property itself (reports).
    /// </summary>
    public Func<TState, bool>? Met { get; init; }
}

/// <summary>
/// A JSON object's shape as a table: its properties in written order, each with its reader and writer. Reading
/// checks the object token, dispatches each property to its row (an unknown property fails naming the known ones,
/// a repeated one is reported by <see cref="JsonReadContext"/>) and reports every required property that is missing;
/// writing writes the rows in table order. What the values mean (building the model value from the state, and the
/// checks across properties) stays with the converter.
/// </summary>
/// <typeparam name="TValue">The value the object is written from.</typeparam>
/// <typeparam name="TState">The mutable fields one read fills (a new instance per object).</typeparam>
internal sealed class JsonObjectShape<TValue, TState>
{
    private readonly JsonProperty<TValue, TState>[] _properties;
    private readonly JsonShapeReading _reading;

    /// <summary>Creates a shape.</summary>
    /// <param name="what">The object's name in messages, such as "a stage".</param>
    /// <param name="reading">Whether a problem inside one value ends the read or is recorded and skipped.</param>
    /// <param name="properties">The properties, in the order they are written and listed.</param>
    public JsonObjectShape(string what, JsonShapeReading reading, params JsonProperty<TValue, TState>[] properties)
    {
        What = what;
        _reading = reading;
        _properties = properties;
        KnownNames = [.. properties.Where(p => p.Listed).Select(p => p.Name)];
    }

    /// <summary>Gets the object's name in messages, such as "a stage".</summary>
    public string What { get; }

    /// <summary>Gets the names an unknown-property message lists, in table order.</summary>
    public string[] KnownNames { get; }

    /// <summary>Reads the object at the reader into <paramref name="state"/>; anything but an object fails.</summary>
    /// <param name="reader">The reader, on the object's first token; left on its last.</param>
    /// <param name="context">The read's path and problems.</param>
    /// <param name="state">The fields the properties are read into.</param>
    /// <param name="expected">What the value is called where it was expected, when that differs from <see cref="What"/>.</param>
    public void Read(ref Utf8JsonReader reader, JsonReadContext context, TState state, string? expected = null)
    {
        var objectPath = context.Path;
        context.BeginObject(ref reader, expected ?? What);
        ReadProperties(ref reader, context, state, objectPath);
    }

    /// <summary>
    /// Reads an array item that should be this object into <paramref name="state"/>; when the item is something else,
    /// reports that, skips it and returns false, so that the next item is read.
    /// </summary>
    public bool TryRead(ref Utf8JsonReader reader, JsonReadContext context, TState state)
    {
        var objectPath = context.Path;
        if (!context.TryBeginObject(ref reader, What))
        {
            return false;
        }

        ReadProperties(ref reader, context, state, objectPath);
        return true;
    }

    /// <summary>Writes <paramref name="value"/> as an object: every row in table order.</summary>
    public void Write(Utf8JsonWriter writer, TValue value)
    {
        writer.WriteStartObject();
        WriteProperties(writer, value);
    }

    /// <summary>Writes <paramref name="value"/> as the object-valued property <paramref name="name"/>.</summary>
    public void Write(Utf8JsonWriter writer, string name, TValue value)
    {
        writer.WriteStartObject(name);
        WriteProperties(writer, value);
    }

    private void WriteProperties(Utf8JsonWriter writer, TValue value)
    {
        foreach (var property in _properties)
        {
            property.Write?.Invoke(writer, property.Name, value);
        }

        writer.WriteEndObject();
    }

    private void ReadProperties(ref Utf8JsonReader reader, JsonReadContext context, TState state, string objectPath)
    {
        // Present means met: a present value of the wrong type has its own problem at its path and is not also missing.
        var present = new bool[_properties.Length];
        if (_reading == JsonShapeReading.EveryProblem)
        {
            context.ReadProperties(ref reader, (ref r, name) => ReadProperty(ref r, context, state, name, present));
        }
        else
        {
            while (context.NextProperty(ref reader, out var name))
            {
                ReadProperty(ref reader, context, state, name, present);
                context.Pop();
            }
        }

        for (var i = 0; i < _properties.Length; i++)
        {
            if (_properties[i].Required)
            {
                context.ReportMissing(objectPath, (_properties[i].Name, present[i] && (_properties[i].Met?.Invoke(state) ?? true)));
            }
        }
    }

    private void ReadProperty(ref Utf8JsonReader reader, JsonReadContext context, TState state, string name, bool[] present)
    {
        for (var i = 0; i < _properties.Length; i++)
        {
            if (string.Equals(_properties[i].Name, name, StringComparison.Ordinal))
            {
                present[i] = true;
                _properties[i].Read(ref reader, context, state);
                return;
            }
        }

        throw context.UnknownProperty(name, What, KnownNames);
    }
}
