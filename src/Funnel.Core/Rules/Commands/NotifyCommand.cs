namespace Funnel.Core.Rules;

/// <summary>A command to notify someone (a manager, a team channel). The caller carries it out.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class NotifyCommand : RuleCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="ruleId">The emitting rule's id; not blank.</param>
    /// <param name="journeyId">The journey's id; not blank.</param>
    /// <param name="recipient">Who to notify; not blank.</param>
    /// <param name="message">The message; not blank.</param>
    /// <exception cref="ArgumentException">An argument is blank.</exception>
    public NotifyCommand(string ruleId, string journeyId, string recipient, string message)
        : base(ruleId, journeyId)
    {
        Guard.Against.NullOrBlank(recipient);
        Guard.Against.NullOrBlank(message);
        Recipient = recipient;
        Message = message;
    }

    /// <summary>Gets who to notify.</summary>
    public string Recipient { get; }

    /// <summary>Gets the message.</summary>
    public string Message { get; }

    /// <summary>Returns the command as text.</summary>
    /// <returns>A text such as <c>notify sales: ... on lead-1 (rule)</c>.</returns>
    public override string ToString() => $"notify {Recipient}: {Message} on {JourneyId} ({RuleId})";
}
