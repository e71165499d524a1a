namespace Funnel.Cli;

/// <summary>The exit codes of the <c>funnel</c> tool (documented in docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The input is invalid: a definition with problems, an unreadable or malformed file, an unknown template.</summary>
    public const int InvalidInput = 1;

    /// <summary>The command line is wrong: unknown command or option, missing or malformed value.</summary>
    public const int Usage = 2;

    /// <summary>A bug in the tool or the library (for example the two engines disagree); please report it.</summary>
    public const int InternalError = 70;

    /// <summary>The run was cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
