using System.Globalization;
using Funnel.Core.Metrics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Funnel.Core.Tests.Metrics;

public sealed class SourceCostTableTests
{
    [Fact]
    public void ReadCsv_PerLeadSpendAndDefaultRows_GivesEachSourceItsCosts()
    {
        const string csv = "Source,cost_per_lead,total_spend,revenue_per_sale,margin_per_sale\n" +
                           "ads,200,,1000,300\n" +
                           "\n" +
                           "\"partner, EU\",,5000.50,1000,300\n" +
                           "*,50,,800,200\n";

        var table = SourceCostTable.ReadCsv(new StringReader(csv));

        Assert.Equal(200m, table.BySource["ads"].CostPerLead);
        Assert.Equal(5000.50m, table.BySource["partner, EU"].TotalSpend);
        Assert.Equal(2, table.BySource.Count);
        Assert.Equal(50m, table.Default!.CostPerLead);
    }

    [Theory]
    [InlineData("", 1, null, "the costs file is empty")]
    [InlineData("source,cost_per_lead,revenue_per_sale\n", 1, "margin_per_sale", "no 'margin_per_sale' column")]
    [InlineData("source,revenue_per_sale,margin_per_sale\n", 1, null, "needs a 'cost_per_lead' or a 'total_spend'")]
    [InlineData("source,cost_per_lead,revenue_per_sale,margin_per_sale\nads,1\n", 2, null, "expected 4 fields as in the header, found 2")]
    [InlineData("source,cost_per_lead,revenue_per_sale,margin_per_sale\nads,1,3,2\nads,1,3,2\n", 3, "source", "the source 'ads' occurs twice")]
    [InlineData("source,cost_per_lead,revenue_per_sale,margin_per_sale\nads,€5,2,3\n", 2, "cost_per_lead", "cost_per_lead '€5' is not a number")]
    [InlineData("source,cost_per_lead,total_spend,revenue_per_sale,margin_per_sale\nads,1,9,2,3\n", 2, null, "exactly one of cost_per_lead and total_spend")]
    [InlineData("source,cost_per_lead,revenue_per_sale,margin_per_sale\n\"ads,1,2,3\n", 2, null, "a quoted field is not closed")]
    [InlineData("source,cost_per_lead,revenue_per_sale,margin_per_sale\nads,-1,2,3\n", 2, "costPerLead", "source 'ads'")]
    public void ReadCsv_BadInput_NamesTheDocumentLineAndColumn(string csv, int line, string? column, string what)
    {
        var error = Assert.Throws<SourceCostFormatException>(() => SourceCostTable.ReadCsv(new StringReader(csv), "spend.csv"));

        Assert.StartsWith($"spend.csv:{line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.Equal((line, column, "spend.csv"), (error.Line, error.Column, error.DocumentName));
    }

    [Property(MaxTest = 100)]
    public Property ReadCsv_WrittenTable_ReadsBackEqual() =>
        Prop.ForAll(
            Gen.Choose(0, 6).SelectMany(n => Gen.Choose(0, 1_000_000).Two().Select(x => (decimal)x.Item1 / 100m).ArrayOf(n).Select(a => a.Distinct().ToArray())).ToArbitrary(),
            amounts =>
            {
                var rows = amounts.Select((a, i) => (Source: i % 2 == 0 ? $"s{i}" : $"\"s \"\"{i}\"\", x\"", Name: i % 2 == 0 ? $"s{i}" : $"s \"{i}\", x", Amount: a)).ToArray();
                var csv = "source,cost_per_lead,total_spend,revenue_per_sale,margin_per_sale\n" + string.Concat(rows.Select((r, i) =>
                    string.Create(CultureInfo.InvariantCulture, $"{r.Source},{(i % 3 == 0 ? "" : r.Amount)},{(i % 3 == 0 ? r.Amount : "")},{r.Amount + 1},{r.Amount / 2}\n")));

                var table = SourceCostTable.ReadCsv(new StringReader(csv));

                return table.BySource.Count == rows.Length && rows.Select((r, i) => (r, i)).All(x =>
                    table.BySource[x.r.Name] is var c &&
                    (x.i % 3 == 0 ? c.TotalSpend == x.r.Amount && c.CostPerLead is null : c.CostPerLead == x.r.Amount && c.TotalSpend is null) &&
                    c.RevenuePerSale == x.r.Amount + 1 && c.MarginPerSale == x.r.Amount / 2);
            });
}
