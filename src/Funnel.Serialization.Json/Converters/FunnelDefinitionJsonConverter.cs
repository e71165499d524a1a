using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Serialization.Json.Internal;

namespace Funnel.Serialization.Json.Converters;

/// <summary>
/// Reads and writes a <see cref="FunnelDefinition"/> in the documented definition format
/// (<c>schemas/funnel-definition.schema.json</c>). Each object of the format is one table of properties
/// (<see cref="JsonObjectShape{TValue, TState}"/>, read so that every problem is reported at once); reading then
/// builds the definition through <see cref="FunnelDefinitionBuilder"/> and maps every validation problem back to the
/// JSON path it came from.
/// </summary>
internal sealed class FunnelDefinitionJsonConverter : FunnelJsonConverter<FunnelDefinition>
{
    public static readonly FunnelDefinitionJsonConverter Instance = new();

    /// <summary>The JSON names of <see cref="OutcomeRule"/>: "last-status" (the default) and "reached".</summary>
    private static readonly (string Name, OutcomeRule Rule)[] OutcomeNames = [("last-status", OutcomeRule.LastStatus), ("reached", OutcomeRule.Reached)];

    private static readonly (string Name, TransitionOptions Flag)[] OptionNames =
    [
        ("forward", TransitionOptions.Forward),
        ("skips", TransitionOptions.Skips),
        ("backMoves", TransitionOptions.BackMoves),
        ("reentry", TransitionOptions.Reentry),
    ];

    private static readonly JsonObjectShape<Stage, StageFields> StageShape = new(
        "a stage",
        JsonShapeReading.EveryProblem,
        new("key", (ref r, c, s) => s.Key = c.ReadString(ref r, "the stage key"), (w, n, v) => w.WriteString(n, v.Key.Value)) { Required = true },
        new("displayName", (ref r, c, s) => s.DisplayName = c.ReadNullableString(ref r, "the display name"), (w, n, v) => w.WriteString(n, v.DisplayName)),
        new("kind", (ref r, c, s) => s.Kind = c.ReadEnum<StageKind>(ref r, "stage kind"), (w, n, v) =>
        {
            if (v.Kind != StageKind.Standard)
            {
                w.WriteString(n, JsonEnumNames<StageKind>.ToName(v.Kind));
            }
        }),
        new("phase", (ref r, c, s) => s.Phase = c.ReadEnum<FunnelPhase>(ref r, "funnel phase"), (w, n, v) =>
        {
            if (v.Phase != FunnelPhase.None)
            {
                w.WriteString(n, JsonEnumNames<FunnelPhase>.ToName(v.Phase));
            }
        }),
        new("owner", (ref r, c, s) => s.Owner = c.ReadNullableString(ref r, "the owner"), (w, n, v) =>
        {
            if (v.Owner is not null)
            {
                w.WriteString(n, v.Owner);
            }
        }),
        new("channels", (ref r, c, s) => s.Channels = c.ReadStringArray(ref r, "channels"), (w, n, v) => WriteStrings(w, n, v.Channels)),
        new("winProbability", (ref r, c, s) => s.WinProbability = c.ReadNullableDouble(ref r, "the win probability"), (w, n, v) =>
        {
            if (v.WinProbability is { } probability)
            {
                w.WriteNumber(n, probability);
            }
        }),
        new("idleLimit", (ref r, c, s) => s.IdleLimit = c.ReadNullableDuration(ref r, "the idle limit"), (w, n, v) => WriteDuration(w, n, v.IdleLimit)),
        new("stepWindow", (ref r, c, s) => s.StepWindow = c.ReadNullableDuration(ref r, "the step window"), (w, n, v) => WriteDuration(w, n, v.StepWindow)),
        new("requiredAttributes", (ref r, c, s) => s.RequiredAttributes = c.ReadStringArray(ref r, "required attributes"), (w, n, v) => WriteStrings(w, n, v.RequiredAttributes)));

    private static readonly JsonObjectShape<LossReason, LossReasonFields> LossReasonShape = new(
        "a loss reason",
        JsonShapeReading.EveryProblem,
        new("key", (ref r, c, s) => s.Key = c.ReadString(ref r, "the loss reason key"), (w, n, v) => w.WriteString(n, v.Key.Value)) { Required = true },
        new("displayName", (ref r, c, s) => s.DisplayName = c.ReadNullableString(ref r, "the display name"), (w, n, v) => w.WriteString(n, v.DisplayName)),
        new("category", (ref r, c, s) => s.Category = c.ReadEnum<LossCategory>(ref r, "loss category"), (w, n, v) => w.WriteString(n, JsonEnumNames<LossCategory>.ToName(v.Category))),
        new("recoverable", (ref r, c, s) => s.IsRecoverable = c.ReadBoolean(ref r, "whether the loss is recoverable"), (w, n, v) => w.WriteBoolean(n, v.IsRecoverable)));

    private static readonly JsonObjectShape<AllowedTransition, TransitionFields> TransitionShape = new(
        "a transition",
        JsonShapeReading.EveryProblem,
        new("from", (ref r, c, s) => s.From = c.ReadString(ref r, "the stage the move starts from"), (w, n, v) => w.WriteString(n, v.From.Value)) { Required = true },
        new("to", (ref r, c, s) => s.To = c.ReadString(ref r, "the stage the move ends in"), (w, n, v) => w.WriteString(n, v.To.Value)) { Required = true });

    /// <summary>The definition object; its "rules" row is the document's (<see cref="FunnelDefinitionDocument"/>).</summary>
    private static readonly JsonProperty<DefinitionAndRules, DefinitionFields>[] DefinitionProperties =
    [
        new("$schema", (ref r, c, s) => c.ReadString(ref r, "the schema address"), Write: null),
        new("key", (ref r, c, s) => s.Key = c.ReadKey(ref r, "the definition key"), (w, n, v) => w.WriteString(n, v.Definition.Key)) { Required = true },
        new("displayName", (ref r, c, s) => s.DisplayName = c.ReadNullableString(ref r, "the display name"), (w, n, v) => w.WriteString(n, v.Definition.DisplayName)),
        new("stages", (ref r, c, s) => s.Stages.AddRange(ReadItems(ref r, c, "the stages", StageShape)), (w, n, v) => WriteItems(w, n, StageShape, v.Definition.Stages)) { Required = true },
        new("wonAt", (ref r, c, s) => s.WonAt = c.ReadKey(ref r, "the goal stage key"), (w, n, v) => w.WriteString(n, v.Definition.GoalStage.Key.Value)) { Required = true },
        new("outcome", (ref r, c, s) => s.Outcome = ReadOutcome(ref r, c), (w, n, v) =>
        {
            // Written only when it differs from the default, so that existing documents round-trip unchanged.
            if (v.Definition.Outcome != OutcomeRule.LastStatus)
            {
                w.WriteString(n, Array.Find(OutcomeNames, o => o.Rule == v.Definition.Outcome).Name);
            }
        }),
        new("lossReasons", (ref r, c, s) => s.LossReasons.AddRange(ReadItems(ref r, c, "the loss reasons", LossReasonShape)), (w, n, v) => WriteItems(w, n, LossReasonShape, v.Definition.LossReasons)),
        new("transitionOptions", (ref r, c, s) => s.Options = ReadOptions(ref r, c), (w, n, v) => WriteOptions(w, n, v.Definition.TransitionOptions)),
        new("transitions", (ref r, c, s) => s.Transitions.AddRange(ReadItems(ref r, c, "the transitions", TransitionShape)), (w, n, v) =>
        {
            if (!v.Definition.Transitions.IsEmpty)
            {
                WriteItems(w, n, TransitionShape, v.Definition.Transitions);
            }
        }),
    ];

    /// <summary>A definition read as a <see cref="FunnelDefinition"/>: "rules" is refused, pointing to the document.</summary>
    private static readonly JsonObjectShape<DefinitionAndRules, DefinitionFields> DefinitionShape = new(
        "a funnel definition",
        JsonShapeReading.EveryProblem,
        [
            .. DefinitionProperties,
            new("rules", (ref r, c, s) => throw c.Fail("a FunnelDefinition carries no rules: read this document as a FunnelDefinitionDocument (FunnelJson.ReadDefinitionDocument) to get its rule set"), Write: null) { Listed = false },
        ]);

    /// <summary>A definition read as a <see cref="FunnelDefinitionDocument"/>: with its rules.</summary>
    private static readonly JsonObjectShape<DefinitionAndRules, DefinitionFields> DocumentShape = new(
        "a funnel definition",
        JsonShapeReading.EveryProblem,
        [
            .. DefinitionProperties,
            new("rules", (ref r, c, s) => RuleJson.ReadRules(ref r, c, s.Rules), (w, n, v) =>
            {
                if (!v.Rules.IsDefaultOrEmpty)
                {
                    RuleJson.WriteRules(w, v.Rules);
                }
            }),
        ]);

    protected override FunnelDefinition ReadCore(ref Utf8JsonReader reader, JsonReadContext context) =>
        ReadObject(ref reader, context, rulesRegistry: null, out _);

    /// <summary>
    /// Reads a definition object. With a rule registry, a "rules" array is read and every rule is created with the
    /// registry to check it; without one, "rules" is an error that points to <see cref="FunnelDefinitionDocument"/>.
    /// Every value and validation problem (definition and rules) is reported at once.
    /// </summary>
    internal static FunnelDefinition ReadObject(ref Utf8JsonReader reader, JsonReadContext context, RuleTypeRegistry? rulesRegistry, out ImmutableArray<RuleDescriptor> rules)
    {
        var root = context.Path;
        var fields = new DefinitionFields();
        (rulesRegistry is null ? DefinitionShape : DocumentShape).Read(ref reader, context, fields);
        rules = [.. fields.Rules.Select(e => e.Rule)];
        context.ThrowIfProblems();

        var built = fields.ToBuilder().TryBuild(out var definition, out var problems);
        foreach (var problem in problems)
        {
            context.Report(DefinitionProblemPaths.ToJsonPath(root, problem), problem.Message);
        }

        if (rulesRegistry is not null)
        {
            RuleJson.Validate(context, root, fields.Rules, rulesRegistry, built ? definition : null);
        }

        if (built && !context.HasProblems)
        {
            return definition!;
        }

        throw new FunnelJsonReadException(context.TakeProblems());
    }

    internal override void WriteCore(Utf8JsonWriter writer, FunnelDefinition value) => WriteObject(writer, value, rules: []);

    internal static void WriteObject(Utf8JsonWriter writer, FunnelDefinition value, ImmutableArray<RuleDescriptor> rules) =>
        DocumentShape.Write(writer, new DefinitionAndRules(value, rules));

    /// <summary>Reads an array of objects of one shape; an item that is not an object is reported and skipped.</summary>
    private static List<TFields> ReadItems<TValue, TFields>(ref Utf8JsonReader reader, JsonReadContext context, string what, JsonObjectShape<TValue, TFields> shape)
        where TFields : new()
    {
        var items = new List<TFields>();
        context.BeginArray(ref reader, what);
        for (var index = 0; context.NextItem(ref reader); index++)
        {
            context.PushIndex(index);
            var item = new TFields();
            if (shape.TryRead(ref reader, context, item))
            {
                items.Add(item);
            }

            context.Pop();
        }

        return items;
    }

    private static void WriteItems<TValue, TFields>(Utf8JsonWriter writer, string name, JsonObjectShape<TValue, TFields> shape, IEnumerable<TValue> items)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            shape.Write(writer, item);
        }

        writer.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteDuration(Utf8JsonWriter writer, string name, TimeSpan? value)
    {
        if (value is { } duration)
        {
            writer.WriteString(name, duration.ToString("c", CultureInfo.InvariantCulture));
        }
    }

    private static OutcomeRule ReadOutcome(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var text = context.ReadString(ref reader, "the outcome rule");
        return Array.Find(OutcomeNames, o => o.Name == text) is { Name: not null } found
            ? found.Rule
            : throw context.Fail($"'{text}' is not a known outcome rule; known values: {string.Join(", ", OutcomeNames.Select(o => o.Name))} (what 'won' means: the status after the last event, or won once the goal is reached)");
    }

    private static TransitionOptions ReadOptions(ref Utf8JsonReader reader, JsonReadContext context)
    {
        context.BeginArray(ref reader, "the transition options");
        var options = TransitionOptions.None;
        var index = 0;
        while (context.NextItem(ref reader))
        {
            context.PushIndex(index++);
            var text = context.ReadString(ref reader, "a transition option");
            var found = Array.FindIndex(OptionNames, o => o.Name == text);
            if (found < 0)
            {
                throw context.Fail($"'{text}' is not a transition option; known options: {string.Join(", ", OptionNames.Select(o => o.Name))}");
            }

            options |= OptionNames[found].Flag;
            context.Pop();
        }

        return options;
    }

    private static void WriteOptions(Utf8JsonWriter writer, string name, TransitionOptions options)
    {
        writer.WriteStartArray(name);
        foreach (var (option, flag) in OptionNames)
        {
            if ((options & flag) != 0)
            {
                writer.WriteStringValue(option);
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>What the definition object is written from: the definition and, for a document, its rules.</summary>
    private readonly record struct DefinitionAndRules(FunnelDefinition Definition, ImmutableArray<RuleDescriptor> Rules);

    /// <summary>The values of a definition object as read, before the builder checks them together.</summary>
    private sealed class DefinitionFields
    {
        public string? Key { get; set; }

        public string? DisplayName { get; set; }

        public string? WonAt { get; set; }

        public OutcomeRule Outcome { get; set; } = OutcomeRule.LastStatus;

        public TransitionOptions? Options { get; set; }

        public List<StageFields> Stages { get; } = [];

        public List<LossReasonFields> LossReasons { get; } = [];

        public List<TransitionFields> Transitions { get; } = [];

        public List<(string Path, RuleDescriptor Rule)> Rules { get; } = [];

        /// <summary>The builder with every value added, in the order the builder's problems are numbered by.</summary>
        public FunnelDefinitionBuilder ToBuilder()
        {
            var builder = new FunnelDefinitionBuilder(Key!, DisplayName);
            foreach (var stage in Stages)
            {
                stage.AddTo(builder);
            }

            builder.WonAt(WonAt!);
            builder.WithOutcome(Outcome);
            foreach (var reason in LossReasons)
            {
                builder.AddLossReason(reason.Key ?? string.Empty, reason.DisplayName, reason.Category, reason.IsRecoverable);
            }

            builder.WithTransitionOptions(Options ?? TransitionOptions.Default);
            foreach (var transition in Transitions)
            {
                builder.AllowTransition(transition.From ?? string.Empty, transition.To ?? string.Empty);
            }

            return builder;
        }
    }

    private sealed class StageFields
    {
        public string? Key { get; set; }

        public string? DisplayName { get; set; }

        public StageKind Kind { get; set; } = StageKind.Standard;

        public FunnelPhase Phase { get; set; } = FunnelPhase.None;

        public string? Owner { get; set; }

        public List<string> Channels { get; set; } = [];

        public double? WinProbability { get; set; }

        public TimeSpan? IdleLimit { get; set; }

        public TimeSpan? StepWindow { get; set; }

        public List<string> RequiredAttributes { get; set; } = [];

        public void AddTo(FunnelDefinitionBuilder builder) => builder.AddStage(Key ?? string.Empty, s => s
            .WithDisplayName(DisplayName)
            .WithKind(Kind)
            .WithPhase(Phase)
            .WithOwner(Owner)
            .WithChannels([.. Channels])
            .WithWinProbability(WinProbability)
            .WithIdleLimit(IdleLimit)
            .WithStepWindow(StepWindow)
            .RequireAttributes([.. RequiredAttributes]));
    }

    private sealed class LossReasonFields
    {
        public string? Key { get; set; }

        public string? DisplayName { get; set; }

        public LossCategory Category { get; set; } = LossCategory.Other;

        public bool IsRecoverable { get; set; }
    }

    private sealed class TransitionFields
    {
        public string? From { get; set; }

        public string? To { get; set; }
    }
}
