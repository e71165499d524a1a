using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Core.Storage;

namespace Funnel.Serialization.Json.Internal;

/// <summary>
/// Rule commands as outbox messages: the message type names the command (<c>funnel.notify</c>, ...), the payload is a
/// flat JSON object of the command's properties in camelCase.
/// </summary>
internal static class OutboxCommandJson
{
    public const string Notify = "funnel.notify";
    public const string ScheduleTask = "funnel.schedule-task";
    public const string Move = "funnel.move";
    public const string MarkWon = "funnel.mark-won";
    public const string MarkLost = "funnel.mark-lost";
    public const string Reopen = "funnel.reopen";

    public static OutboxMessage Write(RuleCommand command, DateTimeOffset createdAt)
    {
        var buffer = new MemoryStream();
        string type;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("ruleId", command.RuleId);
            writer.WriteString("journeyId", command.JourneyId);
            switch (command)
            {
                case NotifyCommand notify:
                    type = Notify;
                    writer.WriteString("recipient", notify.Recipient);
                    writer.WriteString("message", notify.Message);
                    break;
                case ScheduleTaskCommand task:
                    type = ScheduleTask;
                    writer.WriteString("title", task.Title);
                    writer.WriteString("due", task.Due.ToString("O", CultureInfo.InvariantCulture));
                    WriteOptional(writer, "assignee", task.Assignee);
                    break;
                case MoveCommand move:
                    type = Move;
                    writer.WriteString("stage", move.Stage.Value);
                    WriteOptional(writer, "note", move.Note);
                    break;
                case MarkWonCommand won:
                    type = MarkWon;
                    WriteOptional(writer, "note", won.Note);
                    break;
                case MarkLostCommand lost:
                    type = MarkLost;
                    writer.WriteString("reason", lost.Reason.Value);
                    WriteOptional(writer, "comment", lost.Comment);
                    break;
                case ReopenCommand reopen:
                    type = Reopen;
                    WriteOptional(writer, "note", reopen.Note);
                    break;
                default:
                    throw new ArgumentException($"The rule command type {command.GetType().Name} has no outbox message form.", nameof(command));
            }

            writer.WriteEndObject();
        }

        return new OutboxMessage(type, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), createdAt);
    }

    public static RuleCommand Read(OutboxMessage message)
    {
        var document = message.Type + " message";
        var problems = ImmutableArray.CreateBuilder<FunnelJsonProblem>();
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(message.Payload);
        }
        catch (JsonException ex)
        {
            throw new FunnelJsonException(document, [new FunnelJsonProblem(ex.Path ?? "$", (int)(ex.LineNumber ?? 0) + 1, ex.Message)], ex);
        }

        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FunnelJsonException(document, [new FunnelJsonProblem("$", 1, $"The payload must be a JSON object, not {root.ValueKind}.")]);
            }

            string? Text(string name, bool required)
            {
                if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    if (required)
                    {
                        problems.Add(new FunnelJsonProblem("$." + name, 1, $"The property '{name}' is required for a {message.Type} message."));
                    }

                    return null;
                }

                if (value.ValueKind != JsonValueKind.String)
                {
                    problems.Add(new FunnelJsonProblem("$." + name, 1, $"The property '{name}' must be a string, not {value.ValueKind}."));
                    return null;
                }

                var text = value.GetString()!;
                if (required && string.IsNullOrWhiteSpace(text))
                {
                    problems.Add(new FunnelJsonProblem("$." + name, 1, $"The property '{name}' must not be blank."));
                    return null;
                }

                return text;
            }

            var ruleId = Text("ruleId", true);
            var journeyId = Text("journeyId", true);
            Func<RuleCommand>? create = message.Type switch
            {
                Notify => Make(Text("recipient", true), Text("message", true), (r, m) => new NotifyCommand(ruleId!, journeyId!, r, m)),
                ScheduleTask => MakeTask(Text("title", true), Text("due", true), Text("assignee", false)),
                Move => Make(Text("stage", true), Text("note", false) ?? string.Empty, (s, n) => new MoveCommand(ruleId!, journeyId!, new StageKey(s), n.Length == 0 ? null : n)),
                MarkWon => Make(string.Empty, Text("note", false) ?? string.Empty, (_, n) => new MarkWonCommand(ruleId!, journeyId!, n.Length == 0 ? null : n)),
                MarkLost => Make(Text("reason", true), Text("comment", false) ?? string.Empty, (r, c) => new MarkLostCommand(ruleId!, journeyId!, new LossReasonKey(r), c.Length == 0 ? null : c)),
                Reopen => Make(string.Empty, Text("note", false) ?? string.Empty, (_, n) => new ReopenCommand(ruleId!, journeyId!, n.Length == 0 ? null : n)),
                _ => null,
            };

            if (message.Type is not (Notify or ScheduleTask or Move or MarkWon or MarkLost or Reopen))
            {
                problems.Add(new FunnelJsonProblem("$", 1, $"The message type '{message.Type}' is not a rule command; known: {Notify}, {ScheduleTask}, {Move}, {MarkWon}, {MarkLost}, {Reopen}."));
            }

            if (problems.Count > 0 || create is null)
            {
                throw new FunnelJsonException(document, problems.ToImmutable());
            }

            try
            {
                return create();
            }
            catch (ArgumentException ex)
            {
                throw new FunnelJsonException(document, [new FunnelJsonProblem("$", 1, ex.Message)], ex);
            }

            Func<RuleCommand>? MakeTask(string? title, string? due, string? assignee)
            {
                if (due is null)
                {
                    return null;
                }

                if (!DateTimeOffset.TryParseExact(due, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                {
                    problems.Add(new FunnelJsonProblem("$.due", 1, $"'{due}' is not an ISO 8601 round-trip time (such as 2026-03-01T09:00:00.0000000+03:00)."));
                    return null;
                }

                return title is null ? null : () => new ScheduleTaskCommand(ruleId!, journeyId!, title, at, assignee);
            }

            Func<RuleCommand>? Make(string? first, string? second, Func<string, string, RuleCommand> factory) =>
                first is null || second is null || ruleId is null || journeyId is null ? null : () => factory(first, second);
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
