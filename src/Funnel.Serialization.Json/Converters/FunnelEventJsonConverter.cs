using System.Text.Json;
using Funnel.Core;
using Funnel.Serialization.Json.Internal;

namespace Funnel.Serialization.Json.Converters;

/// <summary>Reads and writes a <see cref="FunnelEvent"/>: <c>{"entityId","stage","at","lossReason"?,"segment"?}</c>.</summary>
internal sealed class FunnelEventJsonConverter : FunnelJsonConverter<FunnelEvent>
{
    public static readonly FunnelEventJsonConverter Instance = new();

    internal static readonly string[] Properties = ["entityId", "stage", "at", "lossReason", "segment"];

    protected override FunnelEvent ReadCore(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var objectPath = context.Path;
        context.BeginObject(ref reader, "an event");
        string? entity = null;
        string? stage = null;
        DateTimeOffset? at = null;
        string? reason = null;
        string? segment = null;
        while (context.NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "entityId":
                    entity = context.ReadKey(ref reader, "the entity id");
                    break;
                case "stage":
                    stage = context.ReadKey(ref reader, "the stage key");
                    break;
                case "at":
                    at = context.ReadDateTimeOffset(ref reader, "the time");
                    break;
                case "lossReason":
                    reason = context.ReadNullableString(ref reader, "the loss reason key");
                    if (reason is not null && string.IsNullOrWhiteSpace(reason))
                    {
                        throw context.Fail("the loss reason key must not be blank; leave it out for an entry event");
                    }

                    break;
                case "segment":
                    segment = context.ReadNullableString(ref reader, "the segment");
                    break;
                default:
                    throw context.UnknownProperty(name, "an event", Properties);
            }

            context.Pop();
        }

        Require(context, objectPath, "entityId", entity is not null);
        Require(context, objectPath, "stage", stage is not null);
        Require(context, objectPath, "at", at is not null);
        context.ThrowIfProblems();
        return new FunnelEvent(entity!, stage!, at!.Value, reason is null ? default : new LossReasonKey(reason), segment);
    }

    internal override void WriteCore(Utf8JsonWriter writer, FunnelEvent value)
    {
        if (value.Stage.IsDefault)
        {
            throw new ArgumentException("The default FunnelEvent is not a valid event and cannot be written.", nameof(value));
        }

        writer.WriteStartObject();
        writer.WriteString("entityId", value.EntityId);
        writer.WriteString("stage", value.Stage.Value);
        writer.WriteString("at", value.At);
        if (value.IsLoss)
        {
            writer.WriteString("lossReason", value.LossReason.Value);
        }

        if (value.Segment is not null)
        {
            writer.WriteString("segment", value.Segment);
        }

        writer.WriteEndObject();
    }

    private static void Require(JsonReadContext context, string objectPath, string name, bool present)
    {
        if (!present)
        {
            context.Report(objectPath + JsonReadContext.PropertySegment(name), $"the property '{name}' is required");
        }
    }
}
