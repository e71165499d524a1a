using System.CommandLine;
using System.CommandLine.Invocation;
using Funnel.Cli.Commands;

namespace Funnel.Cli;

/// <summary>Builds the <c>funnel</c> command tree and runs it with the documented exit codes and error format.</summary>
internal static class FunnelCommandLine
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

    /// <summary>Parses and runs a command line.</summary>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var context = new CliContext(output, error);
        var root = CreateRootCommand(context);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var problem in parse.Errors)
            {
                context.WriteError(problem.Message);
            }

            var command = parse.CommandResult.Command;
            var name = command is RootCommand ? "funnel" : "funnel " + command.Name;
            error.WriteLine($"Run '{name} --help' for usage.");
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
