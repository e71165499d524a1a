using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Bulk;
using Funnel.Formats.Tests;

namespace Funnel.Formats.Parquet.Tests;

/// <summary>
/// Random small logs with bad rows, nulls, empty texts, non-ASCII keys and decimal-looking keys, written by DuckDB
/// (a second writer) with a drawn codec, row-group size and text encoding (dictionary, plain, or Parquet v2 with its
/// DELTA encodings and v2 data pages, which the reader leaves to Parquet.Net), read by
/// <see cref="TransitionLogParquetReader"/>: the result equals the CSV reader's on the same rows (the log, the keys,
/// the segments, and every error by row, column, kind and value).
/// </summary>
[Properties(Arbitrary = [typeof(ParquetCaseArbitrary)], MaxTest = 50)]
public sealed class ParquetCsvEquivalenceProperties
{
    private const string CsvColumns = "{'entity': 'VARCHAR', 'stage': 'VARCHAR', 'timestamp': 'BIGINT', 'loss_reason': 'VARCHAR', 'segment': 'VARCHAR'}";

    [Property]
    public void Read_DuckDbFileOfRandomRows_EqualsTheCsvReader(ParquetCase c)
    {
        using var folder = new TempFolder();
        var csvText = c.ToCsv();
        File.WriteAllText(folder.File("log.csv"), csvText, new UTF8Encoding(false));
        DuckDb.CopyToParquet(
            $"SELECT * FROM read_csv('{folder.File("log.csv")}', header = true, quote = '', columns = {CsvColumns})",
            folder.File("log.parquet"),
            c.CopyOptions);

        var read = TransitionLogParquetReader.Read(folder.File("log.parquet"), FormatTestData.Definition);

        var csvReader = new TransitionLogCsvReader(new StringReader(csvText), FormatTestData.Definition);
        var csv = csvReader.ReadChunk(int.MaxValue)!;
        Assert.Equal(csv.RowsRead, read.RowsRead);
        // An empty CSV field is a null in the Parquet file (DuckDB's read_csv): the CSV reader calls an empty stage or
        // timestamp unknown or out of range with the value "", the columnar readers call a null one missing.
        Assert.Equal(
            csv.Errors.Select(e => e.Value == string.Empty
                ? (Row: e.LineNumber - 2, e.Column, Kind: RowErrorKind.MissingValue, Value: (string?)null)
                : (Row: e.LineNumber - 2, e.Column, e.Kind, e.Value)),
            read.Errors.Select(e => (Row: e.RowIndex, (string?)e.Column, e.Kind, e.Value)));
        FormatTestData.AssertSameLog(csv.Log, csvReader.Entities, csvReader.Segments, read.Log, read.Entities, read.Segments);
        Assert.Equal(csv.Log.EntityIdLimit, read.Log.EntityIdLimit);
    }
}

/// <summary>One drawn case: the rows (as CSV fields, empty for null) and DuckDB's COPY options.</summary>
public sealed record ParquetCase(IReadOnlyList<string[]> Rows, string Codec, int RowGroupSize, string Encoding)
{
    public string CopyOptions =>
        $", COMPRESSION {Codec}, ROW_GROUP_SIZE {RowGroupSize}"
        + Encoding switch
        {
            "plain" => ", DICTIONARY_SIZE_LIMIT 1",
            "v2" => ", PARQUET_VERSION V2",
            _ => string.Empty,
        };

    public string ToCsv()
    {
        var text = new StringBuilder("entity,stage,timestamp,loss_reason,segment\n");
        foreach (var row in Rows)
        {
            text.Append(string.Join(',', row)).Append('\n');
        }

        return text.ToString();
    }

    public override string ToString() => $"{Codec}, row groups of {RowGroupSize}, {Encoding}:\n{ToCsv()}";
}

public static class ParquetCaseArbitrary
{
    // No blank-but-not-empty entity: the CSV reader keeps " " as a key where the columnar readers reject it as empty.
    private static readonly string[] Entities =
        ["a", "b", "lead-1", "0", "7", "12", "007", "-5", "-0", "+3", "00", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "ключ", "鍵-9", "é", "1e3", ""];

    private static readonly string[] Stages = ["s0", "s1", "s2", "s3", "0", "3", "4", "9", "-1", "S0", "nope", "ü", ""];

    private static readonly string[] Times = ["0", "100", "1767225600", "-1", "-62135596800", "253402300799", "253402300800", "-62135596801", ""];

    private static readonly string[] Reasons = ["", "", "", "price", "competitor", "0", "1", "-1", "2", "cheap", "Price"];

    private static readonly string[] Segments = ["", "ads", "seo", "12", "007", "-0", "ß"];

    public static Arbitrary<ParquetCase> Cases()
    {
        var row =
            from entity in Gen.OneOf(Gen.Elements(Entities), Gen.Choose(0, 5000).Select(i => "k" + i), Gen.Choose(-3, 100_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            from stage in Gen.Elements(Stages)
            from time in Gen.OneOf(Gen.Elements(Times), Gen.Choose(0, 2_000_000_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            from reason in Gen.Elements(Reasons)
            from segment in Gen.Elements(Segments)
            select new[] { entity, stage, time, reason, segment };
        var gen =
            from rows in Gen.Choose(1, 60).SelectMany(n => Gen.ListOf(row, n))
            from repeat in Gen.Elements(1, 1, 1, 60)
            from codec in Gen.Elements("uncompressed", "snappy", "zstd", "gzip")
            from rowGroupSize in Gen.Elements(2048, 4096, 122880)
            from encoding in Gen.Elements("default", "plain", "v2")
            select new ParquetCase([.. Enumerable.Repeat(rows, repeat).SelectMany(r => r)], codec, rowGroupSize, encoding);
        return Arb.From(gen);
    }
}
