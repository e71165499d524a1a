using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json;

namespace Funnel.Cli.Tests;

/// <summary>
/// The document of <c>funnel analyze --format json</c>, its parts read back by the library: the metrics report with
/// <see cref="FunnelJson.ReadReport"/>, the bulk report with <see cref="FunnelJson.ReadTransitionReport"/> (each read
/// on first use, so that a test of another part does not need the definition).
/// </summary>
internal sealed class AnalyzeJson : IDisposable
{
    private readonly JsonDocument _document;
    private readonly Lazy<FunnelReport> _report;
    private readonly Lazy<TransitionReport> _bulk;

    private AnalyzeJson(string text, IEnumerable<FunnelDefinition> definitions)
    {
        _document = JsonDocument.Parse(text);
        var list = definitions.ToList();
        _report = new(() => FunnelJson.ReadReport(Root.GetProperty("report").GetRawText(), list, "report"));
        _bulk = new(() => FunnelJson.ReadTransitionReport(Root.GetProperty("transitions").GetRawText(), "transitions"));
    }

    /// <summary>Gets the whole document.</summary>
    public JsonElement Root => _document.RootElement;

    /// <summary>Gets the input section: file, rows read, bad rows (by column), the segment column.</summary>
    public JsonElement Input => Root.GetProperty("input");

    /// <summary>Gets the metrics report, read back by <see cref="FunnelJson.ReadReport"/>.</summary>
    public FunnelReport Report => _report.Value;

    /// <summary>Gets the bulk engine's report, read back by <see cref="FunnelJson.ReadTransitionReport"/>.</summary>
    public TransitionReport Bulk => _bulk.Value;

    /// <summary>Gets the metrics report's document as written.</summary>
    public JsonElement ReportJson => Root.GetProperty("report");

    /// <summary>Parses the output of <c>funnel analyze -f json</c>; the report is read with <paramref name="definitions"/> (the templates when none are given).</summary>
    public static AnalyzeJson Parse(string text, params FunnelDefinition[] definitions) =>
        new(text, definitions.Length == 0 ? FunnelTemplates.All : definitions);

    /// <summary>Gets the reached count per stage of the metrics report.</summary>
    public long[] Reached() => [.. Report.Stages.Select(s => s.Reached)];

    public void Dispose() => _document.Dispose();
}
