namespace Funnel.Core.Storage;

/// <summary>
/// A command that an automation emitted with a move (create a task, send a notification), to be stored in the same
/// transaction as the move and delivered later by a relay. The store keeps it generically: a type name and a
/// payload text (JSON, typically) that the relay understands.
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class OutboxMessage
{
    /// <summary>Creates a message.</summary>
    /// <param name="type">The message type name, such as <c>task.create</c>; not blank, at most 200 characters.</param>
    /// <param name="payload">The payload text; not <see langword="null"/> (may be empty).</param>
    /// <param name="createdAt">When the command was emitted.</param>
    /// <exception cref="ArgumentException"><paramref name="type"/> is blank or longer than 200 characters.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="payload"/> is <see langword="null"/>.</exception>
    public OutboxMessage(string type, string payload, DateTimeOffset createdAt)
    {
        Guard.Against.NullOrBlank(type);
        Guard.Against.Null(payload);
        if (type.Length > MaxTypeLength)
        {
            throw new ArgumentException($"The outbox message type is {type.Length} characters long; at most {MaxTypeLength} are allowed.", nameof(type));
        }

        Type = type;
        Payload = payload;
        CreatedAt = createdAt;
    }

    /// <summary>The longest allowed <see cref="Type"/>: 200 characters.</summary>
    public const int MaxTypeLength = 200;

    /// <summary>Gets the message type name.</summary>
    public string Type { get; }

    /// <summary>Gets the payload text.</summary>
    public string Payload { get; }

    /// <summary>Gets when the command was emitted.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Returns the type and payload length.</summary>
    /// <returns>A text such as <c>task.create (42 chars)</c>.</returns>
    public override string ToString() => $"{Type} ({Payload.Length} chars)";
}
