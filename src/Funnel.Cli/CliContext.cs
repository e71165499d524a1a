using Spectre.Console;

namespace Funnel.Cli;

/// <summary>Where a command writes: results to <see cref="Out"/>, diagnostics and progress to <see cref="Error"/>.</summary>
internal sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error)
    {
        Out = output;
        Error = error;
    }

    /// <summary>Gets the writer for results (stdout).</summary>
    public TextWriter Out { get; }

    /// <summary>Gets the writer for errors, warnings, summaries and progress (stderr).</summary>
    public TextWriter Error { get; }

    /// <summary>Gets a value indicating whether stdout is the real console and a terminal (not redirected, not a test writer).</summary>
    public bool OutIsTerminal => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>Gets a value indicating whether stderr is the real console and a terminal.</summary>
    public bool ErrorIsTerminal => ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>Creates a Spectre console over stdout: colours and live width on a terminal, plain text 160 wide otherwise.</summary>
    public IAnsiConsole CreateOutConsole() => Create(Out, OutIsTerminal);

    /// <summary>Creates a Spectre console over stderr (for the progress bar).</summary>
    public IAnsiConsole CreateErrorConsole() => Create(Error, ErrorIsTerminal);

    /// <summary>Writes an error line: <c>funnel: error: message</c>.</summary>
    public void WriteError(string message) => Error.WriteLine("funnel: error: " + message);

    /// <summary>Writes a hint line: <c>funnel: hint: message</c> (a likely fix, such as the key a misspelt one means).</summary>
    public void WriteHint(string message) => Error.WriteLine("funnel: hint: " + message);

    /// <summary>Writes a warning line: <c>funnel: warning: message</c>.</summary>
    public void WriteWarning(string message) => Error.WriteLine("funnel: warning: " + message);

    private static IAnsiConsole Create(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!terminal)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
