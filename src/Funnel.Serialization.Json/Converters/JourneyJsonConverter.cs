using System.Collections.Immutable;
using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Storage;
using Funnel.Serialization.Json.Internal;

namespace Funnel.Serialization.Json.Converters;

/// <summary>
/// Reads and writes a <see cref="Journey"/>. The definition is written by key only; reading looks it up among the
/// definitions given to <see cref="FunnelJsonSerializerOptionsExtensions.ConfigureForFunnel(JsonSerializerOptions, Action{FunnelJsonConfiguration}?)"/>.
/// Each object of the format (journey, history entry, override record, violation) is one table of properties
/// (<see cref="JsonObjectShape{TValue, TState}"/>); the first problem ends the read.
/// </summary>
internal sealed class JourneyJsonConverter : FunnelJsonConverter<Journey>
{
    private static readonly JsonObjectShape<MoveViolation, ViolationFields> ViolationShape = new(
        "a violation",
        JsonShapeReading.FirstProblem,
        new("ruleId", (ref r, c, s) => s.RuleId = c.ReadKey(ref r, "the rule id"), (w, n, v) => w.WriteString(n, v.RuleId)),
        new("message", (ref r, c, s) => s.Message = c.ReadKey(ref r, "the message"), (w, n, v) => w.WriteString(n, v.Message)),
        new("data", (ref r, c, s) => ReadMap(ref r, c, "the violation data", s.Data, ReadDataValue), (w, n, v) =>
        {
            if (!v.Data.IsEmpty)
            {
                WriteMap(w, n, v.Data);
            }
        }));

    private static readonly JsonObjectShape<MoveOverride, OverrideFields> OverrideShape = new(
        "an override record",
        JsonShapeReading.FirstProblem,
        new("actor", (ref r, c, s) => s.Actor = c.ReadKey(ref r, "who forced the change"), (w, n, v) => w.WriteString(n, v.Actor)),
        new("reason", (ref r, c, s) => s.Reason = c.ReadKey(ref r, "why the change was forced"), (w, n, v) => w.WriteString(n, v.Reason)),
        new("overridden", (ref r, c, s) => ReadViolations(ref r, c, s.Overridden), (w, n, v) =>
        {
            w.WriteStartArray(n);
            foreach (var violation in v.Overridden)
            {
                ViolationShape.Write(w, violation);
            }

            w.WriteEndArray();
        }));

    private static readonly JsonObjectShape<JourneyTransition, HistoryEntryFields> HistoryEntryShape = new(
        "a history entry",
        JsonShapeReading.FirstProblem,
        new("kind", (ref r, c, s) => s.Kind = c.ReadEnum<MoveKind>(ref r, "history entry kind"), (w, n, v) => w.WriteString(n, JsonEnumNames<MoveKind>.ToName(v.Kind))) { Required = true },
        new("from", (ref r, c, s) => s.From = c.ReadNullableString(ref r, "the stage before"), (w, n, v) =>
        {
            if (!v.From.IsDefault)
            {
                w.WriteString(n, v.From.Value);
            }
        }),
        new("to", (ref r, c, s) => s.To = c.ReadKey(ref r, "the stage after"), (w, n, v) => w.WriteString(n, v.To.Value)) { Required = true },
        new("at", (ref r, c, s) => s.At = c.ReadDateTimeOffset(ref r, "the time"), (w, n, v) => w.WriteString(n, v.At)) { Required = true },
        new("actor", (ref r, c, s) => s.Actor = c.ReadNullableString(ref r, "the actor"), (w, n, v) => WriteIfNotNull(w, n, v.Actor)),
        new("note", (ref r, c, s) => s.Note = c.ReadNullableString(ref r, "the note"), (w, n, v) => WriteIfNotNull(w, n, v.Note)),
        new("lossReason", (ref r, c, s) => s.LossReason = c.ReadNullableString(ref r, "the loss reason key"), (w, n, v) =>
        {
            if (!v.LossReason.IsDefault)
            {
                w.WriteString(n, v.LossReason.Value);
            }
        }),
        new("override", (ref r, c, s) => s.Override = r.TokenType == JsonTokenType.Null ? null : ReadOverride(ref r, c), (w, n, v) =>
        {
            if (v.Override is { } forced)
            {
                OverrideShape.Write(w, n, forced);
            }
        }));

    private static readonly JsonObjectShape<Journey, JourneyFields> JourneyShape = new(
        "a journey",
        JsonShapeReading.FirstProblem,
        new("id", (ref r, c, s) => s.Id = c.ReadKey(ref r, "the journey id"), (w, n, v) => w.WriteString(n, v.Id)) { Required = true },
        new("definition", (ref r, c, s) => s.ReadDefinition(ref r, c), (w, n, v) => w.WriteString(n, v.Definition.Key)) { Required = true },
        new("currentStage", (ref r, c, s) => s.CurrentStage = c.ReadKey(ref r, "the current stage key"), (w, n, v) => w.WriteString(n, v.CurrentStage.Key.Value)) { Required = true },
        new("status", (ref r, c, s) => s.Status = c.ReadEnum<JourneyStatus>(ref r, "journey status"), (w, n, v) => w.WriteString(n, JsonEnumNames<JourneyStatus>.ToName(v.Status))) { Required = true },
        new("lossReason", (ref r, c, s) => s.LossReason = c.ReadNullableString(ref r, "the loss reason key"), (w, n, v) =>
        {
            if (v.LossReason is { } reason)
            {
                w.WriteString(n, reason.Key.Value);
            }
        }),
        new("enteredStageAt", (ref r, c, s) => s.EnteredStageAt = c.ReadDateTimeOffset(ref r, "the time the lead entered its stage"), (w, n, v) => w.WriteString(n, v.EnteredStageAt)) { Required = true },
        new("lastChangedAt", (ref r, c, s) => s.LastChangedAt = c.ReadDateTimeOffset(ref r, "the time of the last change"), (w, n, v) => w.WriteString(n, v.LastChangedAt)) { Required = true },
        new("closedAt", (ref r, c, s) => s.ClosedAt = c.ReadNullableDateTimeOffset(ref r, "the closing time"), (w, n, v) =>
        {
            if (v.ClosedAt is { } closed)
            {
                w.WriteString(n, closed);
            }
        }),
        new("history", (ref r, c, s) => s.History = ReadHistory(ref r, c), (w, n, v) =>
        {
            w.WriteStartArray(n);
            foreach (var entry in v.History)
            {
                HistoryEntryShape.Write(w, entry);
            }

            w.WriteEndArray();
        }) { Required = true },
        new("attributes", (ref r, c, s) => ReadMap(ref r, c, "the attributes", s.Attributes, ReadAttributeValue), (w, n, v) => WriteMap(w, n, v.Attributes)),
        new("attempts", (ref r, c, s) => s.ReadAttempts(ref r, c), (w, n, v) =>
        {
            w.WriteStartObject(n);
            foreach (var pair in v.Attempts.OrderBy(p => p.Key.Value, StringComparer.Ordinal))
            {
                w.WriteNumber(pair.Key.Value, pair.Value);
            }

            w.WriteEndObject();
        }),
        new("version", (ref r, c, s) => s.Version = c.ReadInt64(ref r, "the version"), (w, n, v) => w.WriteNumber(n, v.Version)) { Required = true });

    private readonly ImmutableDictionary<string, FunnelDefinition> _definitions;

    /// <summary>Creates a converter that knows no definitions: it writes journeys, and reports a clear error on reading. Used by <see cref="FunnelJsonContext"/>.</summary>
    public JourneyJsonConverter()
        : this(ImmutableDictionary<string, FunnelDefinition>.Empty)
    {
    }

    public JourneyJsonConverter(ImmutableDictionary<string, FunnelDefinition> definitions) => _definitions = definitions;

    private delegate T ValueReader<T>(ref Utf8JsonReader reader, JsonReadContext context);

    protected override Journey ReadCore(ref Utf8JsonReader reader, JsonReadContext context)
    {
        // A journey's text follows the stores' rule (no NUL), so that every journey read here can be saved.
        var outer = context.StoredText;
        context.StoredText = true;
        try
        {
            var fields = new JourneyFields(_definitions);
            JourneyShape.Read(ref reader, context, fields);
            context.ThrowIfProblems();
            return fields.ToJourney();
        }
        finally
        {
            context.StoredText = outer;
        }
    }

    internal override void WriteCore(Utf8JsonWriter writer, Journey value)
    {
        // The writer would turn an unpaired surrogate into U+FFFD without a word, and a NUL could not be read back:
        // refuse both before writing anything, naming the field (the stores' text rule).
        StoredText.Validate(value);
        JourneyShape.Write(writer, value);
    }

    private static string ReadAttributeValue(ref Utf8JsonReader reader, JsonReadContext context) => context.ReadString(ref reader, "an attribute value");

    private static string ReadDataValue(ref Utf8JsonReader reader, JsonReadContext context) => context.ReadString(ref reader, "a data value");

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

    /// <summary>Writes a text map as an object, its names in ordinal order.</summary>
    private static void WriteMap(Utf8JsonWriter writer, string name, IEnumerable<KeyValuePair<string, string>> map)
    {
        writer.WriteStartObject(name);
        foreach (var pair in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteString(pair.Key, pair.Value);
        }

        writer.WriteEndObject();
    }

    private static void WriteIfNotNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static ImmutableArray<JourneyTransition> ReadHistory(ref Utf8JsonReader reader, JsonReadContext context)
    {
        context.BeginArray(ref reader, "the history");
        var history = ImmutableArray.CreateBuilder<JourneyTransition>();
        while (context.NextItem(ref reader))
        {
            context.PushIndex(history.Count);
            var fields = new HistoryEntryFields();
            HistoryEntryShape.Read(ref reader, context, fields);
            context.ThrowIfProblems();
            try
            {
                history.Add(fields.ToTransition());
            }
            catch (ArgumentException ex)
            {
                throw context.Fail(ex.Message);
            }

            context.Pop();
        }

        return history.ToImmutable();
    }

    private static MoveOverride ReadOverride(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var objectPath = context.Path;
        var fields = new OverrideFields();
        OverrideShape.Read(ref reader, context, fields, expected: "the override record");
        if (fields.Actor is null || fields.Reason is null)
        {
            throw context.Fail(objectPath, "an override record needs 'actor' and 'reason'");
        }

        return new MoveOverride(fields.Actor, fields.Reason, fields.Overridden.ToImmutable());
    }

    private static void ReadViolations(ref Utf8JsonReader reader, JsonReadContext context, ImmutableArray<MoveViolation>.Builder into)
    {
        context.BeginArray(ref reader, "the overridden violations");
        while (context.NextItem(ref reader))
        {
            context.PushIndex(into.Count);
            var objectPath = context.Path;
            var fields = new ViolationFields();
            ViolationShape.Read(ref reader, context, fields);
            if (fields.RuleId is null || fields.Message is null)
            {
                throw context.Fail(objectPath, "a violation needs 'ruleId' and 'message'");
            }

            into.Add(new MoveViolation(fields.RuleId, fields.Message, ImmutableDictionary.CreateRange(StringComparer.Ordinal, fields.Data)));
            context.Pop();
        }
    }

    /// <summary>The values of a journey object as read; <see cref="ToJourney"/> restores the journey once every required one is there.</summary>
    private sealed class JourneyFields(ImmutableDictionary<string, FunnelDefinition> definitions)
    {
        public string? Id { get; set; }

        public string? DefinitionKey { get; set; }

        public string? CurrentStage { get; set; }

        public JourneyStatus? Status { get; set; }

        public string? LossReason { get; set; }

        public DateTimeOffset? EnteredStageAt { get; set; }

        public DateTimeOffset? LastChangedAt { get; set; }

        public DateTimeOffset? ClosedAt { get; set; }

        public ImmutableArray<JourneyTransition>? History { get; set; }

        public List<KeyValuePair<string, string>> Attributes { get; } = [];

        public List<KeyValuePair<StageKey, int>> Attempts { get; } = [];

        public long? Version { get; set; }

        /// <summary>Reads the definition key and checks that it names a known definition.</summary>
        public void ReadDefinition(ref Utf8JsonReader reader, JsonReadContext context)
        {
            DefinitionKey = context.ReadKey(ref reader, "the definition key");
            KnownDefinitions.Find(context, definitions, DefinitionKey);
        }

        public void ReadAttempts(ref Utf8JsonReader reader, JsonReadContext context)
        {
            var counts = new List<KeyValuePair<string, int>>();
            ReadMap(ref reader, context, "the attempt counts", counts, static (ref r, c) => c.ReadInt32(ref r, "an attempt count"));
            Attempts.AddRange(counts.Select(p => KeyValuePair.Create(new StageKey(p.Key), p.Value)));
        }

        public Journey ToJourney() => Journey.Restore(
            definitions[DefinitionKey!],
            Id!,
            CurrentStage!,
            Status!.Value,
            LossReason is null ? default : new LossReasonKey(LossReason),
            EnteredStageAt!.Value,
            LastChangedAt!.Value,
            ClosedAt,
            History!.Value,
            Attributes,
            Attempts,
            Version!.Value);
    }

    private sealed class HistoryEntryFields
    {
        public MoveKind? Kind { get; set; }

        public string? From { get; set; }

        public string? To { get; set; }

        public DateTimeOffset? At { get; set; }

        public string? Actor { get; set; }

        public string? Note { get; set; }

        public string? LossReason { get; set; }

        public MoveOverride? Override { get; set; }

        public JourneyTransition ToTransition() => new(
            Kind!.Value,
            From is null ? default : new StageKey(From),
            To!,
            At!.Value,
            Actor,
            Note,
            LossReason is null ? default : new LossReasonKey(LossReason),
            Override);
    }

    private sealed class OverrideFields
    {
        public string? Actor { get; set; }

        public string? Reason { get; set; }

        public ImmutableArray<MoveViolation>.Builder Overridden { get; } = ImmutableArray.CreateBuilder<MoveViolation>();
    }

    private sealed class ViolationFields
    {
        public string? RuleId { get; set; }

        public string? Message { get; set; }

        public List<KeyValuePair<string, string>> Data { get; } = [];
    }
}
