using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Serialization.Json.Internal;

namespace Funnel.Serialization.Json.Converters;

/// <summary>
/// Reads and writes a <see cref="FunnelDefinition"/> in the documented definition format
/// (<c>schemas/funnel-definition.schema.json</c>). Reading builds the definition through
/// <see cref="FunnelDefinitionBuilder"/> and maps every validation problem back to the JSON path it came from.
/// </summary>
internal sealed class FunnelDefinitionJsonConverter : FunnelJsonConverter<FunnelDefinition>
{
    public static readonly FunnelDefinitionJsonConverter Instance = new();

    internal static readonly string[] DefinitionProperties =
        ["$schema", "key", "displayName", "stages", "wonAt", "outcome", "lossReasons", "transitionOptions", "transitions"];

    /// <summary>The JSON names of <see cref="OutcomeRule"/>: "last-status" (the default) and "reached".</summary>
    private static readonly (string Name, OutcomeRule Rule)[] OutcomeNames = [("last-status", OutcomeRule.LastStatus), ("reached", OutcomeRule.Reached)];

    internal static readonly string[] StageProperties =
        ["key", "displayName", "kind", "phase", "owner", "channels", "winProbability", "idleLimit", "stepWindow", "requiredAttributes"];

    internal static readonly string[] LossReasonProperties = ["key", "displayName", "category", "recoverable"];

    internal static readonly string[] TransitionProperties = ["from", "to"];

    private static readonly (string Name, TransitionOptions Flag)[] OptionNames =
    [
        ("forward", TransitionOptions.Forward),
        ("skips", TransitionOptions.Skips),
        ("backMoves", TransitionOptions.BackMoves),
        ("reentry", TransitionOptions.Reentry),
    ];

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
        var ruleEntries = new List<(string Path, RuleDescriptor Rule)>();
        context.BeginObject(ref reader, "a funnel definition");
        string? key = null;
        string? displayName = null;
        string? wonAt = null;
        var stagesSeen = false;
        var stages = new List<Action<FunnelDefinitionBuilder>>();
        var reasons = new List<LossReasonEntry>();
        var transitions = new List<(string From, string To)>();
        TransitionOptions? options = null;
        var outcome = OutcomeRule.LastStatus;

        context.ReadProperties(ref reader, (ref Utf8JsonReader r, string name) =>
        {
            switch (name)
            {
                case "$schema":
                    context.ReadString(ref r, "the schema address");
                    break;
                case "key":
                    key = context.ReadKey(ref r, "the definition key");
                    break;
                case "displayName":
                    displayName = context.ReadNullableString(ref r, "the display name");
                    break;
                case "wonAt":
                    wonAt = context.ReadKey(ref r, "the goal stage key");
                    break;
                case "outcome":
                    var text = context.ReadString(ref r, "the outcome rule");
                    outcome = Array.Find(OutcomeNames, o => o.Name == text) is { Name: not null } found
                        ? found.Rule
                        : throw context.Fail($"'{text}' is not a known outcome rule; known values: {string.Join(", ", OutcomeNames.Select(o => o.Name))} (what 'won' means: the status after the last event, or won once the goal is reached)");
                    break;
                case "stages":
                    stagesSeen = true;
                    ReadStages(ref r, context, stages);
                    break;
                case "lossReasons":
                    ReadLossReasons(ref r, context, reasons);
                    break;
                case "transitionOptions":
                    options = ReadOptions(ref r, context);
                    break;
                case "transitions":
                    ReadTransitions(ref r, context, transitions);
                    break;
                case "rules" when rulesRegistry is not null:
                    RuleJson.ReadRules(ref r, context, ruleEntries);
                    break;
                case "rules":
                    throw context.Fail("a FunnelDefinition carries no rules: read this document as a FunnelDefinitionDocument (FunnelJson.ReadDefinitionDocument) to get its rule set");
                default:
                    throw context.UnknownProperty(name, "a funnel definition", rulesRegistry is null ? DefinitionProperties : [.. DefinitionProperties, "rules"]);
            }
        });

        RequireProperty(context, root, "key", key is not null);
        RequireProperty(context, root, "stages", stagesSeen);
        RequireProperty(context, root, "wonAt", wonAt is not null);
        rules = [.. ruleEntries.Select(e => e.Rule)];
        context.ThrowIfProblems();

        var builder = new FunnelDefinitionBuilder(key!, displayName);
        foreach (var addStage in stages)
        {
            addStage(builder);
        }

        builder.WonAt(wonAt!);
        builder.WithOutcome(outcome);
        foreach (var reason in reasons)
        {
            builder.AddLossReason(reason.Key, reason.DisplayName, reason.Category, reason.IsRecoverable);
        }

        builder.WithTransitionOptions(options ?? TransitionOptions.Default);
        foreach (var (from, to) in transitions)
        {
            builder.AllowTransition(from, to);
        }

        var built = builder.TryBuild(out var definition, out var problems);
        foreach (var problem in problems)
        {
            context.Report(DefinitionProblemPaths.ToJsonPath(root, problem), problem.Message);
        }

        if (rulesRegistry is not null)
        {
            RuleJson.Validate(context, root, ruleEntries, rulesRegistry, built ? definition : null);
        }

        if (built && !context.HasProblems)
        {
            return definition!;
        }

        throw new FunnelJsonReadException(context.TakeProblems());
    }

    internal override void WriteCore(Utf8JsonWriter writer, FunnelDefinition value) => WriteObject(writer, value, rules: []);

    internal static void WriteObject(Utf8JsonWriter writer, FunnelDefinition value, ImmutableArray<RuleDescriptor> rules)
    {
        writer.WriteStartObject();
        writer.WriteString("key", value.Key);
        writer.WriteString("displayName", value.DisplayName);
        writer.WriteStartArray("stages");
        foreach (var stage in value.Stages)
        {
            WriteStage(writer, stage);
        }

        writer.WriteEndArray();
        writer.WriteString("wonAt", value.GoalStage.Key.Value);
        if (value.Outcome != OutcomeRule.LastStatus)
        {
            // Written only when it differs from the default, so that existing documents round-trip unchanged.
            writer.WriteString("outcome", Array.Find(OutcomeNames, o => o.Rule == value.Outcome).Name);
        }

        writer.WriteStartArray("lossReasons");
        foreach (var reason in value.LossReasons)
        {
            writer.WriteStartObject();
            writer.WriteString("key", reason.Key.Value);
            writer.WriteString("displayName", reason.DisplayName);
            writer.WriteString("category", JsonEnumNames<LossCategory>.ToName(reason.Category));
            writer.WriteBoolean("recoverable", reason.IsRecoverable);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("transitionOptions");
        foreach (var (name, flag) in OptionNames)
        {
            if ((value.TransitionOptions & flag) != 0)
            {
                writer.WriteStringValue(name);
            }
        }

        writer.WriteEndArray();
        if (!value.Transitions.IsEmpty)
        {
            writer.WriteStartArray("transitions");
            foreach (var transition in value.Transitions)
            {
                writer.WriteStartObject();
                writer.WriteString("from", transition.From.Value);
                writer.WriteString("to", transition.To.Value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (!rules.IsDefaultOrEmpty)
        {
            RuleJson.WriteRules(writer, rules);
        }

        writer.WriteEndObject();
    }

    private static void WriteStage(Utf8JsonWriter writer, Stage stage)
    {
        writer.WriteStartObject();
        writer.WriteString("key", stage.Key.Value);
        writer.WriteString("displayName", stage.DisplayName);
        if (stage.Kind != StageKind.Standard)
        {
            writer.WriteString("kind", JsonEnumNames<StageKind>.ToName(stage.Kind));
        }

        if (stage.Phase != FunnelPhase.None)
        {
            writer.WriteString("phase", JsonEnumNames<FunnelPhase>.ToName(stage.Phase));
        }

        if (stage.Owner is not null)
        {
            writer.WriteString("owner", stage.Owner);
        }

        WriteStrings(writer, "channels", stage.Channels);
        if (stage.WinProbability is { } probability)
        {
            writer.WriteNumber("winProbability", probability);
        }

        if (stage.IdleLimit is { } limit)
        {
            writer.WriteString("idleLimit", limit.ToString("c", CultureInfo.InvariantCulture));
        }

        if (stage.StepWindow is { } step)
        {
            writer.WriteString("stepWindow", step.ToString("c", CultureInfo.InvariantCulture));
        }

        WriteStrings(writer, "requiredAttributes", stage.RequiredAttributes);
        writer.WriteEndObject();
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

    private static void RequireProperty(JsonReadContext context, string objectPath, string name, bool present)
    {
        // A property that is present with a value of the wrong type has its problem already; it is not also missing.
        if (!present && !context.HasProblemAt(objectPath + JsonReadContext.PropertySegment(name)))
        {
            context.Report(objectPath + JsonReadContext.PropertySegment(name), $"the property '{name}' is required");
        }
    }

    private static void ReadStages(ref Utf8JsonReader reader, JsonReadContext context, List<Action<FunnelDefinitionBuilder>> stages)
    {
        context.BeginArray(ref reader, "the stages");
        for (var index = 0; context.NextItem(ref reader); index++)
        {
            context.PushIndex(index);
            if (ReadStage(ref reader, context) is { } stage)
            {
                stages.Add(stage);
            }

            context.Pop();
        }
    }

    /// <summary>Reads a stage, or reports that the item is not an object and returns null.</summary>
    private static Action<FunnelDefinitionBuilder>? ReadStage(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var objectPath = context.Path;
        if (!context.TryBeginObject(ref reader, "a stage"))
        {
            return null;
        }

        string? key = null;
        string? displayName = null;
        var kind = StageKind.Standard;
        var phase = FunnelPhase.None;
        string? owner = null;
        List<string> channels = [];
        double? probability = null;
        TimeSpan? idleLimit = null;
        TimeSpan? stepWindow = null;
        List<string> required = [];
        context.ReadProperties(ref reader, (ref Utf8JsonReader r, string name) =>
        {
            switch (name)
            {
                case "key":
                    key = context.ReadString(ref r, "the stage key");
                    break;
                case "displayName":
                    displayName = context.ReadNullableString(ref r, "the display name");
                    break;
                case "kind":
                    kind = context.ReadEnum<StageKind>(ref r, "stage kind");
                    break;
                case "phase":
                    phase = context.ReadEnum<FunnelPhase>(ref r, "funnel phase");
                    break;
                case "owner":
                    owner = context.ReadNullableString(ref r, "the owner");
                    break;
                case "channels":
                    channels = context.ReadStringArray(ref r, "channels");
                    break;
                case "winProbability":
                    probability = context.ReadNullableDouble(ref r, "the win probability");
                    break;
                case "idleLimit":
                    idleLimit = context.ReadNullableDuration(ref r, "the idle limit");
                    break;
                case "stepWindow":
                    stepWindow = context.ReadNullableDuration(ref r, "the step window");
                    break;
                case "requiredAttributes":
                    required = context.ReadStringArray(ref r, "required attributes");
                    break;
                default:
                    throw context.UnknownProperty(name, "a stage", StageProperties);
            }
        });

        RequireProperty(context, objectPath, "key", key is not null);
        var stageKey = key ?? string.Empty;
        return builder => builder.AddStage(stageKey, s => s
            .WithDisplayName(displayName)
            .WithKind(kind)
            .WithPhase(phase)
            .WithOwner(owner)
            .WithChannels([.. channels])
            .WithWinProbability(probability)
            .WithIdleLimit(idleLimit)
            .WithStepWindow(stepWindow)
            .RequireAttributes([.. required]));
    }

    private static void ReadLossReasons(ref Utf8JsonReader reader, JsonReadContext context, List<LossReasonEntry> reasons)
    {
        context.BeginArray(ref reader, "the loss reasons");
        for (var index = 0; context.NextItem(ref reader); index++)
        {
            context.PushIndex(index);
            var objectPath = context.Path;
            if (!context.TryBeginObject(ref reader, "a loss reason"))
            {
                context.Pop();
                continue;
            }

            string? key = null;
            string? displayName = null;
            var category = LossCategory.Other;
            var recoverable = false;
            context.ReadProperties(ref reader, (ref Utf8JsonReader r, string name) =>
            {
                switch (name)
                {
                    case "key":
                        key = context.ReadString(ref r, "the loss reason key");
                        break;
                    case "displayName":
                        displayName = context.ReadNullableString(ref r, "the display name");
                        break;
                    case "category":
                        category = context.ReadEnum<LossCategory>(ref r, "loss category");
                        break;
                    case "recoverable":
                        recoverable = context.ReadBoolean(ref r, "whether the loss is recoverable");
                        break;
                    default:
                        throw context.UnknownProperty(name, "a loss reason", LossReasonProperties);
                }
            });

            RequireProperty(context, objectPath, "key", key is not null);
            reasons.Add(new LossReasonEntry(key ?? string.Empty, displayName, category, recoverable));
            context.Pop();
        }
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

    private static void ReadTransitions(ref Utf8JsonReader reader, JsonReadContext context, List<(string From, string To)> transitions)
    {
        context.BeginArray(ref reader, "the transitions");
        for (var index = 0; context.NextItem(ref reader); index++)
        {
            context.PushIndex(index);
            var objectPath = context.Path;
            if (!context.TryBeginObject(ref reader, "a transition"))
            {
                context.Pop();
                continue;
            }

            string? from = null;
            string? to = null;
            context.ReadProperties(ref reader, (ref Utf8JsonReader r, string name) =>
            {
                switch (name)
                {
                    case "from":
                        from = context.ReadString(ref r, "the stage the move starts from");
                        break;
                    case "to":
                        to = context.ReadString(ref r, "the stage the move ends in");
                        break;
                    default:
                        throw context.UnknownProperty(name, "a transition", TransitionProperties);
                }
            });

            RequireProperty(context, objectPath, "from", from is not null);
            RequireProperty(context, objectPath, "to", to is not null);
            transitions.Add((from ?? string.Empty, to ?? string.Empty));
            context.Pop();
        }
    }

    private sealed record LossReasonEntry(string Key, string? DisplayName, LossCategory Category, bool IsRecoverable);
}
