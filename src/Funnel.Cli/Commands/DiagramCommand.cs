using System.CommandLine;
using Funnel.Cli.Input;
using Funnel.Cli.Output;
using Funnel.Reporting;

namespace Funnel.Cli.Commands;

/// <summary><c>funnel diagram &lt;definition&gt; [--format mermaid|svg] [--direction lr|tb] [--out file]</c>: a diagram of the stages and allowed moves.</summary>
internal static class DiagramCommand
{
    private static readonly string[] Formats = ["mermaid", "svg"];

    public static Command Create(CliContext context)
    {
        var definition = new Argument<string>("definition") { Description = "A definition JSON file or a template name." };
        var format = new Option<string>("--format", "-f") { Description = "The diagram format: mermaid (a flowchart to paste into Markdown) or svg (a self-contained picture).", DefaultValueFactory = _ => "mermaid" };
        format.AcceptOnlyFromAmong(Formats);
        var direction = new Option<string>("--direction") { Description = "The Mermaid flowchart direction: lr (left to right) or tb (top to bottom); an SVG always runs left to right.", DefaultValueFactory = _ => "lr" };
        direction.AcceptOnlyFromAmong("lr", "tb");
        var output = new Option<string>("--out", "-o") { HelpName = "file",  Description = "Write the diagram to this file instead of stdout; without --format, a .svg name picks svg and .mmd, .mermaid or .md picks mermaid." };
        var command = new Command("diagram", "Draw a definition's stages, allowed moves and outcomes as a Mermaid flowchart or an SVG picture.") { definition, format, direction, output };
        command.SetAction(parse =>
        {
            var outPath = parse.GetValue(output);
            var formatName = parse.GetResult(format) is { Implicit: false } || OutputFile.IsStdout(outPath)
                ? parse.GetValue(format)
                : OutputFile.FormatFromExtension(outPath!, Formats, (".svg", "svg"), (".mmd", "mermaid"), (".mermaid", "mermaid"), (".md", "mermaid"));
            OutputFile.CheckWritable(outPath);
            var def = DefinitionResolver.Resolve(parse.GetRequiredValue(definition), context);
            var text = formatName == "svg"
                ? DefinitionDiagram.RenderSvg(def)
                : MermaidDiagram.Render(def, parse.GetValue(direction) == "tb" ? MermaidDirection.TopToBottom : MermaidDirection.LeftToRight);
            OutputFile.WriteText(outPath, text, context);
            return ExitCodes.Success;
        });
        return command;
    }
}
