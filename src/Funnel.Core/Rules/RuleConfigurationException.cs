namespace Funnel.Core.Rules;

/// <summary>
/// Thrown when a rule set or a rule cannot be built: duplicate rule ids, invalid options, an unknown rule type name
/// (the message lists the known ones), or a declarative parameter that is missing, unknown or malformed (the message
/// names the rule type and the parameter).
/// </summary>
public sealed class RuleConfigurationException : FunnelException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    public RuleConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public RuleConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
