using System.CommandLine;
using Funnel.Cli.Input;
using Funnel.Cli.Output;
using Funnel.Reporting;

namespace Funnel.Cli.Commands;

/// <summary><c>funnel diagram &lt;definition&gt; [--format mermaid] [--out file]</c>: a diagram of the stages and allowed moves.</summary>
internal static class DiagramCommand
{
    public static Command Create(CliContext context)
    {
        var definition = new Argument<string>("definition") { Description = "A definition JSON file or a template name." };
        var format = new Option<string>("--format", "-f") { Description = "The diagram format.", DefaultValueFactory = _ => "mermaid" };
        format.AcceptOnlyFromAmong("mermaid");
        var direction = new Option<string>("--direction") { Description = "The flowchart direction: lr (left to right) or tb (top to bottom).", DefaultValueFactory = _ => "lr" };
        direction.AcceptOnlyFromAmong("lr", "tb");
        var output = new Option<string>("--out", "-o") { HelpName = "file",  Description = "Write the diagram to this file instead of stdout." };
        var command = new Command("diagram", "Draw a definition's stages, allowed moves and outcomes as a Mermaid flowchart.") { definition, format, direction, output };
        command.SetAction(parse =>
        {
            var def = DefinitionResolver.Resolve(parse.GetRequiredValue(definition), context);
            var text = MermaidDiagram.Render(def, parse.GetValue(direction) == "tb" ? MermaidDirection.TopToBottom : MermaidDirection.LeftToRight);
            OutputFile.WriteText(parse.GetValue(output), text, context);
            return ExitCodes.Success;
        });
        return command;
    }
}
