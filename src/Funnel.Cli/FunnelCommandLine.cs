using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Funnel.Cli.Commands;
using Funnel.Core;

namespace Funnel.Cli;

/// <summary>Builds the <c>funnel</c> command tree and runs it with the documented exit codes and error format.</summary>
internal static partial class FunnelCommandLine
{
    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand(
            "funnel: validate and draw funnel definitions, analyse event logs (conversion, transitions, time in stage, losses, segments, cohorts, economics) and generate benchmark logs.")
        {
            ValidateCommand.Create(context),
            DiagramCommand.Create(context),
            AnalyzeCommand.Create(context),
            GenerateCommand.Create(context),
            TemplatesCommand.Create(context),
            InitCommand.Create(context),
        };
        return root;
    }

    /// <summary>
    /// A parse error as one line in the user's terms: the parser's own messages may span lines (the allowed values,
    /// one per line) and, for a value it cannot convert, name a .NET type; every option given a custom parser
    /// (<see cref="WholeNumberOption"/>) avoids the latter, and this is the safety net for any other.
    /// </summary>
    internal static string Plain(ParseError problem)
    {
        var message = problem.Message;
        var option = (problem.SymbolResult as OptionResult)?.Option.Name;
        var typed = TypeMessage().Match(message);
        if (typed.Success)
        {
            message = $"{typed.Groups["symbol"].Value}: '{typed.Groups["value"].Value}' is not a valid value.";
        }

        message = string.Join(" ", message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return option is not null && !message.Contains(option, StringComparison.Ordinal) ? $"{option}: {message}" : message;
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (?:option|command|argument) '(?<symbol>[^']*)' as expected type '[^']*'\.?", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex TypeMessage();

    /// <summary>Parses and runs a command line.</summary>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var context = new CliContext(output, error);
        var root = CreateRootCommand(context);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            var command = parse.CommandResult.Command;
            if (command is RootCommand)
            {
                // At the top level the parser reports both "required command was not provided" and the unknown
                // word; one error naming the word, and the commands, say it better.
                var commands = root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
                var word = parse.UnmatchedTokens.Count == 0 ? null : parse.UnmatchedTokens[0];
                var near = word is null ? null : KeySuggestion.Nearest(word, commands);
                context.WriteError(word switch
                {
                    null => "no command given.",
                    _ when word.StartsWith('-') => $"unknown option '{word}'.",
                    _ => $"unknown command '{word}'{(near is null ? "." : $"; did you mean '{near}'?")}",
                });
                error.WriteLine($"Commands: {string.Join(", ", commands)}. Run 'funnel --help' for usage.");
                return ExitCodes.Usage;
            }

            foreach (var problem in parse.Errors)
            {
                context.WriteError(Plain(problem));
            }

            error.WriteLine($"Run 'funnel {command.Name} --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            context.WriteError(ex.Message);
            if (ex.ExitCode == ExitCodes.Usage)
            {
                // A command-line error found while the command runs reads like one found by the parser.
                error.WriteLine($"Run 'funnel {parse.CommandResult.Command.Name} --help' for usage.");
            }

            return ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            context.WriteError("cancelled.");
            return ExitCodes.Cancelled;
        }
#pragma warning disable CA1031 // The tool's last line of defence: any other exception is a bug, reported with its type and exit code 70.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            context.WriteError($"internal error: {ex.GetType().Name}: {ex.Message}");
            error.WriteLine("This is a bug in funnel; please report it with the command line and the stack trace below.");
            error.WriteLine(ex.ToString());
            return ExitCodes.InternalError;
        }
    }
}
