using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Funnel.Formats.Tests;

namespace Funnel.Formats.Arrow.Tests;

/// <summary>Writes Arrow IPC test files with Apache.Arrow's own writer (the adapter only reads).</summary>
internal static class ArrowTestFiles
{
    public static void Write(string path, IReadOnlyList<RecordBatch> batches, bool fileFormat = true, IpcOptions? options = null)
    {
        using var stream = File.Create(path);
        using ArrowStreamWriter writer = fileFormat
            ? new ArrowFileWriter(stream, batches[0].Schema, leaveOpen: true, options)
            : new ArrowStreamWriter(stream, batches[0].Schema, leaveOpen: true, options);
        foreach (var batch in batches)
        {
            writer.WriteRecordBatch(batch);
        }

        writer.WriteEnd();
    }

    public static RecordBatch Batch(params (string Name, IArrowArray Array)[] columns)
    {
        var schema = new Schema.Builder();
        foreach (var (name, array) in columns)
        {
            schema.Field(f => f.Name(name).DataType(array.Data.DataType).Nullable(true));
        }

        return new RecordBatch(schema.Build(), columns.Select(c => c.Array), columns[0].Array.Length);
    }

    /// <summary>
    /// The rows as string columns; with <paramref name="universe"/>, entity and segment as dictionaries over all of its
    /// rows (an IPC file keeps one dictionary for every batch).
    /// </summary>
    public static RecordBatch TextBatch(IEnumerable<TestRow> rows, IReadOnlyList<TestRow>? universe = null)
    {
        var list = rows.ToList();
        return Batch(
            ("entity", universe is not null ? Dictionary(list.Select(r => (string?)r.Entity), universe.Select(r => r.Entity)) : Strings(list.Select(r => (string?)r.Entity))),
            ("stage", Strings(list.Select(r => (string?)r.Stage))),
            ("timestamp", Int64s(list.Select(r => (long?)r.Seconds))),
            ("loss_reason", Strings(list.Select(r => r.Reason))),
            ("segment", universe is not null ? Dictionary(list.Select(r => r.Segment), universe.Select(r => r.Segment)) : Strings(list.Select(r => r.Segment))));
    }

    public static StringArray Strings(IEnumerable<string?> values)
    {
        var builder = new StringArray.Builder();
        foreach (var value in values)
        {
            if (value is null)
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(value);
            }
        }

        return builder.Build();
    }

    public static Int64Array Int64s(IEnumerable<long?> values)
    {
        var builder = new Int64Array.Builder();
        foreach (var value in values)
        {
            builder.Append(value);
        }

        return builder.Build();
    }

    public static Int32Array Int32s(IEnumerable<int?> values)
    {
        var builder = new Int32Array.Builder();
        foreach (var value in values)
        {
            builder.Append(value);
        }

        return builder.Build();
    }

    public static Int16Array Int16s(IEnumerable<short?> values)
    {
        var builder = new Int16Array.Builder();
        foreach (var value in values)
        {
            builder.Append(value);
        }

        return builder.Build();
    }

    /// <summary>Raw int64 counts of <paramref name="unit"/> since the epoch, as a timestamp array.</summary>
    public static TimestampArray Timestamps(TimeUnit unit, string? timezone, IReadOnlyList<long> values)
    {
        var buffer = new ArrowBuffer.Builder<long>().AppendRange(values).Build();
        return new TimestampArray(new TimestampType(unit, timezone), buffer, ArrowBuffer.Empty, values.Count, 0, 0);
    }

    /// <summary>A dictionary array whose dictionary holds every value of <paramref name="universe"/>, in reverse order of first appearance.</summary>
    public static DictionaryArray Dictionary(IEnumerable<string?> values, IEnumerable<string?> universe)
    {
        var list = values.ToList();
        var distinct = universe.Where(v => v is not null).Distinct(StringComparer.Ordinal).Reverse().ToList();
        var indices = Int32s(list.Select(v => v is null ? (int?)null : distinct.IndexOf(v)));
        return new DictionaryArray(new DictionaryType(Int32Type.Default, StringType.Default, false), indices, Strings(distinct));
    }

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
