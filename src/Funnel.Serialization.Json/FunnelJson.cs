using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Serialization.Json.Converters;
using Funnel.Serialization.Json.Internal;

namespace Funnel.Serialization.Json;

/// <summary>
/// Reads and writes Funnel JSON documents: definitions (the format of <see cref="DefinitionSchema"/>), journeys,
/// event logs and metrics reports. Reading reports every problem it can at once as a <see cref="FunnelJsonException"/> whose problems
/// name the JSON path and line, such as <c>$.stages[3].winProbability: ... (line 17)</c>.
/// </summary>
/// <remarks>
/// <para>Documents may contain comments; trailing commas, duplicate property names and unknown properties are errors.
/// Use <see cref="FunnelJsonSerializerOptionsExtensions.ConfigureForFunnel"/> to read and write Funnel types inside
/// your own documents with <see cref="JsonSerializer"/>.</para>
/// <para>Every member is thread-safe.</para>
/// </remarks>
public static class FunnelJson
{
    /// <summary>The file name of the definition schema inside the package (<c>schemas/funnel-definition.schema.json</c>).</summary>
    public const string DefinitionSchemaFileName = "funnel-definition.schema.json";

    /// <summary>The <c>$id</c> of the definition schema; definition files may refer to it through <c>"$schema"</c>.</summary>
    public const string DefinitionSchemaId = "https://funnel-core.github.io/schemas/funnel-definition.schema.json";

    internal static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false };

    private static readonly Lazy<string> LazySchema = new(LoadSchema);

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private delegate T ValueReader<T>(ref Utf8JsonReader reader, JsonReadContext context);

    /// <summary>Gets the JSON Schema (draft 2020-12) of the definition format, as shipped in the package.</summary>
    public static string DefinitionSchema => LazySchema.Value;

    /// <summary>Reads a funnel definition and validates it completely. A document that declares rules is rejected: read it with <see cref="ReadDefinitionDocument(string, RuleTypeRegistry?, string?)"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="documentName">A name for error messages, such as the file name; optional.</param>
    /// <returns>The validated definition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="FunnelJsonException">The JSON is malformed or does not describe a valid definition; lists every problem found.</exception>
    public static FunnelDefinition ReadDefinition(string json, string? documentName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ReadDefinition(Encoding.UTF8.GetBytes(json), documentName);
    }

    /// <summary>Reads a funnel definition from UTF-8 bytes and validates it completely.</summary>
    /// <param name="utf8Json">The UTF-8 JSON.</param>
    /// <param name="documentName">A name for error messages, such as the file name; optional.</param>
    /// <returns>The validated definition.</returns>
    /// <exception cref="FunnelJsonException">The JSON is malformed or does not describe a valid definition; lists every problem found.</exception>
    public static FunnelDefinition ReadDefinition(ReadOnlySpan<byte> utf8Json, string? documentName = null) =>
        ReadTopLevel(utf8Json, documentName, FunnelDefinitionJsonConverter.Instance.ReadValue);

    /// <summary>Reads a funnel definition from a stream (read to its end) and validates it completely.</summary>
    /// <param name="utf8Json">The stream of UTF-8 JSON.</param>
    /// <param name="documentName">A name for error messages, such as the file name; optional.</param>
    /// <returns>The validated definition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is <see langword="null"/>.</exception>
    /// <exception cref="FunnelJsonException">The JSON is malformed or does not describe a valid definition; lists every problem found.</exception>
    public static FunnelDefinition ReadDefinition(Stream utf8Json, string? documentName = null)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        using var buffer = new MemoryStream();
        utf8Json.CopyTo(buffer);
        return ReadDefinition(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), documentName);
    }

    /// <summary>Reads a funnel definition file and validates it completely; errors name the file.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The validated definition.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="FunnelJsonException">The JSON is malformed or does not describe a valid definition; lists every problem found.</exception>
    public static FunnelDefinition ReadDefinitionFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return ReadDefinition(File.ReadAllBytes(path), Path.GetFileName(path));
    }

    /// <summary>
    /// Reads a definition document: the definition and the rules it declares, each rule created once with
    /// <paramref name="ruleTypes"/> to check it (an unknown type name is reported with the known ones).
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="ruleTypes">The rule types; <see cref="RuleTypeRegistry.Default"/> when <see langword="null"/>.</param>
    /// <param name="documentName">A name for error messages, such as the file name; optional.</param>
    /// <returns>The document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="FunnelJsonException">The JSON is malformed, the definition invalid or a rule wrong; lists every problem found.</exception>
    public static FunnelDefinitionDocument ReadDefinitionDocument(string json, RuleTypeRegistry? ruleTypes = null, string? documentName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ReadDefinitionDocument(Encoding.UTF8.GetBytes(json), ruleTypes, documentName);
    }

    /// <summary>Reads a definition document from UTF-8 bytes; see <see cref="ReadDefinitionDocument(string, RuleTypeRegistry?, string?)"/>.</summary>
    /// <param name="utf8Json">The UTF-8 JSON.</param>
    /// <param name="ruleTypes">The rule types; <see cref="RuleTypeRegistry.Default"/> when <see langword="null"/>.</param>
    /// <param name="documentName">A name for error messages, such as the file name; optional.</param>
    /// <returns>The document.</returns>
    /// <exception cref="FunnelJsonException">The JSON is malformed, the definition invalid or a rule wrong; lists every problem found.</exception>
    public static FunnelDefinitionDocument ReadDefinitionDocument(ReadOnlySpan<byte> utf8Json, RuleTypeRegistry? ruleTypes = null, string? documentName = null) =>
        ReadTopLevel(utf8Json, documentName, new FunnelDefinitionDocumentJsonConverter(ruleTypes ?? RuleTypeRegistry.Default).ReadValue);

    /// <summary>Reads a definition document file; errors name the file. See <see cref="ReadDefinitionDocument(string, RuleTypeRegistry?, string?)"/>.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="ruleTypes">The rule types; <see cref="RuleTypeRegistry.Default"/> when <see langword="null"/>.</param>
    /// <returns>The document.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="FunnelJsonException">The JSON is malformed, the definition invalid or a rule wrong; lists every problem found.</exception>
    public static FunnelDefinitionDocument ReadDefinitionDocumentFile(string path, RuleTypeRegistry? ruleTypes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return ReadDefinitionDocument(File.ReadAllBytes(path), ruleTypes, Path.GetFileName(path));
    }

    /// <summary>Writes a definition document: the definition format plus its rules.</summary>
    /// <param name="document">The document.</param>
    /// <param name="indented">Whether to indent the JSON; the default is <see langword="true"/>.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is <see langword="null"/>.</exception>
    public static string WriteDefinitionDocument(FunnelDefinitionDocument document, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Write(document, indented, (writer, value) => FunnelDefinitionJsonConverter.WriteObject(writer, value.Definition, value.Rules));
    }

    /// <summary>Writes a definition in the documented format.</summary>
    /// <param name="definition">The definition.</param>
    /// <param name="indented">Whether to indent the JSON; the default is <see langword="true"/>.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    public static string WriteDefinition(FunnelDefinition definition, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Write(definition, indented, FunnelDefinitionJsonConverter.Instance.WriteCore);
    }

    /// <summary>Reads a journey; its definition is looked up by key among <paramref name="definitions"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="definitions">The definitions the journey may follow.</param>
    /// <param name="documentName">A name for error messages; optional.</param>
    /// <returns>The journey.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> or <paramref name="definitions"/> is <see langword="null"/>.</exception>
    /// <exception cref="FunnelJsonException">The JSON is malformed, names an unknown definition, or contradicts it; lists every problem found.</exception>
    public static Journey ReadJourney(string json, IEnumerable<FunnelDefinition> definitions, string? documentName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(definitions);
        var converter = new JourneyJsonConverter(ToMap(definitions));
        return ReadTopLevel(Encoding.UTF8.GetBytes(json), documentName, converter.ReadValue);
    }

    /// <summary>
    /// Turns a rule command (typically one of <see cref="RuleRun.Pending"/>: a task or a notification) into an outbox
    /// message: the type names the command (<c>funnel.notify</c>, <c>funnel.schedule-task</c>, <c>funnel.move</c>,
    /// <c>funnel.mark-won</c>, <c>funnel.mark-lost</c>, <c>funnel.reopen</c>) and the payload is a JSON object of its
    /// properties (<c>{"ruleId": "...", "journeyId": "...", "recipient": "...", "message": "..."}</c>).
    /// <see cref="ReadOutboxCommand"/> turns it back.
    /// </summary>
    /// <param name="command">The command.</param>
    /// <param name="createdAt">When the command was emitted.</param>
    /// <returns>The message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The command is of a type this version does not know.</exception>
    public static Core.Storage.OutboxMessage WriteOutboxMessage(RuleCommand command, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(command);
        return OutboxCommandJson.Write(command, createdAt);
    }

    /// <summary>Turns an outbox message written by <see cref="WriteOutboxMessage"/> back into its rule command.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The command, equal to the one written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="FunnelJsonException">The type is not a rule command's, or the payload is malformed; lists every problem with its JSON path.</exception>
    public static RuleCommand ReadOutboxCommand(Core.Storage.OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return OutboxCommandJson.Read(message);
    }

    /// <summary>Writes a journey; its definition is written by key.</summary>
    /// <param name="journey">The journey.</param>
    /// <param name="indented">Whether to indent the JSON; the default is <see langword="true"/>.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journey"/> is <see langword="null"/>.</exception>
    public static string WriteJourney(Journey journey, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(journey);
        return Write(journey, indented, new JourneyJsonConverter().WriteCore);
    }

    /// <summary>
    /// Reads a metrics report written by <see cref="WriteReport"/>; its definition is looked up by key among
    /// <paramref name="definitions"/>. The report is restored from its numbers (<see cref="Core.Metrics.FunnelReport.Restore"/>),
    /// not recomputed: stage and loss-reason keys are checked against the definition, and every derived number in the
    /// document (leads, rates and their intervals, loss totals) against the restored report.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="definitions">The definitions the report may be of.</param>
    /// <param name="documentName">A name for error messages; optional.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> or <paramref name="definitions"/> is <see langword="null"/>.</exception>
    /// <exception cref="FunnelJsonException">
    /// The JSON is malformed, names an unknown definition, stage or loss reason, misses a stage, has a negative count,
    /// or its numbers contradict each other; lists every problem found with its path and line.
    /// </exception>
    public static Core.Metrics.FunnelReport ReadReport(string json, IEnumerable<FunnelDefinition> definitions, string? documentName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(definitions);
        var converter = new FunnelReportJsonConverter(ToMap(definitions));
        return ReadTopLevel(Encoding.UTF8.GetBytes(json), documentName, converter.ReadValue);
    }

    /// <summary>
    /// Writes a metrics report: every number (the query; per stage: reached, converted, conversions with their Wilson
    /// intervals, dropped, still open, losses by reason, time in stage; the totals; the transition and loss matrices),
    /// with the definition, stages and loss reasons by key. <see cref="ReadReport"/> reads it back.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="indented">Whether to indent the JSON; the default is <see langword="true"/>.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static string WriteReport(Core.Metrics.FunnelReport report, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Write(report, indented, FunnelReportJsonConverter.Instance.WriteCore);
    }

    /// <summary>
    /// Reads a bulk report written by <see cref="WriteTransitionReport"/> (the format of
    /// <c>schemas/funnel-transition-report.schema.json</c>). The report is rebuilt from its numbers with
    /// <see cref="Core.Bulk.TransitionReport.Create"/> and <see cref="Core.Bulk.TransitionReport.WithModes"/>, which
    /// check that they have the shape's lengths and are consistent with each other; it needs no definition.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="documentName">A name for error messages; optional.</param>
    /// <returns>The report, equal to the one written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="FunnelJsonException">The JSON is malformed, a property is missing or unknown, a count is negative, or the numbers contradict each other; names the path and line.</exception>
    public static Core.Bulk.TransitionReport ReadTransitionReport(string json, string? documentName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ReadTopLevel(Encoding.UTF8.GetBytes(json), documentName, TransitionReportJsonConverter.Instance.ReadValue);
    }

    /// <summary>
    /// Writes the bulk engine's report (<see cref="Core.Bulk.TransitionReport"/>): the shape, window and funnel modes,
    /// the counts of events and entities, the ordered window funnel, the outcomes, time in stage, the transition and
    /// loss matrices, and the time to convert per step when the analysis collected it, with stages and loss reasons by
    /// ordinal (docs/json.md). <see cref="ReadTransitionReport"/> reads it back.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="indented">Whether to indent the JSON; the default is <see langword="true"/>.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static string WriteTransitionReport(Core.Bulk.TransitionReport report, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Write(report, indented, TransitionReportJsonConverter.Instance.WriteCore);
    }

    /// <summary>Reads an event log: a JSON array of events.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="documentName">A name for error messages; optional.</param>
    /// <returns>The events in document order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="FunnelJsonException">The JSON is malformed or an event is invalid.</exception>
    public static ImmutableArray<FunnelEvent> ReadEvents(string json, string? documentName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ReadTopLevel(Encoding.UTF8.GetBytes(json), documentName, ReadEventArray);
    }

    /// <summary>Writes an event log as a JSON array of events.</summary>
    /// <param name="events">The events.</param>
    /// <param name="indented">Whether to indent the JSON; the default is <see langword="true"/>.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="events"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An event is the <see langword="default"/> (invalid) event.</exception>
    public static string WriteEvents(IEnumerable<FunnelEvent> events, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(events);
        return Write(events, indented, static (writer, items) =>
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                FunnelEventJsonConverter.Instance.WriteCore(writer, item);
            }

            writer.WriteEndArray();
        });
    }

    internal static string Write<T>(T value, bool indented, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static T ReadTopLevel<T>(ReadOnlySpan<byte> utf8Json, string? documentName, ValueReader<T> readValue)
    {
        // A UTF-8 byte order mark at the start is not part of the JSON (RFC 8259 lets readers ignore it); lines and
        // positions count from after it.
        if (utf8Json.StartsWith(Utf8Bom))
        {
            utf8Json = utf8Json[Utf8Bom.Length..];
        }

        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        var context = new JsonReadContext();
        try
        {
            if (!reader.Read())
            {
                throw context.Fail("the document is empty");
            }

            var value = readValue(ref reader, context);
            context.ThrowIfProblems();
            if (reader.Read())
            {
                throw context.Fail("unexpected content after the end of the JSON value");
            }

            return value;
        }
        catch (FunnelJsonReadException ex)
        {
            var map = JsonLineMap.Create(utf8Json);
            var atToken = map.Locate(reader.TokenStartIndex);
            var problems = ex.Problems
                .Select(p => (p, Where: p.Offset >= 0 ? map.Locate(p.Offset) : p.AtReaderPosition ? atToken : map.LocatePath(p.Path)))
                .Select(x => new FunnelJsonProblem(x.p.Path, x.Where.Line, x.Where.Position, x.p.Message))
                .OrderBy(p => p.Line == 0 ? int.MaxValue : p.Line)
                .ToImmutableArray();
            throw new FunnelJsonException(documentName, problems, ex);
        }
        catch (JsonException ex)
        {
            // Malformed JSON, reported by the reader with its own position.
            var map = JsonLineMap.Create(utf8Json);
            var where = ex.LineNumber is { } line && ex.BytePositionInLine is { } position
                ? map.Locate(map.OffsetOf(line + 1, position))
                : map.Locate(reader.TokenStartIndex);
            var message = ex.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut].TrimEnd();
            }

            throw new FunnelJsonException(documentName, [new FunnelJsonProblem(context.Path, where.Line, where.Position, "malformed JSON: " + message)], ex);
        }
    }

    private static ImmutableArray<FunnelEvent> ReadEventArray(ref Utf8JsonReader reader, JsonReadContext context)
    {
        context.BeginArray(ref reader, "an event log");
        var events = ImmutableArray.CreateBuilder<FunnelEvent>();
        while (context.NextItem(ref reader))
        {
            context.PushIndex(events.Count);
            events.Add(FunnelEventJsonConverter.Instance.ReadValue(ref reader, context));
            context.Pop();
        }

        return events.ToImmutable();
    }

    private static ImmutableDictionary<string, FunnelDefinition> ToMap(IEnumerable<FunnelDefinition> definitions)
    {
        var configuration = new FunnelJsonConfiguration();
        configuration.AddDefinitions(definitions);
        return configuration.Definitions;
    }

    private static string LoadSchema()
    {
        using var stream = typeof(FunnelJson).Assembly.GetManifestResourceStream("Funnel.Serialization.Json." + DefinitionSchemaFileName)
            ?? throw new InvalidOperationException("The definition schema resource is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
