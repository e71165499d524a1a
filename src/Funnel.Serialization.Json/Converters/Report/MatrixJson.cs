using System.Text.Json;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json.Internal;

namespace Funnel.Serialization.Json.Converters.Report;

/// <summary>
/// A <see cref="CountMatrix"/> as the report writes it (<c>{ "rows", "columns", "values": [ row by row ] }</c>) and as
/// read, with its path; its shape is checked against the definition with <see cref="CheckShape"/>.
/// </summary>
internal sealed record MatrixJson(string Path, int Rows, int Columns, List<long> Values)
{
    private static readonly JsonObjectShape<CountMatrix, Fields> Shape = new(
        "a count matrix",
        JsonShapeReading.FirstProblem,
        new("rows", (ref r, c, s) => s.Rows = c.ReadInt32(ref r, "the number of rows"), (w, n, v) => w.WriteNumber(n, v.Rows)) { Required = true },
        new("columns", (ref r, c, s) => s.Columns = c.ReadInt32(ref r, "the number of columns"), (w, n, v) => w.WriteNumber(n, v.Columns)) { Required = true },
        new("values", (ref r, c, s) => s.Values = c.ReadArray(ref r, "the counts", static (ref Utf8JsonReader r, JsonReadContext c) => c.ReadCount(ref r, "a count")), (w, n, v) =>
        {
            w.WriteStartArray(n);
            foreach (var count in v.Counts)
            {
                w.WriteNumberValue(count);
            }

            w.WriteEndArray();
        }) { Required = true });

    /// <summary>Reads a count matrix; null when a value is missing.</summary>
    public static MatrixJson? Read(ref Utf8JsonReader reader, JsonReadContext context)
    {
        var path = context.Path;
        var fields = new Fields();
        Shape.Read(ref reader, context, fields);
        return fields is { Rows: { } rows, Columns: { } columns, Values: { } values } ? new MatrixJson(path, rows, columns, values) : null;
    }

    public static void Write(Utf8JsonWriter writer, string name, CountMatrix value) => Shape.Write(writer, name, value);

    /// <summary>Checks the number of rows and columns, and that the values fill them.</summary>
    public static void CheckShape(JsonReadContext context, MatrixJson? matrix, int rows, string rowsAre, int columns, string columnsAre)
    {
        if (matrix is null)
        {
            return;
        }

        if (matrix.Rows != rows)
        {
            context.Report(matrix.Path + ".rows", $"expected {rows} rows ({rowsAre}), found {matrix.Rows}");
        }

        if (matrix.Columns != columns)
        {
            context.Report(matrix.Path + ".columns", $"expected {columns} columns ({columnsAre}), found {matrix.Columns}");
        }

        if (matrix.Values.Count != (long)matrix.Rows * matrix.Columns)
        {
            context.Report(matrix.Path + ".values", $"expected rows × columns = {(long)matrix.Rows * matrix.Columns} counts, found {matrix.Values.Count}");
        }
    }

    private sealed class Fields
    {
        public int? Rows { get; set; }

        public int? Columns { get; set; }

        public List<long>? Values { get; set; }
    }
}
