using Funnel.Cli.Analysis;

namespace Funnel.Cli.Output;

/// <summary>The output formats of <c>funnel analyze</c>.</summary>
internal static class ReportFormats
{
    public static readonly string[] Supported = ["table", "json"];

    public static void Write(string format, AnalysisResult result, string? path, CliContext context)
    {
        switch (format)
        {
            case "json":
                OutputFile.WriteText(path, JsonReportWriter.Write(result), context);
                break;
            default:
                if (path is null or "-")
                {
                    TableReportWriter.Write(result, context.CreateOutConsole());
                }
                else
                {
                    using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
                    TableReportWriter.Write(result, new CliContext(writer, context.Error).CreateOutConsole());
                    OutputFile.WriteText(path, writer.ToString(), context);
                }

                break;
        }
    }
}
