using Parquet;
using Parquet.Schema;

namespace Funnel.Formats.Parquet;

/// <summary>How a top-level Parquet column is classified, and how its values are read into a <see cref="ColumnView"/>.</summary>
internal static class ParquetColumns
{
    public enum Shape
    {
        Integer,
        Text,
        Timestamp,
        Other,
    }

    public static Shape Classify(Field field) => field switch
    {
        DateTimeDataField { DateTimeFormat: DateTimeFormat.Date } => Shape.Other,
        DateTimeDataField => Shape.Timestamp,
        DataField { IsArray: true } => Shape.Other,
        DataField data when IsInteger(data.ClrType) => Shape.Integer,
        DataField data when data.ClrType == typeof(string) || data.ClrType == typeof(ReadOnlyMemory<char>) => Shape.Text,
        _ => Shape.Other,
    };

    public static string Describe(Field field) => field switch
    {
        DateTimeDataField { DateTimeFormat: DateTimeFormat.Date } => "DATE",
        DateTimeDataField { DateTimeFormat: DateTimeFormat.Impala } => "TIMESTAMP (INT96)",
        DateTimeDataField { DateTimeFormat: DateTimeFormat.DateAndTime } => "TIMESTAMP (MILLIS)",
        DateTimeDataField { DateTimeFormat: DateTimeFormat.DateAndTimeMicros } => "TIMESTAMP (MICROS)",
        DateTimeDataField time => $"TIMESTAMP ({time.Unit.ToString().ToUpperInvariant()})",
        DataField { IsArray: true } => "LIST",
        DataField data => data.ClrType switch
        {
            var t when t == typeof(long) => "INT64",
            var t when t == typeof(int) => "INT32",
            var t when t == typeof(short) => "INT16",
            var t when t == typeof(sbyte) => "INT8",
            var t when t == typeof(ulong) => "UINT64",
            var t when t == typeof(uint) => "UINT32",
            var t when t == typeof(ushort) => "UINT16",
            var t when t == typeof(byte) => "UINT8",
            var t when t == typeof(string) || t == typeof(ReadOnlyMemory<char>) => "STRING",
            var t when t == typeof(double) => "DOUBLE",
            var t when t == typeof(float) => "FLOAT",
            var t when t == typeof(bool) => "BOOLEAN",
            var t when t == typeof(decimal) => "DECIMAL",
            var t when t == typeof(byte[]) => "BINARY",
            var t => t.Name,
        },
        _ => field.SchemaType.ToString().ToUpperInvariant(),
    };

    public static async Task<ColumnView> ReadAsync(ParquetRowGroupReader rowGroup, DataField field, int rows, CancellationToken cancellationToken)
    {
        switch (Classify(field))
        {
            case Shape.Timestamp:
            {
                var values = new DateTime?[rows];
                await rowGroup.ReadAsync<DateTime>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                return new DateTimeSecondsView(values);
            }

            case Shape.Text:
            {
                var values = new string?[rows];
                await rowGroup.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                return new StringArrayView(values);
            }

            default:
                return field.ClrType switch
                {
                    var t when t == typeof(long) => await ReadIntegersAsync<long>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    var t when t == typeof(int) => await ReadIntegersAsync<int>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    var t when t == typeof(short) => await ReadIntegersAsync<short>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    var t when t == typeof(sbyte) => await ReadIntegersAsync<sbyte>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    var t when t == typeof(ulong) => await ReadIntegersAsync<ulong>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    var t when t == typeof(uint) => await ReadIntegersAsync<uint>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    var t when t == typeof(ushort) => await ReadIntegersAsync<ushort>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    var t when t == typeof(byte) => await ReadIntegersAsync<byte>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    _ => throw new InvalidOperationException($"Unreachable: column '{field.Name}' was classified as an integer column."),
                };
        }
    }

    private static bool IsInteger(Type type) =>
        type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(sbyte)
        || type == typeof(ulong) || type == typeof(uint) || type == typeof(ushort) || type == typeof(byte);

    private static async Task<ColumnView> ReadIntegersAsync<T>(ParquetRowGroupReader rowGroup, DataField field, int rows, CancellationToken cancellationToken)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        var values = new T?[rows];
        await rowGroup.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return new NullableIntegerView<T>(values);
    }
}
