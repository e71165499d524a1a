using System.Globalization;
using Funnel.Core.Metrics;

namespace Funnel.Cli.Input;

/// <summary>
/// Reads a costs CSV: <c>source,cost_per_lead,total_spend,revenue_per_sale,margin_per_sale</c>, one row per source, with
/// either a cost per lead or a total spend. A row with source <c>*</c> applies to every source without its own row.
/// Money must be exact, so any bad row fails the whole file (exit code 1) with its line number.
/// </summary>
internal static class CostsCsvReader
{
    public static (Dictionary<string, SourceCosts> Costs, SourceCosts? Default) Read(string path)
    {
        InputFile.Require(path, "the costs CSV file");
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot read the costs file: {ex.Message}", ex);
        }

        if (lines.Length == 0)
        {
            throw new CliException($"{path}:1: the costs file is empty; expected the header 'source,cost_per_lead,total_spend,revenue_per_sale,margin_per_sale'.");
        }

        var fields = new List<string>();
        if (CsvLine.Split(lines[0], fields) is { } headerProblem)
        {
            throw new CliException($"{path}:1: bad header: {headerProblem}.");
        }

        var names = fields.Select(f => f.ToLowerInvariant()).ToList();
        int Column(string name, bool required)
        {
            var i = names.IndexOf(name);
            return i >= 0 || !required
                ? i
                : throw new CliException($"{path}:1: the costs header has no '{name}' column; expected 'source,cost_per_lead,total_spend,revenue_per_sale,margin_per_sale'.");
        }

        var source = Column("source", true);
        var perLead = Column("cost_per_lead", false);
        var spend = Column("total_spend", false);
        var revenue = Column("revenue_per_sale", true);
        var margin = Column("margin_per_sale", true);
        if (perLead < 0 && spend < 0)
        {
            throw new CliException($"{path}:1: the costs header needs a 'cost_per_lead' or a 'total_spend' column.");
        }

        var costs = new Dictionary<string, SourceCosts>(StringComparer.Ordinal);
        SourceCosts? fallback = null;
        for (var n = 1; n < lines.Length; n++)
        {
            var line = n + 1;
            if (lines[n].Length == 0)
            {
                continue;
            }

            if (CsvLine.Split(lines[n], fields) is { } problem)
            {
                throw new CliException($"{path}:{line}: {problem}.");
            }

            if (fields.Count != names.Count)
            {
                throw new CliException($"{path}:{line}: expected {names.Count} fields as in the header, found {fields.Count}.");
            }

            var name = fields[source];
            if (name.Length == 0)
            {
                throw new CliException($"{path}:{line}: the source is empty.");
            }

            var lead = Amount(perLead, "cost_per_lead");
            var total = Amount(spend, "total_spend");
            var rev = Amount(revenue, "revenue_per_sale") ?? throw new CliException($"{path}:{line}: revenue_per_sale is empty.");
            var mar = Amount(margin, "margin_per_sale") ?? throw new CliException($"{path}:{line}: margin_per_sale is empty.");
            if ((lead is null) == (total is null))
            {
                throw new CliException($"{path}:{line}: give exactly one of cost_per_lead and total_spend for source '{name}'.");
            }

            SourceCosts value;
            try
            {
                value = lead is { } l ? SourceCosts.PerLead(l, rev, mar) : SourceCosts.Spend(total!.Value, rev, mar);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw new CliException($"{path}:{line}: source '{name}': {FirstLine(ex.Message)}", ex);
            }

            if (name == "*")
            {
                fallback = fallback is null ? value : throw new CliException($"{path}:{line}: a second '*' row.");
            }
            else if (!costs.TryAdd(name, value))
            {
                throw new CliException($"{path}:{line}: the source '{name}' occurs twice.");
            }

            decimal? Amount(int column, string what)
            {
                if (column < 0 || fields[column].Length == 0)
                {
                    return null;
                }

                return decimal.TryParse(fields[column], NumberStyles.Number, CultureInfo.InvariantCulture, out var d)
                    ? d
                    : throw new CliException($"{path}:{line}: {what} '{fields[column]}' is not a number (use a dot for decimals, no currency sign).");
            }
        }

        return (costs, fallback);
    }

    private static string FirstLine(string message)
    {
        var cut = message.IndexOf('\n', StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).Trim();
    }
}
