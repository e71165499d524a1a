using System.Collections.Immutable;
using System.Globalization;
using Funnel.Core.Internal;

namespace Funnel.Core.Metrics;

/// <summary>
/// The costs of every traffic source, as <see cref="EconomicsReport.FromBreakdown"/> takes them: one
/// <see cref="SourceCosts"/> per source, and an optional default for sources without their own row. Read from a costs
/// CSV with <see cref="ReadCsv"/> or <see cref="ReadCsvFile"/> (the format of <c>funnel analyze --costs</c>).
/// </summary>
/// <remarks>
/// <para>The CSV: a header <c>source,cost_per_lead,total_spend,revenue_per_sale,margin_per_sale</c> (names in any order and
/// case; one of <c>cost_per_lead</c> and <c>total_spend</c> may be missing), then one row per source with exactly one of a
/// cost per lead or a total spend. Source <c>*</c> is the default. Amounts are invariant-culture decimals (a dot for
/// decimals, no currency sign). Fields may be quoted (RFC 4180, within one line); unquoted fields are trimmed; empty
/// lines are skipped.</para>
/// <para>Money must be exact, so a bad row fails the whole table: <see cref="SourceCostFormatException"/> names the
/// document, the line and, where it applies, the column.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class SourceCostTable
{
    private const string ExpectedHeader = "source,cost_per_lead,total_spend,revenue_per_sale,margin_per_sale";

    /// <summary>Creates a table.</summary>
    /// <param name="bySource">The costs of each source, by the source's exact (ordinal) name.</param>
    /// <param name="defaultCosts">The costs of a source without its own entry, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="bySource"/> is <see langword="null"/>.</exception>
    public SourceCostTable(IEnumerable<KeyValuePair<string, SourceCosts>> bySource, SourceCosts? defaultCosts = null)
    {
        Guard.Against.Null(bySource);
        BySource = bySource.ToImmutableDictionary(StringComparer.Ordinal);
        Default = defaultCosts;
    }

    /// <summary>Gets the costs of each source, by its exact name.</summary>
    public ImmutableDictionary<string, SourceCosts> BySource { get; }

    /// <summary>Gets the costs of a source without its own entry (the CSV's <c>*</c> row), or <see langword="null"/>.</summary>
    public SourceCosts? Default { get; }

    /// <summary>Reads a costs CSV file (UTF-8).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="SourceCostFormatException">The file is empty, its header lacks a required column, or a row is bad (the message names the file, line and column).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static SourceCostTable ReadCsvFile(string path)
    {
        Guard.Against.NullOrEmpty(path);
        using var reader = new StreamReader(path);
        return ReadCsv(reader, path);
    }

    /// <summary>Reads a costs CSV.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="documentName">The name errors give the document (a file name).</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="documentName"/> is <see langword="null"/>.</exception>
    /// <exception cref="SourceCostFormatException">The text is empty, its header lacks a required column, or a row is bad (the message names the document, line and column).</exception>
    public static SourceCostTable ReadCsv(TextReader reader, string documentName = "costs.csv")
    {
        Guard.Against.Null(reader);
        Guard.Against.Null(documentName);
        var fields = new List<string>();
        var header = reader.ReadLine()
            ?? throw Error(1, null, $"the costs file is empty; expected the header '{ExpectedHeader}'.");
        if (CsvRecord.Split(header, fields) is { } headerProblem)
        {
            throw Error(1, null, $"bad header: {headerProblem}.");
        }

        var names = fields.Select(f => f.ToLowerInvariant()).ToList();
        var source = Column("source", required: true);
        var perLead = Column("cost_per_lead", required: false);
        var spend = Column("total_spend", required: false);
        var revenue = Column("revenue_per_sale", required: true);
        var margin = Column("margin_per_sale", required: true);
        if (perLead < 0 && spend < 0)
        {
            throw Error(1, null, "the costs header needs a 'cost_per_lead' or a 'total_spend' column.");
        }

        var costs = new Dictionary<string, SourceCosts>(StringComparer.Ordinal);
        SourceCosts? fallback = null;
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            if (CsvRecord.Split(text, fields) is { } problem)
            {
                throw Error(line, null, $"{problem}.");
            }

            if (fields.Count != names.Count)
            {
                throw Error(line, null, $"expected {names.Count} fields as in the header, found {fields.Count}.");
            }

            var name = fields[source];
            if (name.Length == 0)
            {
                throw Error(line, "source", "the source is empty.");
            }

            var lead = Amount(perLead, "cost_per_lead");
            var total = Amount(spend, "total_spend");
            var rev = Amount(revenue, "revenue_per_sale") ?? throw Error(line, "revenue_per_sale", "revenue_per_sale is empty.");
            var mar = Amount(margin, "margin_per_sale") ?? throw Error(line, "margin_per_sale", "margin_per_sale is empty.");
            if ((lead is null) == (total is null))
            {
                throw Error(line, null, $"give exactly one of cost_per_lead and total_spend for source '{name}'.");
            }

            SourceCosts value;
            try
            {
                value = lead is { } l ? SourceCosts.PerLead(l, rev, mar) : SourceCosts.Spend(total!.Value, rev, mar);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw Error(line, ex.ParamName, $"source '{name}': {FirstLine(ex.Message)}", ex);
            }

            if (name == "*")
            {
                fallback = fallback is null ? value : throw Error(line, "source", "a second '*' row.");
            }
            else if (!costs.TryAdd(name, value))
            {
                throw Error(line, "source", $"the source '{name}' occurs twice.");
            }

            decimal? Amount(int column, string what)
            {
                if (column < 0 || fields[column].Length == 0)
                {
                    return null;
                }

                return decimal.TryParse(fields[column], NumberStyles.Number, CultureInfo.InvariantCulture, out var d)
                    ? d
                    : throw Error(line, what, $"{what} '{fields[column]}' is not a number (use a dot for decimals, no currency sign).");
            }
        }

        return new SourceCostTable(costs, fallback);

        int Column(string name, bool required)
        {
            var i = names.IndexOf(name);
            return i >= 0 || !required
                ? i
                : throw Error(1, name, $"the costs header has no '{name}' column; expected '{ExpectedHeader}'.");
        }

        SourceCostFormatException Error(int at, string? column, string message, Exception? inner = null) =>
            new($"{documentName}:{at}: {message}", documentName, at, column, inner);
    }

    private static string FirstLine(string message)
    {
        var cut = message.IndexOf('\n', StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).Trim();
    }
}
