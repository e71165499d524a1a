using Funnel.Core.Rules;
using Funnel.Core.Storage;
using Funnel.Serialization.Json;

namespace Funnel.Extensions.Hosting.Outbox;

/// <summary>The arguments of one delivery attempt: the stored entry, its stable id and the attempt number.</summary>
/// <remarks>An immutable value; new fields may be added without breaking handlers.</remarks>
public readonly struct OutboxDelivery
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="entry">The stored entry.</param>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is <see langword="null"/>.</exception>
    public OutboxDelivery(OutboxEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Entry = entry;
    }

    /// <summary>Gets the stored entry (message, journey, version, failed attempts so far).</summary>
    public OutboxEntry Entry { get; }

    /// <summary>Gets the message id: stable across retries and restarts (the store's id), for idempotent handlers.</summary>
    public long MessageId => Entry.Id;

    /// <summary>Gets the journey whose move wrote the message.</summary>
    public string JourneyId => Entry.JourneyId;

    /// <summary>Gets the message type, such as <c>funnel.notify</c>.</summary>
    public string Type => Entry.Message.Type;

    /// <summary>Gets this attempt's number, from 1.</summary>
    public int Attempt => Entry.FailedAttempts + 1;

    /// <summary>Reads the rule command the message carries (for messages written by the workflow).</summary>
    /// <returns>The command.</returns>
    /// <exception cref="FunnelJsonException">The message is not a rule command's, or its payload is malformed.</exception>
    public RuleCommand ReadCommand() => FunnelJson.ReadOutboxCommand(Entry.Message);
}
