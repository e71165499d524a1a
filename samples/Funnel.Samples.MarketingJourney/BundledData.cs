using System.Globalization;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Samples.MarketingJourney;

/// <summary>
/// Reads the bundled sample data of samples/data (copied next to the program by the csproj): the customer-journey
/// event log with its <c>source</c> column, and the costs per source.
/// </summary>
internal static class BundledData
{
    public static string PathOf(string fileName) => Path.Combine(AppContext.BaseDirectory, "data", fileName);

    /// <summary>
    /// Reads events.csv with the library's CSV reader (the <c>source</c> column becomes the event segment) and turns the
    /// columnar log back into <see cref="FunnelEvent"/>s for the metrics (<c>TransitionLog.ToEvents</c>). A rejected row stops the sample: the data is
    /// ours and must be clean.
    /// </summary>
    public static FunnelEvent[] ReadEvents(FunnelDefinition definition)
    {
        using var text = File.OpenText(PathOf("events.csv"));
        var reader = new TransitionLogCsvReader(text, definition, new TransitionLogCsvOptions { SegmentColumn = "source" });
        var result = reader.ReadChunk(int.MaxValue) ?? throw new InvalidOperationException("The first chunk is never null.");
        if (!result.IsClean)
        {
            throw new InvalidDataException($"events.csv has {result.RowsRejected} bad row(s), the first: {result.Errors[0]}");
        }

        return result.Log.ToEvents(definition, reader.Entities, reader.Segments);
    }

    /// <summary>
    /// Reads costs.csv (<c>source,cost_per_lead,total_spend,revenue_per_sale,margin_per_sale</c>): a source is priced
    /// per lead when it has a cost per lead, otherwise by its total spend.
    /// </summary>
    public static Dictionary<string, SourceCosts> ReadCosts()
    {
        var lines = File.ReadAllLines(PathOf("costs.csv"));
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new InvalidDataException($"costs.csv has no '{name}' column.");
        var (source, perLead, spend, revenue, margin) =
            (Column("source"), Column("cost_per_lead"), Column("total_spend"), Column("revenue_per_sale"), Column("margin_per_sale"));

        var costs = new Dictionary<string, SourceCosts>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = line.Split(',');
            decimal Money(int column) => decimal.Parse(f[column], NumberStyles.Number, CultureInfo.InvariantCulture);
            costs[f[source]] = f[perLead].Length > 0
                ? SourceCosts.PerLead(Money(perLead), Money(revenue), Money(margin))
                : SourceCosts.Spend(Money(spend), Money(revenue), Money(margin));
        }

        return costs;
    }
}
