using System.CommandLine;
using Funnel.Core;
using Spectre.Console;

namespace Funnel.Cli.Commands;

/// <summary><c>funnel templates</c>: the built-in funnel templates.</summary>
internal static class TemplatesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("templates", "List the built-in funnel templates (use one with 'funnel init <template>' or '--definition <template>').");
        command.SetAction(_ =>
        {
            var table = new Table().AddColumns("template", "name", "stages", "goal");
            foreach (var t in FunnelTemplates.All)
            {
                table.AddRow(
                    Markup.Escape(t.Key),
                    Markup.Escape(t.DisplayName),
                    Markup.Escape(string.Join(" → ", t.Stages.Select(s => s.Key.ToString()))),
                    Markup.Escape(t.GoalStage.Key.ToString()));
            }

            context.CreateOutConsole().Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}
