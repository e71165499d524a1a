namespace Funnel.Cli;

/// <summary>An expected failure of a command: the message is printed as <c>funnel: error: ...</c> and the tool exits with <see cref="ExitCode"/>.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message, int exitCode = ExitCodes.InvalidInput)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public CliException(string message, Exception innerException, int exitCode = ExitCodes.InvalidInput)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public CliException()
        : this("The command failed.")
    {
    }

    public CliException(string message)
        : this(message, ExitCodes.InvalidInput)
    {
    }

    public CliException(string message, Exception innerException)
        : this(message, innerException, ExitCodes.InvalidInput)
    {
    }

    /// <summary>Gets the exit code.</summary>
    public int ExitCode { get; }
}
