using Funnel.Cli.Analysis;
using Funnel.Core.Metrics;
using Funnel.Reporting;

namespace Funnel.Cli.Output;

/// <summary>The output formats of <c>funnel analyze</c>.</summary>
internal static class ReportFormats
{
    public static readonly string[] Supported = ["table", "json", "html", "svg"];

    public static void Write(string format, AnalysisResult result, string? path, CliContext context)
    {
        switch (format)
        {
            case "svg":
                OutputFile.WriteText(path, FunnelChart.RenderSvg(result.Report, $"{result.Definition.DisplayName}: {Path.GetFileName(result.InputPath)}"), context);
                break;
            case "html":
                var html = new HtmlReportBuilder(result.Report)
                    .WithTitle($"{result.Definition.DisplayName}: {Path.GetFileName(result.InputPath)}")
                    .WithDataQuality([Formatting.SkippedRows(result)])
                    .WithDataQuality(result.DataQuality);
                if (result.Segments is { } segments)
                {
                    html.WithSegments(segments);
                }

                if (result.Cohorts is { } cohorts)
                {
                    html.WithCohorts(cohorts);
                }

                if (result.Economics is { } economics)
                {
                    html.WithEconomics(economics);
                }

                if (result.Forecast is { } forecast)
                {
                    html.WithForecast(forecast);
                }

                OutputFile.WriteText(path, html.Build(), context);
                break;
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
