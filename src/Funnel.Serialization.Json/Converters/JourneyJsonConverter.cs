using System.Collections.Immutable;
using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Storage;
using Funnel.Serialization.Json.Internal;

namespace Funnel.Serialization.Json.Converters;

/// <summary>
/// Reads and writes a <see cref="Journey"/>. The definition is written by key only; reading looks it up among the
/// definitions given to <see cref="FunnelJsonSerializerOptionsExtensions.ConfigureForFunnel(JsonSerializerOptions, Action{FunnelJsonConfiguration}?)"/>.
/// </summary>
internal sealed class JourneyJsonConverter : FunnelJsonConverter<Journey>
{

    internal static readonly string[] Properties =
        ["id", "definition", "currentStage", "status", "lossReason", "enteredStageAt", "lastChangedAt", "closedAt", "history", "attributes", "attempts", "version"];

    internal static readonly string[] TransitionProperties = ["kind", "from", "to", "at", "actor", "note", "lossReason", "override"];

    internal static readonly string[] OverrideProperties = ["actor", "reason", "overridden"];

    internal static readonly string[] ViolationProperties = ["ruleId", "message", "data"];

    private readonly ImmutableDictionary<string, FunnelDefinition> _definitions;

    /// <summary>Creates a converter that knows no definitions: it writes journeys, and reports a clear error on reading. Used by <see cref="FunnelJsonContext"/>.</summary>
    public JourneyJsonConverter()
        : this(ImmutableDictionary<string, FunnelDefinition>.Empty)
    {
    }

    public JourneyJsonConverter(ImmutableDictionary<string, FunnelDefinition> definitions) => _definitions = definitions;

    protected override Journey ReadCore(ref Utf8JsonReader reader, JsonReadContext context)
    {
        // A journey's text follows the stores' rule (no NUL), so that every journey read here can be saved.
        var outer = context.StoredText;
        context.StoredText = true;
        try
        {
            return ReadJourney(ref reader, context);
        }
        finally
        {
            context.StoredText = outer;
        }
    }

    private Journey ReadJourney(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var objectPath = context.Path;
        context.BeginObject(ref reader, "a journey");
        string? id = null;
        string? definitionKey = null;
        string? current = null;
        JourneyStatus? status = null;
        string? lossReason = null;
        DateTimeOffset? entered = null;
        DateTimeOffset? changed = null;
        DateTimeOffset? closed = null;
        ImmutableArray<JourneyTransition>? history = null;
        var attributes = new List<KeyValuePair<string, string>>();
        var attempts = new List<KeyValuePair<StageKey, int>>();
        long? version = null;
        while (context.NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "id":
                    id = context.ReadKey(ref reader, "the journey id");
                    break;
                case "definition":
                    definitionKey = context.ReadKey(ref reader, "the definition key");
                    KnownDefinitions.Find(context, _definitions, definitionKey);
                    break;
                case "currentStage":
                    current = context.ReadKey(ref reader, "the current stage key");
                    break;
                case "status":
                    status = context.ReadEnum<JourneyStatus>(ref reader, "journey status");
                    break;
                case "lossReason":
                    lossReason = context.ReadNullableString(ref reader, "the loss reason key");
                    break;
                case "enteredStageAt":
                    entered = context.ReadDateTimeOffset(ref reader, "the time the lead entered its stage");
                    break;
                case "lastChangedAt":
                    changed = context.ReadDateTimeOffset(ref reader, "the time of the last change");
                    break;
                case "closedAt":
                    closed = context.ReadNullableDateTimeOffset(ref reader, "the closing time");
                    break;
                case "history":
                    history = ReadHistory(ref reader, context);
                    break;
                case "attributes":
                    ReadMap(ref reader, context, "the attributes", attributes, (ref Utf8JsonReader r, JsonReadContext c) => c.ReadString(ref r, "an attribute value"));
                    break;
                case "attempts":
                    var counts = new List<KeyValuePair<string, int>>();
                    ReadMap(ref reader, context, "the attempt counts", counts, (ref Utf8JsonReader r, JsonReadContext c) => c.ReadInt32(ref r, "an attempt count"));
                    attempts.AddRange(counts.Select(p => KeyValuePair.Create(new StageKey(p.Key), p.Value)));
                    break;
                case "version":
                    version = context.ReadInt64(ref reader, "the version");
                    break;
                default:
                    throw context.UnknownProperty(name, "a journey", Properties);
            }

            context.Pop();
        }

        context.ReportMissing(
            objectPath,
            ("id", id is not null), ("definition", definitionKey is not null), ("currentStage", current is not null),
            ("status", status is not null), ("enteredStageAt", entered is not null), ("lastChangedAt", changed is not null),
            ("history", history is not null), ("version", version is not null));

        context.ThrowIfProblems();
        return Journey.Restore(
            _definitions[definitionKey!],
            id!,
            current!,
            status!.Value,
            lossReason is null ? default : new LossReasonKey(lossReason),
            entered!.Value,
            changed!.Value,
            closed,
            history!.Value,
            attributes,
            attempts,
            version!.Value);
    }

    internal override void WriteCore(Utf8JsonWriter writer, Journey value)
    {
        // The writer would turn an unpaired surrogate into U+FFFD without a word, and a NUL could not be read back:
        // refuse both before writing anything, naming the field (the stores' text rule).
        StoredText.Validate(value);
        writer.WriteStartObject();
        writer.WriteString("id", value.Id);
        writer.WriteString("definition", value.Definition.Key);
        writer.WriteString("currentStage", value.CurrentStage.Key.Value);
        writer.WriteString("status", JsonEnumNames<JourneyStatus>.ToName(value.Status));
        if (value.LossReason is { } reason)
        {
            writer.WriteString("lossReason", reason.Key.Value);
        }

        writer.WriteString("enteredStageAt", value.EnteredStageAt);
        writer.WriteString("lastChangedAt", value.LastChangedAt);
        if (value.ClosedAt is { } closed)
        {
            writer.WriteString("closedAt", closed);
        }

        writer.WriteStartArray("history");
        foreach (var entry in value.History)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", JsonEnumNames<MoveKind>.ToName(entry.Kind));
            if (!entry.From.IsDefault)
            {
                writer.WriteString("from", entry.From.Value);
            }

            writer.WriteString("to", entry.To.Value);
            writer.WriteString("at", entry.At);
            if (entry.Actor is not null)
            {
                writer.WriteString("actor", entry.Actor);
            }

            if (entry.Note is not null)
            {
                writer.WriteString("note", entry.Note);
            }

            if (!entry.LossReason.IsDefault)
            {
                writer.WriteString("lossReason", entry.LossReason.Value);
            }

            if (entry.Override is { } forced)
            {
                WriteOverride(writer, forced);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("attributes");
        foreach (var pair in value.Attributes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteString(pair.Key, pair.Value);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("attempts");
        foreach (var pair in value.Attempts.OrderBy(p => p.Key.Value, StringComparer.Ordinal))
        {
            writer.WriteNumber(pair.Key.Value, pair.Value);
        }

        writer.WriteEndObject();
        writer.WriteNumber("version", value.Version);
        writer.WriteEndObject();
    }

    private delegate T ValueReader<T>(ref Utf8JsonReader reader, JsonReadContext context);

    private static void ReadMap<T>(ref Utf8JsonReader reader, JsonReadContext context, string what, List<KeyValuePair<string, T>> into, ValueReader<T> readValue)
    {
        context.BeginObject(ref reader, what);
        while (context.NextProperty(ref reader, out var name))
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw context.Fail("a name must not be blank");
            }

            into.Add(KeyValuePair.Create(name, readValue(ref reader, context)));
            context.Pop();
        }
    }

    private static void WriteOverride(Utf8JsonWriter writer, MoveOverride forced)
    {
        writer.WriteStartObject("override");
        writer.WriteString("actor", forced.Actor);
        writer.WriteString("reason", forced.Reason);
        writer.WriteStartArray("overridden");
        foreach (var violation in forced.Overridden)
        {
            writer.WriteStartObject();
            writer.WriteString("ruleId", violation.RuleId);
            writer.WriteString("message", violation.Message);
            if (!violation.Data.IsEmpty)
            {
                writer.WriteStartObject("data");
                foreach (var pair in violation.Data.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(pair.Key, pair.Value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static MoveOverride ReadOverride(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var objectPath = context.Path;
        context.BeginObject(ref reader, "the override record");
        string? actor = null;
        string? reason = null;
        var overridden = ImmutableArray.CreateBuilder<MoveViolation>();
        while (context.NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "actor":
                    actor = context.ReadKey(ref reader, "who forced the change");
                    break;
                case "reason":
                    reason = context.ReadKey(ref reader, "why the change was forced");
                    break;
                case "overridden":
                    context.BeginArray(ref reader, "the overridden violations");
                    while (context.NextItem(ref reader))
                    {
                        context.PushIndex(overridden.Count);
                        overridden.Add(ReadViolation(ref reader, context));
                        context.Pop();
                    }

                    break;
                default:
                    throw context.UnknownProperty(name, "an override record", OverrideProperties);
            }

            context.Pop();
        }

        if (actor is null || reason is null)
        {
            throw context.Fail(objectPath, "an override record needs 'actor' and 'reason'");
        }

        return new MoveOverride(actor, reason, overridden.ToImmutable());
    }

    private static MoveViolation ReadViolation(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var objectPath = context.Path;
        context.BeginObject(ref reader, "a violation");
        string? ruleId = null;
        string? message = null;
        var data = new List<KeyValuePair<string, string>>();
        while (context.NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "ruleId":
                    ruleId = context.ReadKey(ref reader, "the rule id");
                    break;
                case "message":
                    message = context.ReadKey(ref reader, "the message");
                    break;
                case "data":
                    ReadMap(ref reader, context, "the violation data", data, (ref Utf8JsonReader r, JsonReadContext c) => c.ReadString(ref r, "a data value"));
                    break;
                default:
                    throw context.UnknownProperty(name, "a violation", ViolationProperties);
            }

            context.Pop();
        }

        if (ruleId is null || message is null)
        {
            throw context.Fail(objectPath, "a violation needs 'ruleId' and 'message'");
        }

        return new MoveViolation(ruleId, message, ImmutableDictionary.CreateRange(StringComparer.Ordinal, data));
    }

    private static ImmutableArray<JourneyTransition> ReadHistory(ref Utf8JsonReader reader, JsonReadContext context)
    {
        context.BeginArray(ref reader, "the history");
        var history = ImmutableArray.CreateBuilder<JourneyTransition>();
        while (context.NextItem(ref reader))
        {
            context.PushIndex(history.Count);
            var objectPath = context.Path;
            context.BeginObject(ref reader, "a history entry");
            MoveKind? kind = null;
            string? from = null;
            string? to = null;
            DateTimeOffset? at = null;
            string? actor = null;
            string? note = null;
            string? reason = null;
            MoveOverride? forced = null;
            while (context.NextProperty(ref reader, out var name))
            {
                switch (name)
                {
                    case "kind":
                        kind = context.ReadEnum<MoveKind>(ref reader, "history entry kind");
                        break;
                    case "from":
                        from = context.ReadNullableString(ref reader, "the stage before");
                        break;
                    case "to":
                        to = context.ReadKey(ref reader, "the stage after");
                        break;
                    case "at":
                        at = context.ReadDateTimeOffset(ref reader, "the time");
                        break;
                    case "actor":
                        actor = context.ReadNullableString(ref reader, "the actor");
                        break;
                    case "note":
                        note = context.ReadNullableString(ref reader, "the note");
                        break;
                    case "lossReason":
                        reason = context.ReadNullableString(ref reader, "the loss reason key");
                        break;
                    case "override":
                        forced = reader.TokenType == JsonTokenType.Null ? null : ReadOverride(ref reader, context);
                        break;
                    default:
                        throw context.UnknownProperty(name, "a history entry", TransitionProperties);
                }

                context.Pop();
            }

            context.ReportMissing(objectPath, ("kind", kind is not null), ("to", to is not null), ("at", at is not null));

            context.ThrowIfProblems();
            try
            {
                history.Add(new JourneyTransition(
                    kind!.Value,
                    from is null ? default : new StageKey(from),
                    to!,
                    at!.Value,
                    actor,
                    note,
                    reason is null ? default : new LossReasonKey(reason),
                    forced));
            }
            catch (ArgumentException ex)
            {
                throw context.Fail(ex.Message);
            }

            context.Pop();
        }

        return history.ToImmutable();
    }
}
